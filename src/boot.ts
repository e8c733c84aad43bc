import http from 'node:http';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Connection } from 'mongoose';
import { createApp, type App, type StandIns } from './app.ts';
import { gracefulClose } from './http/graceful-close.ts';
import type { AppContext } from './app-context.ts';
import type { Config } from './config.ts';
import { createOrigins } from './http/origins.ts';
import { createI18n, germanTexts } from './i18n/i18n.ts';
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
  /** The content origin's own listener (package files by token, no sessions); none with CONTENT_ISOLATION=sandbox. */
  contentServer: http.Server | undefined;
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
  /** Tests: stand-ins for other components' services, handed to the components at construction (app.ts). */
  standIns?: StandIns;
}

/** Listens and returns the port it got (port 0: any free one). */
async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
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
    let platformPort = config.port;
    let contentPort = config.contentPort;
    const clock = opts.clock ?? systemClock;
    const { i18n } = await createI18n();
    const ctx: AppContext = {
      i18n,
      texts: germanTexts(i18n),
      config,
      connection,
      logger,
      clock,
      jobs: createScheduledJobs({ connection, clock, logger, instance: `${process.pid}-${randomToken(6)}` }),
      mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox'), logger }),
      publicUrl: () => actualUrl,
      origins: createOrigins({
        publicUrl: config.publicUrl,
        contentOrigin: config.contentOrigin,
        sandboxed: config.contentIsolation === 'sandbox',
        actualPublicUrl: () => actualUrl,
        platformPort: () => platformPort,
        contentPort: () => contentPort,
      }),
    };
    const app = await createApp(ctx, { standIns: opts.standIns });
    await app.start();
    ctx.jobs.start();
    const server = http.createServer(app.express);
    server.requestTimeout = 5 * 60_000; // large package uploads
    const contentServer = config.contentIsolation === 'origin' ? http.createServer(app.contentExpress) : undefined;
    const shutdown = [server, ...(contentServer ? [contentServer] : [])].map(gracefulClose);
    platformPort = await listen(server, config.port, config.host);
    try {
      if (contentServer) contentPort = await listen(contentServer, config.contentPort, config.host);
    } catch (err) {
      server.close();
      throw err;
    }
    const url = `http://localhost:${platformPort}`;
    if (!config.publicUrl) actualUrl = url;
    if (contentServer) logger.info({ contentOrigin: ctx.origins.content(), contentPort }, 'Inhalte laufen auf eigenem Origin');
    else logger.warn('CONTENT_ISOLATION=sandbox: Inhalte laufen auf dem Origin der Plattform, nur durch die Sandbox getrennt');
    if (contentServer && config.trustProxy && !config.contentOrigin) {
      logger.warn('CONTENT_ORIGIN ist nicht gesetzt: hinter einem Proxy erreichen Browser die Inhalte nur über einen eigenen Host, der auf CONTENT_PORT zeigt');
    }
    const conn = connection;
    let stopping: Promise<void> | undefined;
    return {
      app,
      ctx,
      database,
      connection: conn,
      server,
      contentServer,
      url,
      stop: () =>
        (stopping ??= (async () => {
          await Promise.all(shutdown.map((s) => s.close(config.shutdownGraceSeconds * 1000)));
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
