import type { Cmi5Launcher } from './cmi5.ts';
import { versionItems } from './launchable-settings.ts';
import type { LaunchService } from './launch-service.ts';
import { orderModules } from './module-order.ts';
import type { ContentModule, ContentPort, ModuleStatus } from './ports.ts';
import type { ProgressProjection } from './progress.ts';
import type { ProgressDoc } from './model.ts';
import type { PlayerRepository } from './repository.ts';
import type { Waivers } from './waivers.ts';

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

/** The player's face to pages and other components. */
export function createPlayerService(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  projection: ProgressProjection;
  launches: LaunchService;
  cmi5: Cmi5Launcher;
  waivers: Waivers;
  /** The slugs the dashboard lists first, in this order (the composition root passes the Q1 modules). */
  moduleOrder: () => Promise<string[]>;
}) {
  return {
    launches: deps.launches,
    cmi5: deps.cmi5,
    waivers: deps.waivers,
    progressFor: deps.projection.progressFor,
    progressForLearners: deps.projection.progressForLearners,

    /** The attempt of a registration and the id of its n-th launchable (cmi5 AU order of cmi5.xml). */
    async attemptItemByIndex(registration: string, index: number): Promise<{ attemptId: string; itemId: string } | undefined> {
      const attempt = await deps.repo.findAttemptByRegistration(registration);
      const version = attempt ? await deps.content.getVersion(attempt.versionId) : undefined;
      const item = version ? versionItems(version)[index] : undefined;
      return attempt && item ? { attemptId: attempt.id, itemId: item.id } : undefined;
    },

    /** Published modules with the learner's progress record each (one small record per module). */
    async dashboard(learnerId: string): Promise<DashboardRow[]> {
      const [modules, records, order] = await Promise.all([deps.content.listModules({ publishedOnly: true }), deps.repo.progressByLearner(learnerId), deps.moduleOrder()]);
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
    },
  };
}
export type PlayerService = ReturnType<typeof createPlayerService>;
