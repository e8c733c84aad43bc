import type { ModuleTitlesPort } from '../qualification/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { createCohortDashboard } from './cohort-dashboard.ts';
import type { QualificationPort, Viewer } from './ports.ts';
import { createQuestionStats } from './question-stats.ts';
import type { InsightRepository } from './repository.ts';
import { createTimeline } from './timeline.ts';

/** What the insight pages call: one service per figure, all reading projections. */
export function createInsightService(deps: { qualification: QualificationPort; titles: ModuleTitlesPort; repo: InsightRepository; clock: Clock }) {
  const { qualification: q, repo } = deps;
  /** The Q1 modules' titles by slug, in the requirements' order (filters and module columns). */
  async function moduleTitles(): Promise<Map<string, string>> {
    const req = await q.requirements.get();
    const titles = await deps.titles.moduleTitles(req.q1Modules);
    return new Map(req.q1Modules.map((slug) => [slug, titles.get(slug) ?? slug]));
  }
  return {
    dashboard: createCohortDashboard(deps),
    questions: createQuestionStats({ ...deps, moduleTitles }),
    timeline: createTimeline(deps),
    /** The cohorts the viewer leads (admins: all), for the overview page. */
    cohortsOf: async (viewer: Viewer) => (await q.planning.trainerOverview(viewer)).cohorts,
    moduleTitles,
    digest: {
      isOptedOut: (userId: string) => repo.isOptedOut(userId),
      setOptOut: (userId: string, optOut: boolean) => repo.setOptOut(userId, optOut, deps.clock.now()),
    },
  };
}
export type InsightService = ReturnType<typeof createInsightService>;
