import type { Statement } from '../lrs/types.ts';
import type { Logger } from '../shared/logger.ts';
import type { LrsPort } from './ports.ts';
import type { ProgressProjection } from './progress.ts';
import type { Item, PlayerRepository } from './repository.ts';

/**
 * The statements of SCORM commits on their way to the LRS. They are held with the item (in the same
 * document as the CMI data they come from) before they are sent, and released once stored: when the
 * LRS fails, the commit answers with an error and the item's next commit (scorm-again's next
 * autocommit, or the page's repeat of the terminating commit) sends them again. Their ids are
 * derived from the event (statements.ts stableUuid) and they are sent as held, so a statement that
 * did reach the LRS before a failure is not stored twice.
 */
export function createHeldStatements(deps: { repo: PlayerRepository; lrs: LrsPort | undefined; projection: ProgressProjection; logger: Logger }) {
  const { repo } = deps;
  return {
    /** Keeps new statements with the item until they are delivered (nothing to keep without an LRS). */
    async hold(item: Pick<Item, 'attemptId' | 'itemId'>, statements: Statement[]): Promise<string[]> {
      if (!deps.lrs || !statements.length) return [];
      const held = statements.map((s) => JSON.stringify(s));
      await repo.holdStatements(item.attemptId, item.itemId, held);
      return held;
    },

    /**
     * Sends the item's held statements (the LRS's hook applies them to the items; the commit refreshes
     * the attempt itself afterwards). Returns the LRS's error instead of throwing, so that the commit
     * still finishes what it does with the CMI data before it answers with the failure.
     */
    async deliver(item: Pick<Item, 'attemptId' | 'itemId'>, held: string[]): Promise<{ delivered: number; failure?: unknown }> {
      if (!deps.lrs || !held.length) return { delivered: 0 };
      const lrs = deps.lrs;
      const statements = held.map((json) => JSON.parse(json) as Statement);
      try {
        await deps.projection.storeRefreshingMyself(statements, () => lrs.storeStatements(statements));
        await repo.releaseStatements(item.attemptId, item.itemId, held);
        return { delivered: held.length };
      } catch (failure) {
        deps.logger.error(
          { err: failure, attempt: item.attemptId, item: item.itemId, held: held.length },
          'storing SCORM statements failed: held for the next commit',
        );
        return { delivered: 0, failure };
      }
    },
  };
}
export type HeldStatements = ReturnType<typeof createHeldStatements>;
