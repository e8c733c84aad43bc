import http from 'node:http';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Connection } from 'mongoose';
import { createApp, type App } from './app.ts';
import { gracefulClose } from './http/graceful-close.ts';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { chooseDatabase, type ChosenDatabase } from './db/choose-database.ts';
import { connectMongoose } from './db/connect.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { createMailer } from './shared/mailer.ts';
import { randomToken } from './shared/random.ts';
import { createScheduledJobs } from './shared/scheduled-jobs.ts';

export interface Running {
  app: App;
  ctx: AppContext;
  database: ChosenDatabase;
  connection: Connection;
  server: http.Server;
  url: string;
  /**
   * Graceful: stop accepting and reusing connections, finish running requests (up to
   * SHUTDOWN_GRACE_SECONDS), stop background jobs, close the database, stop the embedded server.
   */
  stop(): Promise<void>;
}

export interface BootOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  /** Tests pass an already running database; otherwise the chain of database.md decides. */
  database?: ChosenDatabase;
  role?: 'server' | 'cli' | 'test';
  /** Emit the driver's command events on the connection's client (tests count queries with them). */
  monitorCommands?: boolean;
}

/** Makes the context (database, mailer, clock), the app, and listens. */
export async function boot(opts: BootOptions): Promise<Running> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true });
  const database =
    opts.database ??
    (await chooseDatabase({
      mongodbUri: config.mongodbUri,
      dir: path.join(config.dataDir, 'db'),
      role: opts.role ?? 'server',
      log: (msg) => logger.info(msg),
    }));
  let connection: Connection | undefined;
  try {
    connection = await connectMongoose(database.uri, config.mongodbDb, { monitorCommands: opts.monitorCommands });
    let actualUrl = config.publicUrl ?? `http://localhost:${config.port}`;
    const clock = opts.clock ?? systemClock;
    const ctx: AppContext = {
      config,
      connection,
      logger,
      clock,
      jobs: createScheduledJobs({ connection, clock, logger, instance: `${process.pid}-${randomToken(6)}` }),
      mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox'), logger }),
      publicUrl: () => actualUrl,
    };
    const app = await createApp(ctx);
    await app.start();
    ctx.jobs.start();
    const server = http.createServer(app.express);
    server.requestTimeout = 5 * 60_000; // large package uploads
    const shutdown = gracefulClose(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    if (!config.publicUrl) actualUrl = url;
    const conn = connection;
    let stopping: Promise<void> | undefined;
    return {
      app,
      ctx,
      database,
      connection: conn,
      server,
      url,
      stop: () =>
        (stopping ??= (async () => {
          await shutdown.close(config.shutdownGraceSeconds * 1000);
          await ctx.jobs.stop();
          await app.close();
          await conn.close();
          if (!opts.database) await database.stop();
        })()),
    };
  } catch (err) {
    await connection?.close().catch(() => {});
    if (!opts.database) await database.stop().catch(() => {});
    throw err;
  }
}
