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

/** qualification → certificates: the learners whose certificates and requests a trainer (or admin) handles. */
export interface LearnerScopePort {
  learnerScope(viewer: { id: string; roles: string[] }): Promise<{ includes(learnerId: string): boolean }>;
}
