import { Router } from 'express';
import type { AppContext } from '../app-context.ts';
import type { AuditPort } from '../privacy/ports.ts';
import { qualificationModels } from './model.ts';
import type { DirectoryPort, LrsPort, MentorLinksPort, ModuleTitlesPort, ProgressPort } from './ports.ts';
import { apiRoutes } from './api-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { learnerRoutes } from './learner-routes.ts';
import { trainerRoutes } from './trainer-routes.ts';
import { createPrerequisiteRepository } from './prerequisite-repository.ts';
import { createRequirementsService } from './requirements.ts';
import { createSeatRepository } from './seat-repository.ts';
import { createQualificationService, type QualificationStore } from './service.ts';
import { createSessionRepository } from './session-repository.ts';
import { seedDemoQualification } from './demo-data.ts';

/**
 * The qualification's repositories and requirements, built before the player: the player lists the
 * Q1 modules of the requirements first, and the qualification reads the player's progress, so the
 * composition root builds this store, then the player, then the component (no setter closes a circle).
 */
export function createQualificationStore(ctx: Pick<AppContext, 'connection' | 'clock'>): QualificationStore {
  const sessions = createSessionRepository(ctx.connection);
  return {
    prerequisites: createPrerequisiteRepository(ctx.connection),
    sessions,
    seats: createSeatRepository(ctx.connection),
    requirements: createRequirementsService({ repo: sessions, clock: ctx.clock }),
  };
}

export interface QualificationPorts {
  store: QualificationStore;
  directory: DirectoryPort;
  /** The player's progress records. */
  progress: ProgressPort;
  /** The LRS: attendance is stored as statements. */
  lrs: LrsPort;
  /** Content's module titles (module-titles.ts). */
  titles: ModuleTitlesPort;
  /** The privacy component's audit trail (staff actions). */
  audit?: AuditPort;
  /** The mentor space the path links to (the community's). */
  mentorLinks?: MentorLinksPort;
}

/** Wires the qualification component: its store and the other components' ports → services → routes. */
export function createQualificationComponent(ctx: AppContext, ports: QualificationPorts) {
  const service = createQualificationService({
    ...ports,
    clock: ctx.clock,
    logger: ctx.logger,
    mailer: ctx.mailer,
    texts: ctx.texts,
    publicUrl: ctx.publicUrl,
  });
  const webRouter = Router();
  webRouter.use(apiRoutes(service));
  webRouter.use(learnerRoutes(service));
  webRouter.use(trainerRoutes(service));
  webRouter.use(adminRoutes(service));
  return {
    service,
    webRouter,
    async start() {
      // the unique indexes decide every race (seats, waiting list, upserts): they must exist before the first request
      await Promise.all(Object.values(qualificationModels(ctx.connection)).map((m) => m.init()));
      if (ctx.config.demoData) await seedDemoQualification(service, ctx.clock);
    },
  };
}
export type QualificationComponent = ReturnType<typeof createQualificationComponent>;
