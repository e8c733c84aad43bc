import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { boot, type Running } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import { startFerretDb, type EmbeddedServer } from '../../src/db/embedded-ferretdb.ts';
import { findOrBuildFerretDb } from '../../src/db/ferretdb-binary.ts';

const until = async (what: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
};

describe('database outage: 503 while the embedded database is down, recovery without a restart', function () {
  this.timeout(90_000);
  let dir: string;
  let db: EmbeddedServer;
  let running: Running;
  const logged: string[] = [];

  before(async function () {
    if (process.env.TEST_DATABASE_SOURCE !== 'ferretdb') this.skip(); // needs an embedded server it can kill
    const binary = (await findOrBuildFerretDb(() => {}))!;
    dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-outage-'));
    db = await startFerretDb({ binary, dir: path.join(dir, 'db'), log: (m) => logged.push(m) });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      LOG_LEVEL: process.env.OUTAGE_LOG ?? 'silent',
      DEMO_DATA: 'false',
    });
    running = await boot({ config, database: { uri: db.uri, source: 'MONGODB_URI', stop: async () => {} } });
  });
  after(async () => {
    await running?.stop();
    await db?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('restarts a killed server on its port and serves again, with 503 and a German message meanwhile', async () => {
    expect((await fetch(`${running.url}/login`)).status).to.equal(200);
    const before = db.pid;
    process.kill(before, 'SIGKILL');
    // a page that needs the database (the CSRF token lives in the session) while the server is gone
    const started = Date.now();
    const recovered = await until(async () => {
      const res = await fetch(`${running.url}/login`, { headers: { Accept: 'text/html' } });
      if (res.status === 503) {
        expect(await res.text()).to.contain('Die Datenbank ist gerade nicht erreichbar');
        expect(res.headers.get('retry-after')).to.equal('30');
      } else {
        expect(res.status, 'only 503 or 200 while the database comes back').to.equal(200);
      }
      return res.status === 200 && db.pid !== before;
    }, 40_000);
    expect(recovered, 'served again after the restart').to.equal(true);
    expect(Date.now() - started).to.be.below(40_000);
    expect(db.pid).to.not.equal(before);
    expect(logged.some((m) => m.includes('unerwartet beendet'))).to.equal(true);
    const api = await fetch(`${running.url}/readyz`);
    expect(api.status).to.equal(200);
  });

  it('answers 503 with the message while the database stalls, and recovers when it answers again', async () => {
    const stalledPid = db.pid;
    process.kill(stalledPid, 'SIGSTOP'); // a stalled server: the socket stays open, no replies
    try {
      const started = Date.now();
      const res = await fetch(`${running.url}/api/verify/ABCD-EFGH-JKMN-PQRS`);
      expect(res.status).to.equal(503);
      expect(((await res.json()) as { error: string }).error).to.contain('Die Datenbank ist gerade nicht erreichbar');
      expect(Date.now() - started).to.be.below(30_000);
    } finally {
      process.kill(stalledPid, 'SIGCONT');
    }
    expect(await until(async () => (await fetch(`${running.url}/readyz`)).status === 200, 30_000)).to.equal(true);
  });
});
