import type { AuditPort } from '../privacy/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Texts } from '../i18n/i18n.ts';
import type { Mailer } from '../shared/mailer.ts';
import { createAdminPlanning } from './admin-planning.ts';
import { createAttendanceService } from './attendance.ts';
import { createCsvImport } from './csv-import.ts';
import { createEligibility } from './eligibility.ts';
import { createMissingReasons } from './missing.ts';
import { createLearnerPath } from './learner-path.ts';
import { createLearnerScopes } from './learner-scope.ts';
import { createRegistrationMails } from './mails.ts';
import { createPathService } from './path.ts';
import { createPeopleByEmail } from './people-by-email.ts';
import { createPlanningService } from './planning.ts';
import type { DirectoryPort, Eligibility, LrsPort, MentorLinksPort, ModuleTitlesPort, ProgressPort } from './ports.ts';
import type { PrerequisiteRepository } from './prerequisite-repository.ts';
import { createPrerequisiteService } from './prerequisites.ts';
import { createRegistrationService } from './registration.ts';
import type { RequirementsService } from './requirements.ts';
import { createRosterService } from './roster.ts';
import type { SeatRepository } from './seat-repository.ts';
import type { SessionRepository } from './session-repository.ts';
import { createSessionView } from './session-view.ts';
import { createTrainerDesk } from './trainer-desk.ts';

/** The qualification's repositories (component.ts builds them) and the requirements they hold. */
export interface QualificationStore {
  prerequisites: PrerequisiteRepository;
  sessions: SessionRepository;
  seats: SeatRepository;
  requirements: RequirementsService;
}

export interface QualificationDeps {
  store: QualificationStore;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  /** German texts for the mails. */
  texts: Texts;
  publicUrl: () => string;
  directory: DirectoryPort;
  progress: ProgressPort;
  lrs: LrsPort;
  titles: ModuleTitlesPort;
  /** The privacy component's audit trail: evidence decisions are recorded there. */
  audit?: AuditPort;
  /** The mentor space the path links to; without it the path names the mentor only. */
  mentorLinks?: MentorLinksPort;
}

/** Builds the qualification's services from its repositories and ports. */
export function createQualificationService(deps: QualificationDeps) {
  const { prerequisites: prerequisiteRepo, sessions: sessionRepo, seats, requirements } = deps.store;
  const { clock, logger, directory } = deps;
  const mails = createRegistrationMails({ mailer: deps.mailer, texts: deps.texts, directory, publicUrl: deps.publicUrl, logger });
  const reasons = createMissingReasons(deps.texts);
  const eligibility = createEligibility({
    prerequisites: prerequisiteRepo,
    seats,
    sessions: sessionRepo,
    requirements,
    progress: deps.progress,
    titles: deps.titles,
    reasons,
  });
  const scopes = createLearnerScopes({ sessions: sessionRepo });
  const planning = createPlanningService({ repo: sessionRepo, seats, directory, clock });
  const registration = createRegistrationService({
    sessions: sessionRepo,
    seats,
    prerequisites: prerequisiteRepo,
    requirements,
    eligibility,
    mails,
    reasons,
    clock,
    logger,
  });
  const path = createPathService({ eligibility, seats, sessions: sessionRepo });
  const prerequisites = createPrerequisiteService({ repo: prerequisiteRepo, scopes, directory, mails, clock, logger, audit: deps.audit });
  const roster = createRosterService({ seats, prerequisites: prerequisiteRepo, requirements, eligibility, directory, texts: deps.texts });
  const attendance = createAttendanceService({ seats, directory, lrs: deps.lrs, clock, publicUrl: deps.publicUrl });
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
    prerequisites,
    csvImport: createCsvImport({ repo: prerequisiteRepo, directory, clock, texts: deps.texts }),
    planning,
    registration,
    adminPlanning: createAdminPlanning({ planning, registration, requirements, directory, people: createPeopleByEmail(directory) }),
    sessionView: createSessionView({ planning, registration, requirements, clock, publicUrl: deps.publicUrl }),
    attendance,
    roster,
    trainerDesk: createTrainerDesk({ planning, roster, attendance, prerequisites }),
    path,
    learnerPath: createLearnerPath({ path, eligibility, planning, requirements, directory, mentorLinks: deps.mentorLinks }),
    directory,
  };
}
export type QualificationService = ReturnType<typeof createQualificationService>;
