import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { readBody } from '../../src/lrs/http/body.ts';
import type { TestApp } from '../support/test-app.ts';
import { SEED_AUTH, startLrsApp, statement, xapi } from './support.ts';

/** Sends a request's head and the first bytes of a much larger declared body; resolves with the raw answer. */
function halfUpload(
  port: number,
  path: string,
  headers: Record<string, string>,
  declared: number,
): Promise<{ answer: string; closed: boolean; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const head = Object.entries({ Host: 'localhost', 'Content-Type': 'application/json', 'Content-Length': String(declared), ...headers })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n[${'{"a":1},'.repeat(100)}`);
    });
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('close', () => resolve({ answer, closed: true, socket }));
    socket.on('error', reject);
    setTimeout(() => resolve({ answer, closed: socket.destroyed, socket }), 3000).unref();
  });
}

describe('lrs: resource limits', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());
  const port = () => Number(new URL(app.url).port);

  it('refuses an anonymous upload before reading its body, and closes the connection', async () => {
    const started = Date.now();
    const { answer, closed } = await halfUpload(port(), '/xapi/statements', { 'X-Experience-API-Version': '1.0.3' }, 16 * 1024 * 1024);
    expect(answer).to.match(/^HTTP\/1\.1 401 /);
    expect(answer).to.match(/\r\nConnection: close\r\n/i);
    expect(closed, 'connection closed').to.equal(true);
    expect(Date.now() - started).to.be.below(2500);
  });

  it('refuses wrong credentials the same way', async () => {
    const { answer } = await halfUpload(
      port(),
      '/xapi/activities/state',
      { Authorization: 'Basic d3Jvbmc6d3Jvbmc=', 'X-Experience-API-Version': '1.0.3' },
      1024 * 1024,
    );
    expect(answer).to.match(/^HTTP\/1\.1 401 /);
  });

  it('holds no memory for forty anonymous unfinished uploads', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const uploads = await Promise.all(Array.from({ length: 40 }, () => halfUpload(port(), '/xapi/statements', {}, 16 * 1024 * 1024)));
    expect(uploads.every((u) => /^HTTP\/1\.1 401 /.test(u.answer))).to.equal(true);
    const grown = (process.memoryUsage().rss - before) / 1024 ** 2;
    expect(grown, `RSS grew by ${grown.toFixed(1)} MB`).to.be.below(60);
  });

  it('limits document bodies to 2 MiB and statement bodies to 16 MiB', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(2 * 1024 * 1024) });
    const doc = await xapi(app)
      .put(
        `/activities/state?activityId=${encodeURIComponent('http://example.org/a')}&agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:a@example.org' }))}&stateId=s`,
      )
      .set('Content-Type', 'application/json')
      .send(big);
    expect(doc.status).to.equal(413);
    // the same size as a statement batch is read and judged on its content
    const batch = Array.from({ length: 600 }, () => statement({ result: { response: 'y'.repeat(3500) } }));
    const stmts = await xapi(app).post('/statements').set('Content-Type', 'application/json').send(JSON.stringify(batch));
    expect(stmts.status).to.equal(200);
    expect(stmts.body).to.have.length(600);
  });

  it('still takes the seed client for ordinary requests', async () => {
    const res = await xapi(app, SEED_AUTH).get('/statements?limit=1');
    expect(res.status).to.equal(200);
  });
});

describe('lrs: a body that stops arriving', () => {
  it('is given up after the idle time and its connection dropped', async () => {
    const app = express();
    app.post('/', async (req, res, next) => {
      try {
        res.json({ size: (await readBody(req, 1024 * 1024, 300)).length });
      } catch (err) {
        next(err);
      }
    });
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(400).end();
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const { closed, answer } = await halfUpload((server.address() as AddressInfo).port, '/', {}, 100_000);
      expect(closed).to.equal(true);
      expect(answer).to.equal('');
      expect(Date.now() - started).to.be.below(2000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
