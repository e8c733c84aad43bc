import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { Learner } from '../activity-iris.ts';
import type { Cmi5Launcher } from '../cmi5.ts';
import type { ProgressProjection } from '../progress.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import type { AttemptAccess } from './attempt-access.ts';

export type StartMode = 'resume' | 'new';

/** Starting an attempt: resume the open one or a new one on the published version, and an author's preview. */
export function createStartAttempt(deps: { repo: PlayerRepository; clock: Clock; access: AttemptAccess; cmi5: Cmi5Launcher; projection: ProgressProjection }) {
  const { repo, clock, access } = deps;
  return {
    /**
     * "Starten" / "Fortsetzen" / "Wiederholen": resumes the open or suspended attempt, or (mode new, or
     * none open) starts a new one on the module's published version.
     */
    async startModule(learner: Learner, moduleIdOrSlug: string, mode: StartMode): Promise<Attempt> {
      const module = await access.requireModule(moduleIdOrSlug);
      const open = await repo.findResumableAttempt(learner.id, module.id);
      if (open && mode === 'resume') return open;
      const version = await access.requirePublishedVersion(module.id);
      if (open) await repo.updateAttempt(open.id, { state: 'ended', endedAt: clock.now() });
      const attempt = await repo.createAttempt({
        learnerId: learner.id,
        learnerName: learner.name,
        moduleId: module.id,
        moduleSlug: module.slug,
        versionId: version.id,
        format: version.format,
        registration: randomUUID(),
        createdAt: clock.now(),
      });
      await deps.cmi5.evaluateRegistration(attempt, version);
      await deps.projection.refreshProgress(learner.id, module.id, module.slug);
      return attempt;
    },

    /**
     * "Vorschau starten": a new preview attempt of any version (published or not) for an author. It
     * opens through the normal launch path (openItem) but is flagged, so progress projections, the
     * dashboard's "Fortsetzen" and the version's "launched by a learner" mark all ignore it.
     */
    async launchPreview(author: Learner, versionId: string): Promise<Attempt> {
      const version = await access.requireVersion(versionId);
      const module = await access.requireModule(version.moduleId);
      const attempt = await repo.createAttempt({
        learnerId: author.id,
        learnerName: author.name,
        moduleId: module.id,
        moduleSlug: module.slug,
        versionId: version.id,
        format: version.format,
        registration: randomUUID(),
        createdAt: clock.now(),
        preview: true,
      });
      await deps.cmi5.evaluateRegistration(attempt, version);
      return attempt;
    },
  };
}
