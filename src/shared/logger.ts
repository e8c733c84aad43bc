import { pino, type Logger } from 'pino';

export type { Logger };

/** One pino logger for the process; request loggers are its children with a request id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
  });
}
