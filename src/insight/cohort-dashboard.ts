import type { ModuleStatus } from '../player/ports.ts';
import type { Roster } from '../qualification/roster.ts';
import type { Cohort } from '../qualification/session-repository.ts';
import type { Clock } from '../shared/clock.ts';
import { DEFAULT_RULES, whoNeedsAttention, type AttentionItem, type AttentionRules } from './attention.ts';
import type { ModuleActivityDoc } from './model.ts';
import type { QualificationPort, Viewer } from './ports.ts';
import type { InsightRepository } from './repository.ts';
import { daysBetween, fiveNumbers, round1, weeksBetween } from './stats.ts';

export const FUNNEL: ModuleStatus[] = ['not-attempted', 'in-progress', 'completed', 'passed', 'failed'];

export interface ModuleRef {
  slug: string;
  title: string;
}
export interface CohortDashboard {
  cohort: { id: string; name: string; learners: number };
  modules: ModuleRef[];
  /** Per module how many members are in each status (the player's progress records). */
  funnel: Array<ModuleRef & { counts: Record<ModuleStatus, number> }>;
  /** Cumulative members done (completed or passed) per module at the end of each week. */
  weekly: { weeks: Date[]; series: Array<ModuleRef & { cumulative: number[] }> };
  /** Minutes spent per module by the members who spent any: box plot numbers. */
  timeSpent: Array<ModuleRef & { learners: number; minutes: ReturnType<typeof fiveNumbers> }>;
  pendingPrerequisites: Array<{ learnerId: string; name: string; kind: 'authorisation' | 'workshop'; since: Date | null; waitingDays: number | null }>;
  sessions: Array<{
    id: string;
    title: string;
    startsAt: Date;
    capacity: number;
    participants: number;
    waiting: number;
    attended: number;
    marked: number;
    attendanceRate: number | null;
  }>;
  attention: AttentionItem[];
  inactiveDays: number;
}

/** The weekly cumulative "done" per module from the activity records' first completion or pass. */
function weeklyDone(modules: ModuleRef[], activity: ModuleActivityDoc[], now: Date): CohortDashboard['weekly'] {
  const firsts = activity.map((a) => a.firstAt.getTime());
  const weeks = weeksBetween(firsts.length ? new Date(Math.min(...firsts)) : now, now);
  const series = modules.map((m) => {
    const done = activity.filter((a) => a.moduleSlug === m.slug && a.doneAt).map((a) => a.doneAt!.getTime());
    // a week counts what was done before its end (the next Monday)
    return { ...m, cumulative: weeks.map((w) => done.filter((t) => t < w.getTime() + 7 * 86_400_000).length) };
  });
  return { weeks, series };
}

/**
 * The cohort dashboard (issue #19): funnel, weekly progress, time spent, pending prerequisites, Q2
 * sessions and who needs attention. Reads the qualification's roster (progress records,
 * prerequisites) and the insight projections, a fixed number of queries whatever the data's age.
 */
