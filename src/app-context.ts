import type { Connection } from 'mongoose';
import type { i18n } from 'i18next';
import type { Config } from './config.ts';
import type { Texts } from './i18n/i18n.ts';
import type { Origins } from './http/origins.ts';
import type { Clock } from './shared/clock.ts';
import type { Logger } from './shared/logger.ts';
import type { Mailer } from './shared/mailer.ts';
import type { ScheduledJobs } from './shared/scheduled-jobs.ts';

/** What every component is built from; made once in the composition root (app.ts). */
export interface AppContext {
  config: Config;
  connection: Connection;
  logger: Logger;
  mailer: Mailer;
  clock: Clock;
  /** Periodic background work that runs once per interval across all instances on the database. */
  jobs: ScheduledJobs;
  /** Absolute base URL for links in mails, credentials and launch URLs. */
  publicUrl: () => string;
  /** The texts in both languages (pages translate per request through its middleware). */
  i18n: i18n;
  /** German texts for mails and other output outside a request (German first; no per-user language yet). */
  texts: Texts;
  /** The platform's and the content origin (package files run there, without the platform's session). */
  origins: Origins;
}
