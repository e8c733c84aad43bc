import type { AttendanceService } from './attendance.ts';
import type { AttendanceStatus } from './model.ts';
import type { PlanningService } from './planning.ts';
import type { Viewer } from './ports.ts';
import type { PrerequisiteService } from './prerequisites.ts';
import type { Roster, RosterService } from './roster.ts';
import type { Cohort, Q2Session } from './session-repository.ts';

/**
 * What a trainer (or admin) does with their cohorts and sessions, for the pages and the API alike.
 * Each call checks first that the viewer trains that session or leads that cohort (403 otherwise).
 */
export function createTrainerDesk(deps: {
  planning: PlanningService;
  roster: RosterService;
  attendance: AttendanceService;
  prerequisites: PrerequisiteService;
}) {
  const { planning, roster } = deps;

  /** The session, if the viewer trains it: 404 for an unknown one, 403 for somebody else's. */
  async function trainedSession(viewer: Viewer, sessionId: string): Promise<Q2Session> {
    const session = await planning.sessionOr404(sessionId);
    await planning.assertTrains(viewer, session);
    return session;
  }

  return {
    /** The trainer's start page: own cohorts and sessions, and how many prerequisites wait for a decision. */
    async overview(viewer: Viewer) {
      const [overview, pending] = await Promise.all([planning.trainerOverview(viewer), deps.prerequisites.pending(viewer)]);
      return { ...overview, pendingCount: pending.length };
    },
    async cohortRoster(viewer: Viewer, cohortId: string, region?: string): Promise<{ cohort: Cohort; roster: Roster }> {
      const cohort = await planning.visibleCohort(viewer, cohortId);
      return { cohort, roster: await roster.forCohort(cohort, region) };
    },
    /** The cohort's page: its roster and the viewer's sessions of that cohort. */
    async cohortPage(viewer: Viewer, cohortId: string, region?: string): Promise<{ cohort: Cohort; roster: Roster; sessions: Q2Session[] }> {
      const cohort = await planning.visibleCohort(viewer, cohortId);
      const [cohortRoster, overview] = await Promise.all([roster.forCohort(cohort, region), planning.trainerOverview(viewer)]);
      return { cohort, roster: cohortRoster, sessions: overview.sessions.filter((s) => s.cohortId === cohort.id) };
    },
    async sessionRoster(viewer: Viewer, sessionId: string, region?: string): Promise<{ session: Q2Session; roster: Roster }> {
      const session = await trainedSession(viewer, sessionId);
      return { session, roster: await roster.forSession(session, region) };
    },
    /** Marks a participant's attendance (stored as an xAPI statement through the LRS). */
    async markAttendance(viewer: Viewer, sessionId: string, learnerId: string, status: AttendanceStatus): Promise<{ statementId: string }> {
      return deps.attendance.mark(viewer.id, await trainedSession(viewer, sessionId), learnerId, status);
    },
    toCsv: roster.toCsv,
  };
}
export type TrainerDesk = ReturnType<typeof createTrainerDesk>;
