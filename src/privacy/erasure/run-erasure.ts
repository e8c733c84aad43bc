import type { Logger } from '../../shared/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import type { PrivacyRegistry } from '../registry.ts';
import type { Erasure, PrivacyRepository } from '../repository.ts';

/** How long one run may hold a request before another run may take it over (a crashed process). */
export const LEASE_MS = 10 * 60_000;
/** The first step of every erasure: nobody signs in or keeps a session while the data goes. */
export const LOCK_STEP = 'lock';

export type RunOutcome = { state: 'done'; erasure: Erasure } | { state: 'failed'; error: string; erasure: Erasure } | { state: 'not-runnable' };

export interface RunErasureDeps {
  repo: PrivacyRepository;
  registry: PrivacyRegistry;
  clock: Clock;
  logger: Logger;
  lock: (userId: string) => Promise<void>;
  /** Called once after the last step, while the subject is still known (the closing mail). */
  onDone?: (erasure: Erasure) => Promise<void>;
}

/**
 * Runs one erasure: takes its lease, then the steps in the registry's order (accounts last), each
 * recorded as done when it returns. Every step is idempotent, so a run cut short (a crash, an error)
 * is simply run again: done steps are skipped, the interrupted one is repeated and finishes.
 */
export function createErasureRunner(deps: RunErasureDeps) {
  const { repo, registry, clock } = deps;

  async function claim(id: string): Promise<Erasure | undefined> {
    const now = clock.now();
    return repo.updateErasure(
      id,
      { $or: [{ state: 'confirmed' }, { state: 'requested', dueAt: { $lte: now } }, { state: 'running', leaseUntil: { $lt: now } }] },
      { state: 'running', leaseUntil: new Date(now.getTime() + LEASE_MS) },
      { attempts: 1 },
    );
  }

  return async function runErasure(id: string): Promise<RunOutcome> {
    const claimed = await claim(id);
    if (!claimed?.subject) return { state: 'not-runnable' };
    const subject = claimed.subject;
    const steps = [LOCK_STEP, ...registry.entries.map((e) => e.component)];
    const done = [...claimed.doneSteps];
    try {
      for (const step of steps) {
        if (done.includes(step)) continue;
        const ctx = { reference: claimed.reference, now: clock.now() };
        if (step === LOCK_STEP) await deps.lock(subject.id);
        else await registry.entries.find((e) => e.component === step)!.erase(subject, ctx);
        done.push(step);
        // the whole list, never $push: FerretDB ignores some array operators (database.md)
        await repo.updateErasure(id, {}, { doneSteps: done, leaseUntil: new Date(clock.now().getTime() + LEASE_MS) });
      }
      await deps.onDone?.(claimed);
      const closed = await repo.updateErasure(
        id,
        {},
        {
          state: 'done',
          doneAt: clock.now(),
          subject: null,
          openKey: `closed:${claimed.reference}`,
          requestedBy: claimed.requestedBy === subject.id ? 'self' : claimed.requestedBy,
          leaseUntil: null,
          lastError: null,
        },
      );
      return { state: 'done', erasure: closed! };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      deps.logger.warn({ err, reference: claimed.reference, done }, 'erasure step failed; it runs again');
      // back to 'confirmed': the next scheduled run repeats the failed step
      const failed = await repo.updateErasure(id, {}, { state: 'confirmed', leaseUntil: null, lastError: error.slice(0, 500) });
      return { state: 'failed', error, erasure: failed! };
    }
  };
}
export type RunErasure = ReturnType<typeof createErasureRunner>;
