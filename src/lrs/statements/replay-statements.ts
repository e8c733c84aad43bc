import type { Logger } from '../../shared/logger.ts';
import type { StoredStatement } from '../types.ts';
import type { PageCursor, StatementRepository } from './repository.ts';
import type { NamedHook } from './stored-hooks.ts';

export interface ReplayResult {
  statements: number;
  /** Batches a hook threw on (logged with the error), recorded failures that failed again included; the replay goes on with the next. */
  failedBatches: number;
  /**
   * Recorded hook failures (lrs_hook_failures) that the replay repaired and cleared; only there
   * when there were any, so that a replay with nothing recorded answers what it always did.
   */
  repairedFailures?: number;
}

/**
 * Hands every stored statement to the stored-statements hooks again, in stored order, in batches,
 * as if it had just arrived (voided ones too: the hooks saw them when they came). The projections
 * set values and raise maxima instead of counting, so a replay repairs what a failed hook left out
 * and recomputes what a corrected projection derives, and changes nothing where all is well.
 * First, the hook calls that failed after their retries (stored-hooks.ts) are made again with
 * exactly their statements, and their records cleared once the hook has taken them.
 */
export function createReplayStatements(deps: { repo: StatementRepository; hooks: NamedHook[]; logger: Logger }) {
  /** The recorded failures, each through its hook again (every hook when its name is gone, e.g. renamed). */
  async function repairRecorded(result: ReplayResult): Promise<void> {
    for (const failure of await deps.repo.hookFailures.list()) {
      const rows = await deps.repo.findByIds(failure.statementIds);
      const order = new Map(failure.statementIds.map((id, i) => [id, i]));
      const statements = rows.sort((a, b) => order.get(a.statementId)! - order.get(b.statementId)!).map((r) => JSON.parse(r.raw) as StoredStatement);
      const named = deps.hooks.filter((h) => h.name === failure.hook);
      try {
        for (const hook of named.length ? named : deps.hooks) await hook.fn(statements);
        await deps.repo.hookFailures.remove(failure.id);
        result.repairedFailures = (result.repairedFailures ?? 0) + 1;
      } catch (err) {
        result.failedBatches += 1;
        deps.logger.error({ err, hook: failure.hook, failure: failure.id }, 'LRS replay: a recorded hook failure failed again');
      }
    }
  }

  return async function replay(opts: { batchSize?: number; onBatch?: (done: number) => void } = {}): Promise<ReplayResult> {
    const batchSize = opts.batchSize ?? 500;
    let after: PageCursor | undefined;
    const result: ReplayResult = { statements: 0, failedBatches: 0 };
    await repairRecorded(result);
    for (;;) {
      const rows = await deps.repo.storedOrder(batchSize, after);
      if (!rows.length) return result;
      const statements = rows.map((r) => JSON.parse(r.raw) as StoredStatement);
      let failed = false;
      for (const hook of deps.hooks) {
        await hook.fn(statements).catch((err: unknown) => {
          failed = true;
          deps.logger.error({ err, hook: hook.name, from: rows[0]!.statementId }, 'LRS replay: a stored-statements hook failed');
        });
      }
      if (failed) result.failedBatches += 1;
      result.statements += rows.length;
      opts.onBatch?.(result.statements);
      const last = rows.at(-1)!;
      after = { stored: last.stored.getTime(), id: last.statementId };
    }
  };
}
export type ReplayStatements = ReturnType<typeof createReplayStatements>;
