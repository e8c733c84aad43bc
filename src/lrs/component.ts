import type { AppContext } from '../app-context.ts';
import { createClientRepository } from './clients/repository.ts';
import { createClientService } from './clients/service.ts';
import type { DocumentGuard, DocumentReadHook } from './documents/guards.ts';
import { createDocumentRepository } from './documents/repository.ts';
import { createDocumentService } from './documents/service.ts';
import { adminRoutes } from './http/admin-routes.ts';
import { xapiRouter } from './http/xapi-router.ts';
import { lrsModels } from './model.ts';
import { createLrsService } from './service.ts';
import { createActivitiesAndAgents } from './statements/activities-agents.ts';
import { createActivityDefinitions } from './statements/activity-definitions.ts';
import { createReadStatements } from './statements/read-statements.ts';
import { createReplayStatements } from './statements/replay-statements.ts';
import { createStatementRepository } from './statements/repository.ts';
import { createStoreStatements, type NamedHook, type StatementGuard } from './statements/store-statements.ts';
import type { AuditPort } from '../privacy/ports.ts';

/** Wires the LRS: repositories → use cases → the /xapi API and the admin pages. */
export async function createLrsComponent(ctx: AppContext, deps: { audit?: AuditPort } = {}) {
  const { connection, clock, logger, config } = ctx;
  const statements = createStatementRepository(connection);
  const clients = createClientService({ repo: createClientRepository(connection), clock, publicUrl: ctx.publicUrl, audit: deps.audit });
  const documentGuards: DocumentGuard[] = [];
  const documentReadHooks: DocumentReadHook[] = [];
  const documents = createDocumentService({ repo: createDocumentRepository(connection), clock, guards: documentGuards, readHooks: documentReadHooks });
  const guards: StatementGuard[] = [];
  const hooks: NamedHook[] = [];
  const definitions = createActivityDefinitions({ repo: statements, clock });
  const store = createStoreStatements({ repo: statements, clock, logger, guards, hooks, definitions });
  const read = createReadStatements({ repo: statements, clock });
  const replay = createReplayStatements({ repo: statements, hooks, logger });
  const service = createLrsService({
    store,
    read,
    replay,
    documents,
    clients,
    guards,
    documentGuards,
    documentReadHooks,
    hooks,
    clock,
    publicUrl: ctx.publicUrl,
  });

  ctx.jobs.every('lrs-expired-credentials', 15 * 60_000, () => clients.deleteExpired());

  return {
    // the service's functions are on the component itself too: app.lrs.storeStatements(...)
    ...service,
    service,
    /** Mounted by src/app.ts ahead of the platform's page middleware (its clients are content and tools). */
    xapiRouter: xapiRouter({
      clients,
      store,
      read,
      activitiesAndAgents: createActivitiesAndAgents({ definitions }),
      documents,
      consistentThrough: () => clock.now(),
    }),
    webRouter: adminRoutes({ clients, read }),
    async start() {
      const models = lrsModels(connection);
      await Promise.all(Object.values(models).map((m) => m.init()));
      await statements.dropRetiredIndexes();
      const backfilled = await statements.backfillKeys();
      if (backfilled) logger.info(`LRS: Schlüsselzeilen für ${backfilled} ältere Anweisungen geschrieben`);
      await statements.backfillReferencedMarkers();
      if (config.lrsSeed) await clients.ensureSeed(config.lrsSeed.key, config.lrsSeed.secret);
    },
  };
}
export type LrsComponent = Awaited<ReturnType<typeof createLrsComponent>>;