export function createCohortDashboard(deps: { qualification: QualificationPort; repo: InsightRepository; clock: Clock }) {
  const q = deps.qualification;

  async function sessionsOf(viewer: Viewer, cohort: Cohort): Promise<CohortDashboard['sessions']> {
    const sessions = (await q.planning.trainerOverview(viewer)).sessions.filter((s) => s.cohortId === cohort.id);
    const ids = sessions.map((s) => s.id);
    const [counts, marks] = await Promise.all([q.registration.countsOf(ids), deps.repo.attendanceOf(ids)]);
    return sessions
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
      .map((s) => {
        const own = marks.filter((m) => m.sessionId === s.id);
        const attended = own.filter((m) => m.status === 'attended').length;
        const c = counts.get(s.id) ?? { participants: 0, waiting: 0 };
        // the share of the registered who came, once marks are there (before the session: none)
        return {
          id: s.id,
          title: s.title,
          startsAt: s.startsAt,
          capacity: s.capacity,
          participants: c.participants,
          waiting: c.waiting,
          attended,
          marked: own.length,
          attendanceRate: own.length ? attended / Math.max(c.participants, own.length) : null,
        };
      });
  }

  /**
   * The members' prerequisites that wait for a check, with their dates. The roster says whose are
   * pending; only those few are read (the qualification's list of everyone pending is a scan that grows
   * with every learner of the year).
   */
  async function pendingOf(roster: Roster): Promise<CohortDashboard['pendingPrerequisites']> {
    const now = deps.clock.now();
    const waiting = roster.rows.filter((r) => r.authorisation === 'pending' || r.workshop === 'pending');
    const items = await Promise.all(waiting.map(async (r) => ({ row: r, p: await q.prerequisites.get(r.learnerId) })));
    return items
      .flatMap(({ row, p }) =>
        (['authorisation', 'workshop'] as const)
          .filter((kind) => p[kind].state === 'pending')
          .map((kind) => ({
            learnerId: row.learnerId,
            name: row.name,
            kind,
            since: p[kind].updatedAt ?? null,
            waitingDays: p[kind].updatedAt ? daysBetween(p[kind].updatedAt!, now) : null,
          })),
      )
      .sort((a, b) => (b.waitingDays ?? 0) - (a.waitingDays ?? 0));
  }

  function figures(roster: Roster, activity: ModuleActivityDoc[], now: Date) {
    const modules = roster.q1Modules.map((m) => ({ slug: m.slug, title: m.title }));
    const funnel = modules.map((m) => {
      const counts = Object.fromEntries(FUNNEL.map((s) => [s, 0])) as Record<ModuleStatus, number>;
      for (const r of roster.rows) counts[r.q1.find((x) => x.moduleSlug === m.slug)?.status ?? 'not-attempted'] += 1;
      return { ...m, counts };
    });
    const timeSpent = modules.map((m) => {
      const minutes = roster.rows.map((r) => (r.q1.find((x) => x.moduleSlug === m.slug)?.timeSpentSeconds ?? 0) / 60).filter((x) => x > 0);
      const five = fiveNumbers(minutes);
      return {
        ...m,
        learners: minutes.length,
        minutes: five && { min: round1(five.min), q1: round1(five.q1), median: round1(five.median), q3: round1(five.q3), max: round1(five.max) },
      };
    });
    return { modules, funnel, timeSpent, weekly: weeklyDone(modules, activity, now) };
  }

  return {
    /** The dashboard of one cohort the viewer leads (admins: any). */
    async forCohort(viewer: Viewer, cohortId: string, rules: Partial<AttentionRules> = {}): Promise<CohortDashboard> {
      const cohort = await q.planning.visibleCohort(viewer, cohortId);
      const now = deps.clock.now();
      const rosterRead = q.roster.forCohort(cohort);
      const [roster, activity, pendingPrerequisites, sessions] = await Promise.all([
        rosterRead,
        deps.repo.activityOf(cohort.learnerIds),
        rosterRead.then(pendingOf),
        sessionsOf(viewer, cohort),
      ]);
      const r = { ...DEFAULT_RULES, ...rules };
      const attention = whoNeedsAttention(roster.rows, activity, now, r);
      // the reason of a rejection is on the prerequisite itself: read for the few rejected ones
      await Promise.all(
        attention
          .filter((a) => a.code === 'prerequisiteRejected')
          .map(async (a) => {
            a.reason = (await q.prerequisites.get(a.learnerId))[a.kind!].reason ?? '';
          }),
      );
      return {
        cohort: { id: cohort.id, name: cohort.name, learners: roster.rows.length },
        ...figures(roster, activity, now),
        pendingPrerequisites,
        sessions,
        attention,
        inactiveDays: r.inactiveDays,
      };
    },
  };
}
export type CohortDashboardService = ReturnType<typeof createCohortDashboard>;
