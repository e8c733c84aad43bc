import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedServer } from './embedded-ferretdb.ts';

/** A mongod binary named by MONGOMS_SYSTEM_BINARY or found on PATH, if any. */
export async function findSystemMongod(): Promise<string | undefined> {
  const candidates = [
    process.env.MONGOMS_SYSTEM_BINARY,
    ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'mongod')),
  ].filter((c): c is string => Boolean(c));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

/** Runs mongod through mongodb-memory-server: the given binary, or else its own download. */
export async function startMongod(opts: { binary?: string; dir: string }): Promise<EmbeddedServer> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  await mkdir(opts.dir, { recursive: true });
  const server = await MongoMemoryServer.create({
    instance: { dbPath: opts.dir, storageEngine: 'wiredTiger' },
    binary: opts.binary ? { systemBinary: opts.binary } : { checkMD5: false },
  });
  return {
    uri: server.getUri(),
    pid: server.instanceInfo?.instance.mongodProcess?.pid ?? -1,
    stop: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}
