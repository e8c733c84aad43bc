import type { AppContext } from '../app-context.ts';
import type { AuditPort } from '../privacy/ports.ts';
import type { PeoplePort, StatementsPort } from './platform-ports.ts';
import type { RoomsPort } from './ports.ts';
import { createResultsRepository } from './repository.ts';
import { resultsRoutes, resultsViewLocals } from './routes.ts';
import { createResultsService } from './service.ts';

export interface ResultsPorts {
  /** The Experimentierräume (src/rooms' resultsPort). */
  rooms: RoomsPort;
  lrs: StatementsPort;
  people: PeoplePort;
  /** The privacy foundation's audit trail (an admin's withdrawal). */
  audit?: AuditPort;
}

/** Wires the public results (issue #21): repository → service → routes; the rooms come in through their port. */
export function createResultsComponent(ctx: AppContext, ports: ResultsPorts) {
  const repo = createResultsRepository(ctx.connection);
  const service = createResultsService({ ...ports, repo, clock: ctx.clock, logger: ctx.logger, publicUrl: ctx.publicUrl });
  return {
    service,
    webRouter: resultsRoutes(service),
    /** The profile's practice section (src/app.ts mounts it before every component's routes). */
    viewLocals: resultsViewLocals(service),
    /** For the certificates' verify page: the holder's practice, only where they opted in. */
    practice: { publicPracticeOf: (holderId: string) => service.practice.publicPracticeOf(holderId) },
    async start() {
      await repo.ensureIndexes();
    },
  };
}
export type ResultsComponent = ReturnType<typeof createResultsComponent>;
