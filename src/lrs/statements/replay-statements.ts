import type { Logger } from '../../shared/logger.ts';
import type { StoredStatement } from '../types.ts';
import type { PageCursor, StatementRepository } from './repository.ts';
import type { StoredHook } from './store-statements.ts';

export interface ReplayResult {
  statements: number;
  /** Batches a hook threw on (logged with the error); the replay goes on with the next. */
  failedBatches: number;
}

/**
 * Hands every stored statement to the stored-statements hooks again, in stored order, in batches,
 * as if it had just arrived (voided ones too: the hooks saw them when they came). The projections
 * set values and raise maxima instead of counting, so a replay repairs what a failed hook left out
 * and recomputes what a corrected projection derives, and changes nothing where all is well.
 */
export function createReplayStatements(deps: { repo: StatementRepository; hooks: StoredHook[]; logger: Logger }) {
  return async function replay(opts: { batchSize?: number; onBatch?: (done: number) => void } = {}): Promise<ReplayResult> {
    const batchSize = opts.batchSize ?? 500;
    let after: PageCursor | undefined;
    const result: ReplayResult = { statements: 0, failedBatches: 0 };
    for (;;) {
      const rows = await deps.repo.storedOrder(batchSize, after);
      if (!rows.length) return result;
      const statements = rows.map((r) => JSON.parse(r.raw) as StoredStatement);
      let failed = false;
      for (const hook of deps.hooks) {
        await hook(statements).catch((err: unknown) => {
          failed = true;
          deps.logger.error({ err, from: rows[0]!.statementId }, 'LRS replay: a stored-statements hook failed');
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
