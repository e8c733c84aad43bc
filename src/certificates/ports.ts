/**
 * What the certificates component needs from others, as small structural interfaces the composition
 * root fills in (src/app.ts). The qualification service satisfies EligibilityPort as it is; the
 * accounts service satisfies PeoplePort.
 */

/** Why a learner is not (yet) eligible: a code, a German sentence, the page where it is fixed. */
export interface MissingRequirement {
  code: string;
  message: string;
  fixUrl: string;
}

/** One Q1 module as qualification reports it. */
export interface Q1Result {
  moduleSlug: string;
  title?: string;
  status: string;
  score?: number;
}

/** One Q2 topic as qualification reports it. */
export interface Q2Result {
  topic: string;
  title?: string;
  attended: boolean;
  sessionTitle?: string;
  date?: Date;
}

export interface EligibilityResult {
  eligible: boolean;
  missing: MissingRequirement[];
  q1: Q1Result[];
  q2: Q2Result[];
}

/** qualification → certificates: may this learner be certified, and on what evidence. */
export interface EligibilityPort {
  eligibility(learnerId: string): Promise<EligibilityResult>;
}

/** accounts → certificates: the holder's name (printed) and e-mail (only ever hashed). */
export interface PeoplePort {
  findUser(id: string): Promise<{ id: string; name: string; email: string } | undefined>;
  /** Many at once, in one query (the trainer's list of requests); unknown ids are left out. */
  findUsers(ids: string[]): Promise<Array<{ id: string; name: string }>>;
}

/** qualification → certificates: the learners whose certificates and requests a trainer (or admin) handles. */
export interface LearnerScopePort {
  learnerScope(viewer: { id: string; roles: string[] }): Promise<{ includes(learnerId: string): boolean }>;
}

/** Until qualification is wired: admins handle every learner, trainers none (they have no cohorts yet). */
export const adminsOnly: LearnerScopePort = {
  async learnerScope(viewer) {
    const admin = viewer.roles.includes('admin');
    return { includes: () => admin };
  },
};

/** Until qualification is wired: nobody is eligible, and the reason says so. */
export const qualificationUnavailable: EligibilityPort = {
  async eligibility() {
    return {
      eligible: false,
      missing: [{ code: 'qualification-unavailable', message: 'Die Prüfung der Voraussetzungen ist noch nicht verfügbar.', fixUrl: '/' }],
      q1: [],
      q2: [],
    };
  },
};
