/**
 * What the certificates component needs from others, as small structural interfaces the composition
 * root hands in at construction (src/app.ts). Eligibility is the qualification's type, imported from
 * its owner; the qualification service satisfies both qualification ports as it is, the accounts
 * service satisfies PeoplePort.
 */
export type { Eligibility, EligibilityPort } from '../qualification/ports.ts';

/** accounts → certificates: the holder's name (printed) and e-mail (only ever hashed). */
export interface PeoplePort {
  findUser(id: string): Promise<{ id: string; name: string; email: string } | undefined>;
  /** Many at once, in one query (the trainer's list of requests); unknown ids are left out. */
  findUsers(ids: string[]): Promise<Array<{ id: string; name: string }>>;
}

/** A room the holder led, as the public may read it on the verify page: no participants, no companies. */
export interface PracticeLine {
  title: string;
  topic: string;
  region: string;
  datesHeld: number;
  heldFrom?: Date;
  heldUntil?: Date;
}

/**
 * results → certificates: the holder's practice ("Praxis: Experimentierräume"); an empty list
 * unless the holder switched it on. Handed in by the composition root.
 */
export interface PracticePort {
  publicPracticeOf(holderId: string): Promise<PracticeLine[]>;
}

/** qualification → certificates: the learners whose certificates and requests a trainer (or admin) handles. */
export interface LearnerScopePort {
  learnerScope(viewer: { id: string; roles: string[] }): Promise<{ includes(learnerId: string): boolean }>;
}

/**
 * What the demo certificate is made from (demo-data.ts), handed in by the composition root; read only
 * when demo data is on (config.demoData, never in production).
 */
export interface DemoPort {
  /** The demo Lotse's account, once the accounts made it. */
  lotse(): Promise<{ id: string } | undefined>;
  /** The qualification's current requirements: the Q1 modules with their titles, the Q2 topics. */
  requirements(): Promise<{ q1Modules: Array<{ moduleSlug: string; title: string }>; q2Topics: Array<{ key: string; title: string; requiresQ1: boolean }> }>;
}
