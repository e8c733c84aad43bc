import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { AuditPort } from '../privacy/ports.ts';
import { createModeration } from './moderation.ts';
import type { PeoplePort, StatementsPort } from './platform-ports.ts';
import type { RoomsPort } from './ports.ts';
import { createPractice } from './practice.ts';
import { createPublicResults } from './public-results.ts';
import { createPublishing } from './publishing.ts';
import type { ResultsRepository } from './repository.ts';

export interface ResultsDeps {
  repo: ResultsRepository;
  rooms: RoomsPort;
  lrs: StatementsPort;
  people: PeoplePort;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  /** The privacy foundation's audit trail: an admin's withdrawal is recorded there. */
  audit?: AuditPort;
}

/** The results' services: the lead's publication, the public pages, the Lotse's practice, the admin's moderation. */
export function createResultsService(deps: ResultsDeps) {
  return {
    publishing: createPublishing(deps),
    public: createPublicResults(deps),
    practice: createPractice(deps),
    moderation: createModeration(deps),
  };
}
export type ResultsService = ReturnType<typeof createResultsService>;
