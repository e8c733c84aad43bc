import path from 'node:path';
import { readAddress, removeAddress, writeAddress } from './address-file.ts';
import { findOrBuildFerretDb } from './ferretdb-binary.ts';
import { startFerretDb } from './embedded-ferretdb.ts';
import { findSystemMongod, probeMongodDownload, startMongod, type DownloadProbe } from './embedded-mongod.ts';

export type DatabaseSource = 'MONGODB_URI' | 'running-server' | 'mongod' | 'ferretdb' | 'mongodb-memory-server-download';

export interface ChosenDatabase {
  uri: string;
  source: DatabaseSource;
  /** Stops the embedded server this process started (a no-op for external ones). */
  stop(): Promise<void>;
}

export interface ChooseOptions {
  mongodbUri: string | undefined;
  /** Where the embedded server keeps its files. */
  dir: string;
  /** 'server' publishes its address in `dir`; 'cli' reuses a running server's; 'test' does neither. */
  role: 'server' | 'cli' | 'test';
  log: (msg: string) => void;
  /** For tests of the chain itself: start nothing, only report what would be chosen. */
  dryRun?: boolean;
  /**
   * Asks whether mongodb-memory-server can supply a mongod (a stand-in in tests of the chain);
   * false skips the question, as test runs do by default: they stay on the embedded FerretDB that our
   * patches are tested on.
   */
  probeMongodDownload?: (() => Promise<DownloadProbe>) | false;
}

export class NoDatabaseError extends Error {
  constructor(reasons: string[]) {
    super(
      [
        'Keine Datenbank verfügbar. Möglichkeiten:',
        '  1. MONGODB_URI auf einen laufenden MongoDB-Server setzen (Produktion),',
        '  2. einen mongod installieren (PATH oder MONGOMS_SYSTEM_BINARY),',
        '  3. Go installieren, damit FerretDB v1.24.2 gebaut werden kann (scripts/ensure-ferretdb.sh),',
        '  4. Internetzugang für den Download von mongodb-memory-server.',
        'Versucht:',
        ...reasons.map((r) => `  - ${r}`),
      ].join('\n'),
    );
    this.name = 'NoDatabaseError';
  }
}

const external = (uri: string, source: DatabaseSource): ChosenDatabase => ({ uri, source, stop: async () => {} });

/**
 * The database chain: MONGODB_URI → a running server's (CLI) → mongod on this machine → mongod from
 * mongodb-memory-server when it can be had within seconds → FerretDB (the offline default) →
 * mongodb-memory-server's download when it was not asked before. The choice and why are logged.
 */
export async function chooseDatabase(opts: ChooseOptions): Promise<ChosenDatabase> {
  if (opts.mongodbUri) return external(opts.mongodbUri, 'MONGODB_URI');
  if (opts.role === 'cli') {
    const running = await readAddress(opts.dir);
    if (running) return external(running.uri, 'running-server');
  }
  const reasons: string[] = ['MONGODB_URI nicht gesetzt'];
  const started = await startEmbedded(opts, reasons);
  if (!started) throw new NoDatabaseError(reasons);
  if (opts.role === 'server') {
    await writeAddress(opts.dir, { uri: started.uri, pid: started.pid, ownerPid: process.pid });
  }
  return {
    uri: started.uri,
    source: started.source,
    stop: async () => {
      if (opts.role === 'server') await removeAddress(opts.dir, process.pid);
      await started.stop();
    },
  };
}

async function startEmbedded(opts: ChooseOptions, reasons: string[]) {
  const started = (source: DatabaseSource, what: string) => {
    opts.log(`Eingebettete Datenbank: ${what}; Grund: ${reasons.join('; ')}`);
    return source;
  };
  const mongod = await findSystemMongod();
  if (mongod) {
    if (opts.dryRun) return dry('mongod');
    const s = await startMongod({ binary: mongod, dir: path.join(opts.dir, 'mongod') });
    return { ...s, source: started('mongod', `mongod (${mongod})`) };
  }
  reasons.push('mongod: weder MONGOMS_SYSTEM_BINARY noch mongod im PATH');

  // a real mongod beats FerretDB wherever mongodb-memory-server can fetch one quickly
  const asked = opts.probeMongodDownload ?? (opts.role === 'test' ? false : probeMongodDownload);
  const probe = asked === false ? undefined : await asked();
  if (probe?.available) {
    reasons.push(probe.reason);
    if (opts.dryRun) return dry('mongodb-memory-server-download');
    try {
      const s = await startMongod({ dir: path.join(opts.dir, 'mongod') });
      return { ...s, source: started('mongodb-memory-server-download', 'mongod über mongodb-memory-server') };
    } catch (err) {
      reasons.push(`mongodb-memory-server: ${(err as Error).message.split('\n')[0]}`);
    }
  } else if (probe) {
    reasons.push(probe.reason);
  }

  try {
    const ferret = await findOrBuildFerretDb(opts.log);
    if (ferret) {
      if (opts.dryRun) return dry('ferretdb');
      const dir = path.join(opts.dir, 'ferretdb');
      const s = await startFerretDb({ binary: ferret, dir, log: opts.log });
      return { ...s, source: started('ferretdb', `FerretDB auf SQLite (${dir})`) };
    }
    reasons.push('FerretDB: kein Binary und kein Go zum Bauen');
  } catch (err) {
    reasons.push(`FerretDB: ${(err as Error).message.split('\n')[0]}`);
  }

  if (probe) return undefined; // the download was asked for already and cannot help
  try {
    if (opts.dryRun) return dry('mongodb-memory-server-download');
    const s = await startMongod({ dir: path.join(opts.dir, 'mongod') });
    return { ...s, source: started('mongodb-memory-server-download', 'mongod über mongodb-memory-server') };
  } catch (err) {
    reasons.push(`mongodb-memory-server-Download: ${(err as Error).message.split('\n')[0]}`);
  }
  return undefined;
}

function dry(source: DatabaseSource) {
  return { uri: `dry-run:${source}`, pid: -1, source, stop: async () => {} };
}
