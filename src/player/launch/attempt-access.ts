import { DomainError, forbidden, notFound } from '../../shared/errors.ts';
import type { Learner } from '../activity-iris.ts';
import type { ContentModule, ContentPort, ContentVersion } from '../ports.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import type { ItemProgress } from '../rollup.ts';
import { deriveState, toMap } from '../scorm-rules.ts';

/** How every use case of a learner's attempt finds it, its version and its items' states. */
export function createAttemptAccess(deps: { repo: PlayerRepository; content: ContentPort }) {
  const { repo, content } = deps;
  return {
    async requireVersion(versionId: string): Promise<ContentVersion> {
      const v = await content.getVersion(versionId);
      if (!v) throw notFound('player:errors.versionGone');
      return v;
    },

    async requireModule(moduleIdOrSlug: string): Promise<ContentModule> {
      const module = await content.getModule(moduleIdOrSlug);
      if (!module) throw notFound('player:errors.moduleNotFound');
      return module;
    },

    /** The module's published version: new attempts launch nothing else. */
    async requirePublishedVersion(moduleId: string): Promise<ContentVersion> {
      const version = await content.getPublishedVersion(moduleId);
      if (!version) throw new DomainError('conflict', 'player:errors.notPublished');
      return version;
    },

    /** The learner's own attempt; somebody else's is refused, not shown. */
    async ownAttempt(learner: Learner, attemptId: string): Promise<Attempt> {
      const a = await repo.findAttempt(attemptId);
      if (!a) throw notFound('player:errors.attemptNotFound');
      if (a.learnerId !== learner.id) throw forbidden('player:errors.notYourAttempt');
      return a;
    },

    /**
     * Item states for sequencing. SCORM items also count what their stored CMI data says: it is written
     * when a commit is applied, a moment before the statements that update the item's flags.
     */
    async itemStates(attemptId: string, format?: string): Promise<ItemProgress[]> {
      return (await repo.listItems(attemptId)).map((i) => {
        const fromCmi = format === 'scorm12' || format === 'scorm2004' ? deriveState(format, toMap(i.cmi)).completion : false;
        return { itemId: i.itemId, completion: i.completion || fromCmi, success: i.success, scoreScaled: i.scoreScaled, waived: Boolean(i.waivedReason) };
      });
    },
  };
}
export type AttemptAccess = ReturnType<typeof createAttemptAccess>;
