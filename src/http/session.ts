import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { randomToken } from '../shared/random.ts';

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
 * Sessions in MongoDB. FerretDB refuses TTL indexes, so expired sessions are removed on an interval.
 * Cookies: httpOnly, sameSite=lax, secure whenever the request came over TLS (behind a proxy too).
 */
export function sessionMiddleware(opts: { connection: Connection; secret: string }): { middleware: RequestHandler; store: MongoStore } {
  const store = MongoStore.create({
    client: opts.connection.getClient(),
    dbName: opts.connection.name,
    collectionName: 'sessions',
    autoRemove: 'interval',
    autoRemoveInterval: 10,
    touchAfter: 60,
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
