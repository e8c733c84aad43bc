import mongoose, { type Connection } from 'mongoose';

/** How long a request waits for a database that is down or stalled before it is answered 503. */
export const DATABASE_WAIT = { selectMs: 5_000, replyMs: 15_000, heartbeatMs: 5_000 };

/**
 * Opens the app's one mongoose connection. autoIndex builds the indexes declared on the models, which
 * is how every query gets its index on MongoDB; FerretDB accepts them too.
 * While the database is unreachable, operations fail after DATABASE_WAIT.selectMs instead of being
 * buffered by mongoose (bufferCommands: false; the first connection is awaited here), an operation
 * whose reply does not come within replyMs is abandoned, and the driver's monitor notices a stalled
 * server within two heartbeats (then every operation fails fast at server selection), so requests
 * get a 503 from the error mapper instead of hanging; the driver reconnects by itself.
 * `monitorCommands` makes the driver emit 'commandStarted' for every command (tests count the
 * queries of a page with it).
 */
export async function connectMongoose(uri: string, dbName: string, opts: { monitorCommands?: boolean } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    autoIndex: true,
    bufferCommands: false,
    serverSelectionTimeoutMS: DATABASE_WAIT.selectMs,
    socketTimeoutMS: DATABASE_WAIT.replyMs,
    connectTimeoutMS: DATABASE_WAIT.heartbeatMs,
    heartbeatFrequencyMS: DATABASE_WAIT.heartbeatMs,
    monitorCommands: opts.monitorCommands ?? false,
  });
  await connection.asPromise();
  return connection;
}

/** True when the database answers a ping within the given time. */
export async function pingDatabase(connection: Connection, timeoutMs = 2000): Promise<boolean> {
  const db = connection.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = db
    .admin()
    .ping()
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
