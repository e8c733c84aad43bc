import type { Connection } from 'mongoose';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Mailer } from '../shared/mailer.ts';
import { createAttendanceService } from './attendance.ts';
import { createCsvImport } from './csv-import.ts';
import { createEligibility } from './eligibility.ts';
import { createLearnerScopes } from './learner-scope.ts';
import { createRegistrationMails } from './mails.ts';
import { createPathService } from './path.ts';
import { createPlanningService } from './planning.ts';
import type { DirectoryPort, Eligibility, LrsPort, ModuleTitlesPort, ProgressPort } from './ports.ts';
import { createPrerequisiteRepository } from './prerequisite-repository.ts';
import { createPrerequisiteService } from './prerequisites.ts';
import { createRegistrationService } from './registration.ts';
import { createRequirementsService } from './requirements.ts';
import { createRosterService } from './roster.ts';
import { createSeatRepository } from './seat-repository.ts';
import { createSessionRepository } from './session-repository.ts';

export interface QualificationDeps {
  connection: Connection;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  publicUrl: () => string;
  directory: DirectoryPort;
  /** Read on every use, so the composition root or a test can replace them after start. */
  progress: () => ProgressPort;
  lrs: () => LrsPort;
  titles: () => ModuleTitlesPort;
}

/** Builds the qualification's services from its repositories and ports. */
export function createQualificationService(deps: QualificationDeps) {
  const prerequisiteRepo = createPrerequisiteRepository(deps.connection);
  const sessionRepo = createSessionRepository(deps.connection);
  const seats = createSeatRepository(deps.connection);
  const mails = createRegistrationMails({ mailer: deps.mailer, directory: deps.directory, publicUrl: deps.publicUrl, logger: deps.logger });
  const requirements = createRequirementsService({ repo: sessionRepo, clock: deps.clock });
  const eligibility = createEligibility({ prerequisites: prerequisiteRepo, seats, sessions: sessionRepo, requirements, progress: deps.progress, titles: deps.titles });
  const scopes = createLearnerScopes({ sessions: sessionRepo });
  const planning = createPlanningService({ repo: sessionRepo, seats, directory: deps.directory, clock: deps.clock });
  const registration = createRegistrationService({ sessions: sessionRepo, seats, prerequisites: prerequisiteRepo, requirements, eligibility, mails, clock: deps.clock, logger: deps.logger });
  return {
    /**
     * The port the certificates component uses (see ports.ts, Eligibility): whether a learner has
     * completed the qualification, and what is missing with a link to fix each item.
     */
    eligibility: (learnerId: string): Promise<Eligibility> => eligibility.eligibility(learnerId),
    q1Progress: eligibility.q1Progress,
    /** The port the certificates component uses: the learners a trainer (or admin) acts on. */
    learnerScope: scopes.of,
    requirements,
    prerequisites: createPrerequisiteService({ repo: prerequisiteRepo, scopes, directory: deps.directory, mails, clock: deps.clock, logger: deps.logger }),
    csvImport: createCsvImport({ repo: prerequisiteRepo, directory: deps.directory, clock: deps.clock }),
    planning,
    registration,
    attendance: createAttendanceService({ seats, directory: deps.directory, lrs: deps.lrs, clock: deps.clock, publicUrl: deps.publicUrl }),
    roster: createRosterService({ seats, prerequisites: prerequisiteRepo, requirements, eligibility, directory: deps.directory }),
    path: createPathService({ eligibility, seats, sessions: sessionRepo }),
    directory: deps.directory,
  };
}
export type QualificationService = ReturnType<typeof createQualificationService>;
