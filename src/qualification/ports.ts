/**
 * The qualification component's boundaries. It depends on components that are built before it
 * (player: Q1 progress; lrs: storing statements; content: module titles) through the small ports
 * below, handed in at construction by the composition root; and it offers one port to others
 * (certificates): `eligibility`.
 */
import type { ModuleProgress, ModuleStatus } from '../player/ports.ts';

/** What the qualification reads of one module's progress record (the player's type, src/player/ports.ts). */
export type Q1Progress = Pick<ModuleProgress, 'moduleSlug' | 'status' | 'score' | 'timeSpentSeconds'>;

/** One Q1 module as the qualification shows it: the progress plus the module's title for people. */
export type Q1Module = Q1Progress & {
  /** The content module's title ("Q1 · Tools + Methoden"); the slug where content does not know it. */
  title: string;
};

/** Player → qualification: read progress records (never raw statements). */
export interface ProgressPort {
  progressFor(learnerId: string, moduleSlugs: string[]): Promise<Q1Progress[]>;
  /**
   * The same for many learners at once, by learner id (rosters: one query, not one per learner).
   * Optional: a stand-in without it is asked learner by learner.
   */
  progressForLearners?(learnerIds: string[], moduleSlugs: string[]): Promise<Map<string, Q1Progress[]>>;
}

/** Qualification → LRS: attendance is written as xAPI statements like everything else. Returns the ids. */
export interface LrsPort {
  storeStatements(statements: unknown[]): Promise<string[]>;
}

/** Content → qualification: the modules' titles for people, by slug. Slugs it does not know may be left out. */
export interface ModuleTitlesPort {
  moduleTitles(slugs: string[]): Promise<Map<string, string>>;
}

/** A Q1 module counts as done when the player reports it completed or passed. */
export const moduleDone = (status: ModuleStatus): boolean => status === 'completed' || status === 'passed';

/** Why a learner is not (yet) eligible or may not register: a code, a sentence for people, where to fix it. */
export interface MissingItem {
  code: MissingCode;
  message: string;
  fixUrl: string;
}

export type MissingCode =
  | 'authorisation-missing'
  | 'authorisation-not-verified'
  | 'workshop-missing'
  | 'workshop-not-verified'
  | 'q1-incomplete'
  | 'q2-topic-missing'
  | 'registration-closed'
  | 'already-registered';

export type PrerequisiteState = 'missing' | 'pending' | 'verified' | 'rejected';

export interface PrerequisiteSummary {
  state: PrerequisiteState;
  /** Who decided and when (verified or rejected), and why (rejected). */
  decidedBy?: string;
  decidedAt?: Date;
  reason?: string;
}

export interface Q2TopicProgress {
  topic: string;
  title: string;
  requiresQ1: boolean;
  attended: boolean;
  /** The session whose attendance counts for this topic, its title and start. */
  sessionId?: string;
  sessionTitle?: string;
  date?: Date;
}

/**
 * qualification → certificates: `service.eligibility(learnerId)`. Stable name and shape; the
 * certificates component builds against exactly this.
 *  - eligible: every prerequisite verified, every Q1 module completed or passed, every Q2 topic attended
 *  - missing: what is still open, each with a German message and the page where it is fixed
 */
export interface Eligibility {
  learnerId: string;
  eligible: boolean;
  missing: MissingItem[];
  prerequisites: {
    authorisation: PrerequisiteSummary & { number?: string; date?: Date; partner?: string };
    workshop: PrerequisiteSummary & { date?: Date; place?: string };
  };
  /** In the order of the requirements (tools-methoden, technik, megatrends by default), each with its title. */
  q1: Q1Module[];
  q2: Q2TopicProgress[];
}

export interface EligibilityPort {
  eligibility(learnerId: string): Promise<Eligibility>;
}

/** Who asks (a learner, trainer or admin), as the services take it. */
export interface Viewer {
  id: string;
  roles: string[];
}

/** An upload kept in a temp file until the service is done with it (src/http/upload.ts, UploadedFile). */
export interface TempFile {
  path: string;
  originalName: string;
  /** Removes the temp file. */
  done(): Promise<void>;
}

/** The people the qualification talks about, as accounts knows them (filled from the accounts service). */
export interface Person {
  id: string;
  name: string;
  email: string;
  region: string;
  organisation: string;
  roles: string[];
}
/** Where the path links a mentee and their mentor to their private space (the community's, handed in by src/app.ts). */
export interface MentorLinksPort {
  mentorSpace(menteeId: string): string;
}

export interface DirectoryPort {
  findUsers(ids: string[]): Promise<Person[]>;
  findByEmail(email: string): Promise<Person | undefined>;
  /** Many at once, in one query, by lower-case e-mail; unknown addresses are left out. */
  findByEmails(emails: string[]): Promise<Map<string, Person>>;
  /** People with a role, by name (for the admin's pick lists). */
  listByRole(role: string): Promise<Person[]>;
}
