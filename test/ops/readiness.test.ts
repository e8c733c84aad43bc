import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { boot, type Running } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import { startFerretDb, type EmbeddedServer } from '../../src/db/embedded-ferretdb.ts';
import { findOrBuildFerretDb } from '../../src/db/ferretdb-binary.ts';

describe('health and readiness', function () {
  this.timeout(60_000);
  let dir: string;
  let db: EmbeddedServer;
  let binary: string;
  let running: Running;

  before(async function () {
    if (process.env.TEST_DATABASE_SOURCE !== 'ferretdb') this.skip(); // needs an embedded server it can stop
    binary = (await findOrBuildFerretDb(() => {}))!;
    dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-ready-'));
    db = await startFerretDb({ binary, dir: path.join(dir, 'db') });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
    running = await boot({ config, database: { uri: db.uri, source: 'MONGODB_URI', stop: async () => {} } });
  });
  after(async () => {
    await running?.stop();
    await db?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers /readyz 503 while the database is stopped and 200 when it is back', async () => {
    expect((await fetch(`${running.url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${running.url}/readyz`)).status).to.equal(200);
    const port = Number(new URL(db.uri).port);
    await db.stop();
    const down = await fetch(`${running.url}/readyz`);
    expect(down.status).to.equal(503);
    expect((await fetch(`${running.url}/healthz`)).status).to.equal(200);
    db = await startFerretDb({ binary, dir: path.join(dir, 'db'), port });
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await fetch(`${running.url}/readyz`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).to.equal(200);
  });
});
