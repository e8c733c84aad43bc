import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { expect } from 'chai';
import express from 'express';
import session from 'express-session';
import { flashMiddleware } from '../../src/http/flash.ts';

/** express-session's own store, writing as slowly as a database under load does. */
class SlowStore extends session.MemoryStore {
  override set(sid: string, data: session.SessionData, cb?: (err?: unknown) => void): void {
    setTimeout(() => super.set(sid, data, cb), 300);
  }
}

describe('http: flash messages survive the redirect', () => {
  let server: http.Server;
  let base: string;
  const store = new SlowStore();
  before(async () => {
    const app = express();
    app.use(session({ secret: 'test-secret-test-secret-test-secret', store, resave: false, saveUninitialized: false }));
    app.use(flashMiddleware);
    app.post('/act', (req, res) => {
      req.flash('success', 'Gespeichert.');
      res.redirect('/next');
    });
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('sends the redirect only once the session holding the message is stored', async () => {
    // fetch resolves on the response head: the moment a browser follows the redirect
    const res = await fetch(`${base}/act`, { method: 'POST', redirect: 'manual' });
    expect(res.status).to.equal(302);
    const sid = decodeURIComponent(res.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!);
    const id = sid.slice(2, sid.lastIndexOf('.')); // "s:<id>.<signature>"
    const stored = await new Promise<session.SessionData | null | undefined>((resolve, reject) =>
      store.get(id, (err, s) => (err ? reject(err as Error) : resolve(s))),
    );
    expect(stored?.flash).to.deep.equal([{ kind: 'success', text: 'Gespeichert.' }]);
    await res.text();
  });
});
