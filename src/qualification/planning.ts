import { indexBy } from '../shared/batch.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import type { DirectoryPort, Person, Viewer } from './ports.ts';
import type { SeatRepository } from './seat-repository.ts';
import type { Cohort, Q2Session, SessionInput, SessionRepository } from './session-repository.ts';

const isAdmin = (v: Viewer) => v.roles.includes('admin');

/** Sessions, cohorts and mentors, and who may see which of them. */
export function createPlanningService(deps: { repo: SessionRepository; seats: SeatRepository; directory: DirectoryPort; clock: Clock }) {
  const { repo } = deps;

  function checkTimes(s: Pick<SessionInput, 'startsAt' | 'endsAt' | 'registrationDeadline' | 'cancellationDeadline' | 'format' | 'place' | 'meetingLink'>) {
    const fields = [];
    if (s.endsAt <= s.startsAt) fields.push({ field: 'endsAt', message: 'qualification:errors.endBeforeStart' });
    if (s.registrationDeadline > s.startsAt) fields.push({ field: 'registrationDeadline', message: 'qualification:errors.deadlineAfterStart' });
    if (s.cancellationDeadline > s.startsAt) fields.push({ field: 'cancellationDeadline', message: 'qualification:errors.deadlineAfterStart' });
    if (s.format === 'praesenz' && !s.place) fields.push({ field: 'place', message: 'qualification:errors.placeRequired' });
    if (s.format === 'virtuell' && !s.meetingLink) fields.push({ field: 'meetingLink', message: 'qualification:errors.linkRequired' });
    if (fields.length) throw new DomainError('validation', 'errors:validationSummary', { fields });
  }

  async function cohortOr404(id: string): Promise<Cohort> {
    const c = await repo.findCohort(id);
    if (!c) throw notFound('qualification:errors.cohortNotFound');
    return c;
  }
  async function sessionOr404(id: string): Promise<Q2Session> {
    const s = await repo.findSession(id);
    if (!s) throw notFound('qualification:errors.sessionNotFound');
    return s;
  }

  /** Trainers see the cohorts they lead; admins see all. */
  async function assertCohortVisible(viewer: Viewer, cohort: Cohort) {
    if (!isAdmin(viewer) && !cohort.trainerIds.includes(viewer.id)) throw forbidden('qualification:errors.notYourCohort');
  }
  /**
   * The ids of the sessions this viewer trains, among many (a list page): a session is a trainer's when
   * they lead it or its cohort; the cohorts of all sessions are read in one look-up.
   */
  async function trainedSessionIds(viewer: Viewer, sessions: Q2Session[]): Promise<Set<string>> {
    if (isAdmin(viewer)) return new Set(sessions.map((s) => s.id));
    const cohorts = indexBy(
      await repo.findCohorts(sessions.filter((s) => !s.trainerIds.includes(viewer.id) && s.cohortId).map((s) => s.cohortId)),
      (c) => c.id,
    );
    return new Set(sessions.filter((s) => s.trainerIds.includes(viewer.id) || cohorts.get(s.cohortId)?.trainerIds.includes(viewer.id)).map((s) => s.id));
  }
  const canTrain = async (viewer: Viewer, s: Q2Session): Promise<boolean> => (await trainedSessionIds(viewer, [s])).has(s.id);

  return {
    sessionOr404,
    cohortOr404,
    canTrain,
    trainedSessionIds,
    async assertTrains(viewer: Viewer, s: Q2Session): Promise<void> {
      if (!(await canTrain(viewer, s))) throw forbidden('qualification:errors.notYourSession');
    },
    async visibleCohort(viewer: Viewer, id: string): Promise<Cohort> {
      const c = await cohortOr404(id);
      await assertCohortVisible(viewer, c);
      return c;
    },

    async createSession(input: SessionInput): Promise<Q2Session> {
      checkTimes(input);
      if (input.cohortId) await cohortOr404(input.cohortId);
      return repo.insertSession(input, deps.clock.now());
    },
    async updateSession(id: string, input: SessionInput): Promise<Q2Session> {
      checkTimes(input);
      const s = await repo.updateSession(id, input);
      if (!s) throw notFound('qualification:errors.sessionNotFound');
      return s;
    },
    /** Upcoming sessions (and those of the last 30 days), optionally of one topic. */
    async upcoming(topic?: string): Promise<Q2Session[]> {
      const from = new Date(deps.clock.now().getTime() - 30 * 24 * 3600_000);
      const all = await repo.listSessions({ from });
      return topic ? all.filter((s) => s.topic === topic) : all;
    },
    allSessions: () => repo.listSessions(),

    /** The trainer's own cohorts and sessions (admins: all). */
    async trainerOverview(viewer: Viewer): Promise<{ cohorts: Cohort[]; sessions: Q2Session[] }> {
      if (isAdmin(viewer)) return { cohorts: await repo.listCohorts(), sessions: await repo.listSessions() };
      const cohorts = await repo.listCohorts({ trainerId: viewer.id });
      // their own sessions and those of their cohorts, in one query
      const sessions = await repo.listSessions({ trainerId: viewer.id, cohortIds: cohorts.map((c) => c.id) });
      return { cohorts, sessions };
    },

    async createCohort(input: { name: string; region: string; trainerIds: string[]; learnerIds: string[] }): Promise<Cohort> {
      return repo.insertCohort(input, deps.clock.now());
    },
    async updateCohort(id: string, input: Partial<Omit<Cohort, 'id'>>): Promise<Cohort> {
      const c = await repo.updateCohort(id, input);
      if (!c) throw notFound('qualification:errors.cohortNotFound');
      return c;
    },
    listCohorts: () => repo.listCohorts(),
    cohortsOfLearner: (learnerId: string) => repo.listCohorts({ learnerId }),

    /** An admin names an experienced Lotse as mentor; the mentor then sees the mentee's path read-only. */
    async assignMentor(adminId: string, learnerId: string, mentorId: string): Promise<void> {
      if (learnerId === mentorId) throw new DomainError('validation', 'qualification:errors.mentorSelf');
      const people = await deps.directory.findUsers([learnerId, mentorId]);
      if (people.length < 2) throw notFound('qualification:errors.personNotFound');
      await repo.putMentor({ learnerId, mentorId, assignedBy: adminId, assignedAt: deps.clock.now() });
    },
    removeMentor: (learnerId: string) => repo.removeMentor(learnerId),
    async mentorships(): Promise<Array<{ learner?: Person; mentor?: Person; learnerId: string; mentorId: string }>> {
      const list = await repo.listMentorships();
      const people = indexBy(await deps.directory.findUsers(list.flatMap((m) => [m.learnerId, m.mentorId])), (p) => p.id);
      return list.map((m) => ({ ...m, learner: people.get(m.learnerId), mentor: people.get(m.mentorId) }));
    },
    async menteesOf(mentorId: string): Promise<Person[]> {
      const list = await repo.menteesOf(mentorId);
      return deps.directory.findUsers(list.map((m) => m.learnerId));
    },
    mentorOf: (learnerId: string) => repo.mentorOf(learnerId),

    /**
     * Who may read a learner's path: the learner, admins, their mentor, and trainers of a cohort they
     * belong to or of a session they registered for.
     */
    async assertMayViewPath(viewer: Viewer, learnerId: string): Promise<void> {
      if (viewer.id === learnerId || isAdmin(viewer)) return;
      if ((await repo.mentorOf(learnerId))?.mentorId === viewer.id) return;
      if (viewer.roles.includes('trainer')) {
        const cohorts = await repo.listCohorts({ learnerId });
        if (cohorts.some((c) => c.trainerIds.includes(viewer.id))) return;
        const sessionIds = [...(await deps.seats.seatsOfLearner(learnerId)), ...(await deps.seats.waitsOfLearner(learnerId))].map((s) => s.sessionId);
        if ((await trainedSessionIds(viewer, await repo.findSessions(sessionIds))).size) return;
      }
      throw forbidden('qualification:errors.pathForbidden');
    },
  };
}
export type PlanningService = ReturnType<typeof createPlanningService>;
