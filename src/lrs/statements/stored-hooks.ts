import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { StoredStatement } from '../types.ts';
import type { HookFailureStore } from './hook-failure-store.ts';

/**
 * A stored-statements hook. `prepared` is what the hook's own `prepare` read while the insert ran
 * (absent on a retry and in a replay: the hook then reads for itself).
 */
export type StoredHook = (statements: StoredStatement[], prepared?: Promise<unknown>) => Promise<void>;

/** A hook with the name its failures are recorded under (LrsService.onStatementsStored). */
export interface NamedHook {
  name: string;
  fn: StoredHook;
  /**
   * Reads what the hook will need for a request's statements (e.g. the attempts of their
   * registrations), started beside the insert: the hook's look-up costs no round trip of its own
   * after the write. Must only read; its result may be unused (a refused or repeated statement).
   */
  prepare?: (statements: StoredStatement[]) => Promise<unknown>;
}

/** The hooks' look-ups for a request, started beside the insert (one per hook, undefined without `prepare`). */
export function prepareStoredHooks(hooks: NamedHook[], statements: StoredStatement[]): Array<Promise<unknown> | undefined> {
  return hooks.map((hook) => {
    if (!hook.prepare) return undefined;
    const read = hook.prepare(statements);
    read.catch(() => {}); // a failed look-up is the hook's to redo, not an unhandled rejection
    return read;
  });
}

/** How many hook calls a request's statements are shared among, running at once (runStoredHooks). */
const HOOK_PARALLEL = 8;

/**
 * Pauses before the retries of a failing hook call. A hook fails for a moment (a write conflict, a
 * database that is switching over) more often than for good; three tries within a quarter second
 * ride that out, and a request never waits longer than that for a hook that is broken.
 */
const RETRY_PAUSES_MS = [25, 200];

/** Where a failure is recorded and logged. */
export interface HookDeps {
  failures: HookFailureStore;
  logger: Logger;
  clock: Clock;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * One hook call, tried again after the pauses; if it still fails, recorded (lrs_hook_failures) with
 * the statement ids, so the replay can repair exactly what it missed. Never throws: the statements
 * are stored, and the client is not asked to send again what the LRS has (the recording's own
 * failure is logged).
 */
export async function callHook(
  hook: NamedHook,
  statements: StoredStatement[],
  deps: HookDeps & { pauses?: number[] },
  prepared?: Promise<unknown>,
): Promise<void> {
  const pauses = deps.pauses ?? RETRY_PAUSES_MS;
  let last: unknown;
  for (let attempt = 0; attempt <= pauses.length; attempt++) {
    if (attempt > 0) await sleep(pauses[attempt - 1]!);
    try {
      await hook.fn(statements, attempt === 0 ? prepared : undefined);
      return;
    } catch (err) {
      last = err;
    }
  }
  deps.logger.error(
    { err: last, hook: hook.name, statements: statements.length },
    'LRS: a stored-statements hook failed after its retries; recorded for npm run lrs -- replay',
  );
  await deps.failures
    .record({ hook: hook.name, statementIds: statements.map((s) => s.id), error: messageOf(last), attempts: pauses.length + 1, at: deps.clock.now() })
    .catch((err: unknown) =>
      deps.logger.error({ err, hook: hook.name, statementIds: statements.map((s) => s.id) }, 'LRS: a failed hook could not be recorded'),
    );
}

/**
 * The stored-statements hooks (architecture.md, flow 4). A request's registrations are split into up
 * to HOOK_PARALLEL shares, each share one call with all statements of its registrations (those
 * without one go with the first), in stored order; the shares run side by side. Projections are kept
 * per registration, and hooks already face concurrent calls (parallel requests, several instances):
 * a batch for a whole cohort no longer waits for each registration's look-ups one after the other,
 * and a hook that looks up a call's registrations at once does HOOK_PARALLEL look-ups per request,
 * not one per statement.
 */
export async function runStoredHooks(
  hooks: NamedHook[],
  inserted: StoredStatement[],
  deps: HookDeps,
  prepared: Array<Promise<unknown> | undefined> = [],
): Promise<void> {
  if (!inserted.length || !hooks.length) return;
  const registrationOf = (s: StoredStatement) => s.context?.registration?.toLowerCase() ?? '';
  const registrations = [...new Set(inserted.map(registrationOf))];
  const shares = Math.min(HOOK_PARALLEL, registrations.length);
  const shareOf = new Map(registrations.map((r, i) => [r, Math.floor((i * shares) / registrations.length)]));
  const calls: StoredStatement[][] = Array.from({ length: shares }, () => []);
  for (const s of inserted) calls[shareOf.get(registrationOf(s))!]!.push(s);
  await Promise.all(
    calls.map(async (statements) => {
      for (const [i, hook] of hooks.entries()) await callHook(hook, statements, deps, prepared[i]);
    }),
  );
}
