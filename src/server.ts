import { boot } from './boot.ts';
import { ConfigError, loadConfig } from './config.ts';
import { NoDatabaseError } from './db/choose-database.ts';
import { createLogger } from './shared/logger.ts';

/** `npm start`: config → database → app → listen; graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let running: Awaited<ReturnType<typeof boot>>;
  try {
    running = await boot({ config, logger });
  } catch (err) {
    if (err instanceof NoDatabaseError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
  logger.info({ url: running.url, database: running.database.source }, 'GeZu Lotse Academy läuft');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const crash = (err: unknown) => {
    logger.fatal({ err }, 'crash');
    // the embedded database goes down with us (also guarded by its watchdog)
    running.database.stop().finally(() => process.exit(1));
  };
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
}

main().catch((err: unknown) => {
  process.stderr.write(`Start fehlgeschlagen: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
