import type { ModuleStatus } from '../player/ports.ts';
import type { QualificationService } from '../qualification/service.ts';

/**
 * What the community reads of other components, handed in by the composition root: the
 * qualification's cohorts, sessions, registrations and mentors (its service, never its collections),
 * the player's progress records, whether someone holds a certificate, people's names, and the LRS.
 */
export type QualificationPort = {
  planning: Pick<
    QualificationService['planning'],
    'listCohorts' | 'cohortsOfLearner' | 'trainerOverview' | 'mentorOf' | 'menteesOf' | 'allSessions' | 'canTrain' | 'cohortOr404' | 'sessionOr404'
  >;
  registration: Pick<QualificationService['registration'], 'statesOf'>;
  requirements: Pick<QualificationService['requirements'], 'get'>;
};

export interface ProgressPort {
  progressFor(learnerId: string, moduleSlugs: string[]): Promise<Array<{ moduleSlug: string; status: ModuleStatus }>>;
}

export interface CertifiedPort {
  /** Whether the person holds a certificate that is not revoked (a certified Lotse). */
  isCertified(userId: string): Promise<boolean>;
}

export interface PeoplePort {
  /** Display names by id; unknown (erased) ids are left out. */
  namesOf(ids: string[]): Promise<Map<string, string>>;
  /** Names and addresses for mails; unknown ids are left out. */
  contactsOf(ids: string[]): Promise<Array<{ id: string; name: string; email: string }>>;
}

export interface StatementsPort {
  storeStatements(statements: unknown[]): Promise<string[]>;
}

/** The members of an Experimentierraum (src/rooms): its leads moderate its space, its participants take part. */
export interface RoomMembersPort {
  /** The room's title and whether the person leads it; undefined for non-members and unknown rooms. */
  roleIn(roomId: string, userId: string): Promise<{ title: string; lead: boolean } | undefined>;
  /** The room's title (admins see every room); undefined when there is none. */
  titleOf(roomId: string): Promise<string | undefined>;
  /** The rooms the person leads or takes part in. */
  roomIdsOf(userId: string): Promise<string[]>;
  /** Leads and participants, for mentions. */
  memberIdsOf(roomId: string): Promise<string[]>;
}

/** Who asks, as the services take it. */
export interface Viewer {
  id: string;
  roles: string[];
}
