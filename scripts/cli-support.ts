/**
 * What every command-line script shares: output helpers, the database of the same chain the server
 * uses (a running server's embedded database when there is one), and the exit code handling.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Connection } from 'mongoose';
import type { AppContext } from '../src/app-context.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { chooseDatabase } from '../src/db/choose-database.ts';
import { connectMongoose } from '../src/db/connect.ts';
import { createI18n, germanTexts } from '../src/i18n/i18n.ts';
import { systemClock } from '../src/shared/clock.ts';
import { createLogger } from '../src/shared/logger.ts';
import { createScheduledJobs } from '../src/shared/scheduled-jobs.ts';
import { createMailer } from '../src/shared/mailer.ts';
import { createOrigins } from '../src/http/origins.ts';

export const out = (line = '') => process.stdout.write(`${line}\n`);
export const err = (line = '') => process.stderr.write(`${line}\n`);

/** Runs `fn` with the configuration and an open connection, and closes both afterwards. */
export async function withCliDatabase<T>(fn: (db: { config: Config; connection: Connection }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  await mkdir(config.dataDir, { recursive: true });
  const database = await chooseDatabase({ mongodbUri: config.mongodbUri, dir: path.join(config.dataDir, 'db'), role: 'cli', log: (m) => err(m) });
  const connection = await connectMongoose(database.uri, config.mongodbDb);
  try {
    return await fn({ config, connection });
  } finally {
    await connection.close();
    await database.stop();
  }
}

/** The context components are made from, as the server makes it (logging at LOG_LEVEL, else warnings only). */
export async function cliContext({ config, connection }: { config: Config; connection: Connection }): Promise<AppContext> {
  const { i18n } = await createI18n();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const publicUrl = () => config.publicUrl ?? `http://localhost:${config.port}`;
  return {
    config,
    connection,
    i18n,
    texts: germanTexts(i18n),
    logger,
    clock: systemClock,
    // registered jobs never start here: a command-line run leaves background work to the server
    jobs: createScheduledJobs({ connection, clock: systemClock, logger, instance: `cli-${process.pid}` }),
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox'), logger }),
    publicUrl,
    origins: createOrigins({
      publicUrl: config.publicUrl,
      contentOrigin: config.contentOrigin,
      sandboxed: config.contentIsolation === 'sandbox',
      actualPublicUrl: publicUrl,
      platformPort: () => config.port,
      contentPort: () => config.contentPort,
    }),
  };
}

/** Runs a script's main and exits with its code; an unexpected failure prints one line, no stack. */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      err(`Fehlgeschlagen: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
