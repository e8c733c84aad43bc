import { access, constants, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddedServer } from './embedded-ferretdb.ts';

/** A mongod binary named by MONGOMS_SYSTEM_BINARY or found on PATH, if any. */
export async function findSystemMongod(): Promise<string | undefined> {
  const candidates = [process.env.MONGOMS_SYSTEM_BINARY, ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'mongod'))].filter((c): c is string =>
    Boolean(c),
  );
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

export interface DownloadProbe {
  available: boolean;
  reason: string;
}

/**
 * Whether mongodb-memory-server can supply a mongod right now: one it downloaded earlier, or its
 * download server answering a HEAD request within the time given. Asked before falling back to
 * FerretDB, so a machine with internet gets a real mongod; an offline one loses at most the timeout.
 */
export async function probeMongodDownload(opts: { timeoutMs?: number; url?: string } = {}): Promise<DownloadProbe> {
  try {
    let url = opts.url;
    if (!url) {
      const { DryMongoBinary } = await import('mongodb-memory-server-core');
      const { MongoBinaryDownloadUrl } = await import('mongodb-memory-server-core/lib/util/MongoBinaryDownloadUrl.js');
      const options = await DryMongoBinary.generateOptions();
      const cached = await DryMongoBinary.locateBinary(options);
      if (cached) return { available: true, reason: `mongod ${options.version} bereits heruntergeladen (${cached})` };
      url = await new MongoBinaryDownloadUrl(options).getDownloadUrl();
    }
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(opts.timeoutMs ?? 3000) });
    return res.ok
      ? { available: true, reason: `Download von mongod erreichbar (${url})` }
      : { available: false, reason: `Download von mongod antwortet mit ${res.status}` };
  } catch (err) {
    return { available: false, reason: `Download von mongod nicht erreichbar (${(err as Error).message.split('\n')[0]})` };
  }
}
