import type { AppContext } from '../app-context.ts';
import type { LrsService } from '../lrs/service.ts';
import type { ModuleTitlesPort } from '../qualification/ports.ts';
import type { QualificationPort } from './ports.ts';
import { createInsightProjection, type RegistrationsPort } from './projection.ts';
import { createInsightRepository } from './repository.ts';
import { insightRoutes } from './routes.ts';
import { createInsightService } from './service.ts';
import { createWeeklyDigest } from './weekly-digest.ts';

const WEEK_MS = 7 * 24 * 3600_000;

export interface InsightPorts {
  /** The LRS's after-store hook: the projections follow every stored statement (and a replay); failures are recorded under the name. */
  lrs: Pick<LrsService, 'onStatementsStored'>;
  qualification: QualificationPort;
  titles: ModuleTitlesPort;
  registrations: RegistrationsPort;
}

/**
 * Wires insight (issue #19): projections fed by the LRS hook → services → trainer pages, exports, the
 * weekly digest job. Everything it shows comes from its projections and the qualification's service.
 */
export function createInsightComponent(ctx: AppContext, ports: InsightPorts) {
  const repo = createInsightRepository(ctx.connection);
  const projection = createInsightProjection({ repo, registrations: ports.registrations });
  ports.lrs.onStatementsStored((statements, prepared) => projection.onStatementsStored(statements, prepared), {
    name: 'insight-projections',
    prepare: (statements) => projection.ownersOf(statements),
  });
  const service = createInsightService({ qualification: ports.qualification, titles: ports.titles, repo, clock: ctx.clock });
  const digest = createWeeklyDigest({
    qualification: ports.qualification,
    dashboard: service.dashboard,
    repo,
    mailer: ctx.mailer,
    clock: ctx.clock,
    logger: ctx.logger,
    publicUrl: ctx.publicUrl,
    t: ctx.texts,
  });
  ctx.jobs.every('insight-weekly-digest', WEEK_MS, async () => {
    const sent = await digest.sendAll();
    ctx.logger.info({ sent }, 'weekly trainer digest sent');
  });
  return {
    service,
    projection,
    digest,
    webRouter: insightRoutes(service),
    async start() {
      await repo.ensureIndexes();
    },
  };
}
export type InsightComponent = ReturnType<typeof createInsightComponent>;
