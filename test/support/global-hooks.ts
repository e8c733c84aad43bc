import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chooseDatabase, type ChosenDatabase } from '../../src/db/choose-database.ts';

/**
 * One real MongoDB-protocol server per test run (FerretDB in a fresh temp dir, or MONGODB_URI when
 * set); every test app then works in its own database on it. The temp dir goes away at the end.
 */
let database: ChosenDatabase | undefined;
let dir: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-test-'));
  database = await chooseDatabase({
    mongodbUri: process.env.MONGODB_URI,
    dir,
    role: 'test',
    log: (msg) => process.stderr.write(`${msg}\n`),
  });
  process.env.TEST_MONGODB_URI = database.uri;
  process.env.TEST_DATABASE_SOURCE = database.source;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await database?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
