import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { chooseDatabase } from '../../src/db/choose-database.ts';
import { readAddress } from '../../src/db/address-file.ts';

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

  it('lets a command-line script reuse the embedded server a running server left in DATA_DIR', async () => {
    const server = await chooseDatabase({ mongodbUri: undefined, dir, role: 'server', log: () => {} });
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
