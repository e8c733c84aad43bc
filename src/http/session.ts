import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { Clock } from '../shared/clock.ts';
import { randomToken } from '../shared/random.ts';
import type { ScheduledJobs } from '../shared/scheduled-jobs.ts';

const SESSIONS = 'sessions';

/** SESSION_SECRET, or one generated once into DATA_DIR so sessions survive restarts in development. */
export async function sessionSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'session-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomToken(48);
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * Sessions in MongoDB. FerretDB refuses TTL indexes, so expired sessions are removed by a scheduled job.
 * Not connect-mongo's own `autoRemove: 'interval'`: it deletes with write concern w:0, an unacknowledged
 * write, and a server that answers those anyway (FerretDB 1.x) leaves the pooled connection one reply
 * behind, so later queries receive earlier queries' answers. Our delete is acknowledged.
 * Cookies: httpOnly, sameSite=lax, secure whenever the request came over TLS (behind a proxy too).
 */
export async function sessionMiddleware(opts: {
  connection: Connection;
  secret: string;
  jobs: ScheduledJobs;
  clock: Clock;
}): Promise<{ middleware: RequestHandler; store: MongoStore }> {
  // serves the clean-up's delete on MongoDB (a plain index: TTL indexes are refused by FerretDB)
  await opts.connection.collection(SESSIONS).createIndex({ expires: 1 });
  const store = MongoStore.create({
    client: opts.connection.getClient(),
    dbName: opts.connection.name,
    collectionName: SESSIONS,
    autoRemove: 'disabled',
    touchAfter: 60,
  });
  opts.jobs.every('sessions-clean-up', 10 * 60_000, async () => {
    await opts.connection.collection(SESSIONS).deleteMany({ expires: { $lt: opts.clock.now() } });
  });
  const middleware = session({
    name: 'lotse.sid',
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 8 * 60 * 60 * 1000 },
  }) as RequestHandler;
  return { middleware, store };
}
