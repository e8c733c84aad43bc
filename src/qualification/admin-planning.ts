import { DomainError } from '../shared/errors.ts';
import type { PeopleByEmail } from './people-by-email.ts';
import type { PlanningService } from './planning.ts';
import type { DirectoryPort, Person } from './ports.ts';
import type { RegistrationService } from './registration.ts';
import type { RequirementsService } from './requirements.ts';
import type { Cohort, Q2Session, Requirements, SessionInput } from './session-repository.ts';

/** A cohort as the admin's form and the API send it: learners by id and/or e-mail. */
export interface CohortInput {
  name: string;
  region: string;
  trainerIds: string[];
  learnerIds: string[];
  learnerEmails: string[];
}

/** A mentorship as the admin's form (e-mails) or the API (ids or e-mails) names it. */
export interface MentorInput {
  learnerId?: string;
  learnerEmail?: string;
  mentorId?: string;
  mentorEmail?: string;
}

/**
 * The admin's planning of sessions, cohorts and mentors: the overview and pick lists the forms
 * need, and the changes that take more than one step (a session edit that lets waiting learners
 * in, cohorts and mentors named by e-mail). The pages and the API call these, so both do the same.
 */
export function createAdminPlanning(deps: {
  planning: PlanningService;
  registration: RegistrationService;
  requirements: RequirementsService;
  directory: DirectoryPort;
  people: PeopleByEmail;
}) {
  const { planning, registration, people } = deps;
  return {
    /** The admin's page: requirements, every session, cohort and mentorship. */
    async overview() {
      const [requirements, sessions, cohorts, mentorships] = await Promise.all([
        deps.requirements.get(),
        planning.allSessions(),
        planning.listCohorts(),
        planning.mentorships(),
      ]);
      return { requirements, sessions, cohorts, mentorships };
    },
    /** What the session and cohort forms offer to pick: trainers, cohorts, Q2 topics. */
    async pickLists(): Promise<{ trainers: Person[]; cohorts: Cohort[]; topics: Requirements['q2Topics'] }> {
      const [trainers, cohorts, requirements] = await Promise.all([deps.directory.listByRole('trainer'), planning.listCohorts(), deps.requirements.get()]);
      return { trainers, cohorts, topics: requirements.q2Topics };
    },
    /** A cohort as its form shows it: the learners by e-mail. */
    async cohortForm(id: string): Promise<{ cohort: Cohort; learnerEmails: string[] }> {
      const cohort = await planning.cohortOr404(id);
      return { cohort, learnerEmails: (await deps.directory.findUsers(cohort.learnerIds)).map((l) => l.email) };
    },
    /** Saves a session; a larger capacity lets waiting learners in at once. */
    async editSession(id: string, input: SessionInput): Promise<Q2Session> {
      const s = await planning.updateSession(id, input);
      await registration.promoteWaiting(s.id);
      return s;
    },
    /** Creates (no id) or changes a cohort; its learners may be given by e-mail. */
    async saveCohort(id: string | undefined, input: CohortInput): Promise<Cohort> {
      const learnerIds = await people.learnerIds(input.learnerIds, input.learnerEmails);
      const data = { name: input.name, region: input.region, trainerIds: input.trainerIds, learnerIds };
      return id ? planning.updateCohort(id, data) : planning.createCohort(data);
    },
    /** Names a mentor for a learner, both by id or e-mail; 404 when either is not an account. */
    async assignMentor(adminId: string, input: MentorInput): Promise<{ learnerId: string; mentorId: string }> {
      const [learnerId, mentorId] = await Promise.all([
        people.idOf({ id: input.learnerId, email: input.learnerEmail }),
        people.idOf({ id: input.mentorId, email: input.mentorEmail }),
      ]);
      if (!learnerId || !mentorId) throw new DomainError('not-found', 'qualification:errors.personNotFound');
      await planning.assignMentor(adminId, learnerId, mentorId);
      return { learnerId, mentorId };
    },
  };
}
export type AdminPlanning = ReturnType<typeof createAdminPlanning>;
