import { Router } from 'express';
import type { AppContext } from '../app-context.ts';
import { outboxModel, qualificationModels } from './model.ts';
import { noModuleTitles, notAttemptedProgress, type DirectoryPort, type LrsPort, type ModuleTitlesPort, type ProgressPort } from './ports.ts';
import { apiRoutes } from './api-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { learnerRoutes } from './learner-routes.ts';
import { trainerRoutes } from './trainer-routes.ts';
import { createQualificationService } from './service.ts';
import { createStatementOutbox } from './statement-outbox.ts';
import { seedDemoQualification } from './demo-data.ts';

export interface QualificationPorts {
  directory: DirectoryPort;
  /** The player's progress records; until the player is wired: everybody 'not-attempted'. */
  progress?: ProgressPort;
  /** The LRS; until it is wired: an outbox collection (statement-outbox.ts). */
  lrs?: LrsPort;
  /** Content's module titles (module-titles.ts); until it is wired: modules are shown by slug. */
  titles?: ModuleTitlesPort;
}

/** Wires the qualification component: repositories → services → routes, with its ports. */
export function createQualificationComponent(ctx: AppContext, ports: QualificationPorts) {
  let progress: ProgressPort = ports.progress ?? notAttemptedProgress;
  let lrs: LrsPort = ports.lrs ?? createStatementOutbox(ctx.connection);
  let titles: ModuleTitlesPort = ports.titles ?? noModuleTitles;
  const service = createQualificationService({
    connection: ctx.connection,
    clock: ctx.clock,
    logger: ctx.logger,
    mailer: ctx.mailer,
    publicUrl: ctx.publicUrl,
    directory: ports.directory,
    progress: () => progress,
    lrs: () => lrs,
    titles: () => titles,
  });
  const webRouter = Router();
  webRouter.use(apiRoutes(service, ctx));
  webRouter.use(learnerRoutes(service, ctx));
  webRouter.use(trainerRoutes(service));
  webRouter.use(adminRoutes(service));
  return {
    service,
    webRouter,
    /** The composition root (or a test) plugs in the player's progress records once they exist. */
    setProgressPort(port: ProgressPort) {
      progress = port;
    },
    /** The composition root (or a test) plugs in content's module titles. */
    setModuleTitlesPort(port: ModuleTitlesPort) {
      titles = port;
    },
    /** The composition root plugs in the LRS once it exists. */
    setLrsPort(port: LrsPort) {
      lrs = port;
    },
    async start() {
      // the unique indexes decide every race (seats, waiting list, upserts): they must exist before the first request
      await Promise.all([...Object.values(qualificationModels(ctx.connection)), outboxModel(ctx.connection)].map((m) => m.init()));
      if (ctx.config.demoData) await seedDemoQualification(service, ctx.clock);
    },
  };
}
export type QualificationComponent = ReturnType<typeof createQualificationComponent>;
