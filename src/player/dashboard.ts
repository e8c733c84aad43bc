import { orderModules } from './module-order.ts';
import type { ContentModule, ContentPort, ModuleStatus } from './ports.ts';
import type { ProgressDoc } from './model.ts';
import type { PlayerRepository } from './repository.ts';

export interface DashboardRow {
  moduleId: string;
  slug: string;
  title: string;
  description: string;
  status: ModuleStatus;
  scorePercent: number | null;
  timeSpentMinutes: number;
  attempts: number;
  lastLaunchedAt: Date | null;
  /** Which button the learner sees: Starten, Fortsetzen or Wiederholen. */
  action: 'start' | 'resume' | 'retry';
  /**
   * The open or suspended attempt runs on an older version than the one now published: the learner
   * chooses between "Fortsetzen" (that version) and "Neue Version starten" (new attempt, newest version).
   */
  newVersion: boolean;
}

/**
 * The learner's dashboard: published modules with the learner's progress record each (one small
 * record per module), the slugs of `moduleOrder` first (the composition root passes the Q1 modules).
 */
export function createDashboard(deps: { repo: PlayerRepository; content: ContentPort; moduleOrder: () => Promise<string[]> }) {
  return async function dashboard(learnerId: string): Promise<DashboardRow[]> {
    const [modules, records, order] = await Promise.all([
      deps.content.listModules({ publishedOnly: true }),
      deps.repo.progressByLearner(learnerId),
      deps.moduleOrder(),
    ]);
    const byModule = new Map(records.map((p) => [p.moduleId, p]));
    // records written before they named the resumable attempt's version: read it from the attempt
    const versionOf = async (p: ProgressDoc | undefined): Promise<string | null> => {
      if (!p?.resumableAttemptId) return null;
      if (p.resumableVersionId) return p.resumableVersionId;
      return (await deps.repo.findAttempt(p.resumableAttemptId))?.versionId ?? null;
    };
    return Promise.all(
      orderModules(modules as ContentModule[], order).map(async (m) => {
        const p = byModule.get(m.id);
        const status = (p?.status ?? 'not-attempted') as ModuleStatus;
        const resumableVersion = await versionOf(p);
        return {
          moduleId: m.id,
          slug: m.slug,
          title: typeof m.title === 'string' ? m.title : m.slug,
          description: typeof m.description === 'string' ? m.description : '',
          status,
          scorePercent: p?.scorePercent ?? null,
          timeSpentMinutes: Math.round((p?.timeSpentSeconds ?? 0) / 60),
          attempts: p?.attempts ?? 0,
          lastLaunchedAt: p?.lastLaunchedAt ?? null,
          action: p?.resumableAttemptId ? 'resume' : status === 'not-attempted' ? 'start' : 'retry',
          newVersion: Boolean(resumableVersion && m.publishedVersionId && resumableVersion !== m.publishedVersionId),
        };
      }),
    );
  };
}
