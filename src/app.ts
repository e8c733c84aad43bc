import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import type { AppContext } from './app-context.ts';
import { createAccountComponent, type AccountComponent } from './accounts/component.ts';
import { createCsrf } from './http/csrf.ts';
import { errorMapper, notFoundHandler } from './http/error-mapper.ts';
import { flashMiddleware } from './http/flash.ts';
import { healthRoutes } from './http/health.ts';
import { requestLogging } from './http/request-logging.ts';
import { securityHeaders } from './http/security.ts';
import { sessionMiddleware, sessionSecret } from './http/session.ts';
import { viewLocals } from './http/view-locals.ts';
import { createI18n } from './i18n/i18n.ts';
import { siteRoutes } from './site/routes.ts';

const viewsDir = fileURLToPath(new URL('../views/', import.meta.url));

/** A component plugs into the app at these places. */
export interface ComponentParts {
  /** Runs once after the app is built and before it listens (indexes, seeds, demo data). */
  start?(): Promise<void>;
  /** Stops the component's timers and background work. */
  close?(): Promise<void>;
  /** Mounted before sessions, body parsers and CSRF: APIs with their own auth and parsing (the LRS). */
  apiRouter?: Router;
  /** Mounted after sessions, body parsers and CSRF: pages and session-authenticated JSON. */
  webRouter?: Router;
}

export interface App {
  express: Express;
  accounts: AccountComponent;
  /** Runs the components' start steps in order. */
  start(): Promise<void>;
  /** Stops background work (session clean-up, timers); the caller closes the connection. */
  close(): Promise<void>;
}

/** The composition root: context → components → one Express app. */
export async function createApp(ctx: AppContext): Promise<App> {
  const { config, connection, logger } = ctx;
  const { middleware: i18nMiddleware } = await createI18n();
  const accounts = await createAccountComponent(ctx);
  const components: ComponentParts[] = [accounts];

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', viewsDir);
  app.set('view engine', 'pug');
  if (config.env === 'production') app.enable('view cache');

  app.use(requestLogging(logger));
  app.use(securityHeaders());
  app.use('/static', express.static(path.join(viewsDir, 'static'), { maxAge: config.env === 'production' ? '1d' : 0 }));
  app.use(healthRoutes(connection));
  app.use(i18nMiddleware);
  for (const c of components) if (c.apiRouter) app.use(c.apiRouter);

  const { middleware: sessions, store } = sessionMiddleware({ connection, secret: await sessionSecret(config.sessionSecret, config.dataDir) });
  app.use(sessions);
  app.use(accounts.passport.initialize());
  app.use(accounts.passport.session());
  app.use(express.urlencoded({ extended: true, limit: config.bodyLimit, parameterLimit: 200 }));
  app.use(express.json({ limit: config.bodyLimit }));
  app.use(flashMiddleware);
  const csrf = createCsrf();
  app.use(csrf.tokenForView);
  app.use(viewLocals);
  app.use(csrf.protect);

  app.use(siteRoutes());
  for (const c of components) if (c.webRouter) app.use(c.webRouter);
  app.use(notFoundHandler);
  app.use(errorMapper);

  return {
    express: app,
    accounts,
    start: async () => {
      for (const c of components) await c.start?.();
    },
    close: async () => {
      for (const c of [...components].reverse()) await c.close?.();
      await store.close().catch(() => {});
    },
  };
}
