import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { chooseDatabase } from '../../src/db/choose-database.ts';
import { readAddress } from '../../src/db/address-file.ts';
import { probeMongodDownload } from '../../src/db/embedded-mongod.ts';

describe('database chain', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-chain-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('picks MONGODB_URI when it is set and starts nothing', async () => {
    const chosen = await chooseDatabase({ mongodbUri: 'mongodb://db.example.org:27017/', dir, role: 'server', log: () => {} });
    expect(chosen.source).to.equal('MONGODB_URI');
    expect(chosen.uri).to.equal('mongodb://db.example.org:27017/');
    expect(await readAddress(dir)).to.equal(undefined);
  });

  it('falls back to FerretDB on this machine (no mongod installed)', async () => {
    const chosen = await chooseDatabase({ mongodbUri: undefined, dir, role: 'test', log: () => {}, dryRun: true });
    expect(chosen.source).to.equal('ferretdb');
  });

  it('prefers a mongod from mongodb-memory-server to FerretDB when its download answers', async () => {
    const chosen = await chooseDatabase({
      mongodbUri: undefined,
      dir,
      role: 'server',
      log: () => {},
      dryRun: true,
      probeMongodDownload: async () => ({ available: true, reason: 'Download erreichbar' }),
    });
    expect(chosen.source).to.equal('mongodb-memory-server-download');
  });

  it('starts FerretDB when no mongod can be had and logs the choice with the reasons', async () => {
    const logged: string[] = [];
    const server = await chooseDatabase({
      mongodbUri: undefined,
      dir,
      role: 'server',
      log: (m) => logged.push(m),
      probeMongodDownload: async () => ({ available: false, reason: 'Download von mongod nicht erreichbar (offline)' }),
    });
    try {
      expect(server.source).to.equal('ferretdb');
      const line = logged.find((m) => m.startsWith('Eingebettete Datenbank: FerretDB'));
      expect(line).to.be.a('string');
      expect(line).to.contain('MONGODB_URI nicht gesetzt').and.contain('mongod: weder').and.contain('nicht erreichbar (offline)');
    } finally {
      await server.stop();
    }
  });

  it('gives up on a download server that does not answer within the time given', async () => {
    // a local server that accepts the request and never answers stands in for a stalled network
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const probe = await probeMongodDownload({ timeoutMs: 500, url: `http://127.0.0.1:${port}/mongodb.tgz` });
      expect(Date.now() - started).to.be.below(3000);
      expect(probe.available).to.equal(false);
      expect(probe.reason).to.contain('nicht erreichbar');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('lets a command-line script reuse the embedded server a running server left in DATA_DIR', async () => {
    const server = await chooseDatabase({ mongodbUri: undefined, dir, role: 'server', log: () => {}, probeMongodDownload: false });
    try {
      expect(server.source).to.equal('ferretdb');
      const cli = await chooseDatabase({ mongodbUri: undefined, dir, role: 'cli', log: () => {} });
      expect(cli.source).to.equal('running-server');
      expect(cli.uri).to.equal(server.uri);
      const conn = await mongoose.createConnection(cli.uri, { dbName: 'chain' }).asPromise();
      await conn.db!.collection('x').insertOne({ a: 1 });
      expect(await conn.db!.collection('x').countDocuments()).to.equal(1);
      await conn.close();
    } finally {
      await server.stop();
    }
    expect(await readAddress(dir)).to.equal(undefined);
  });
});
