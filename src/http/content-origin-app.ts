import express, { type Express, type Router } from 'express';
import type { Config } from '../config.ts';
import type { Texts } from '../i18n/i18n.ts';
import type { Logger } from '../shared/logger.ts';
import { DomainError } from '../shared/errors.ts';
import { createPlainErrorMapper } from './error-mapper.ts';
import { requestLogging } from './request-logging.ts';

/**
 * The app behind the content origin's own listener: package files by token and the SCORM adapter,
 * nothing else. No sessions, no body parsers, no platform routes: /login, /profile, /admin, /xapi and
 * every other path are 404 here, whatever cookies the request carries.
 */
export function createContentOriginApp(opts: { routers: Router[]; logger: Logger; trustProxy: Config['trustProxy']; germanT: Texts }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  app.use(requestLogging(opts.logger));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // content links to anywhere it likes; it must not tell those sites the token URL
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  for (const r of opts.routers) app.use(r);
  app.use(() => {
    throw new DomainError('not-found', 'errors:notFound');
  });
  app.use(createPlainErrorMapper(opts.germanT));
  return app;
}
