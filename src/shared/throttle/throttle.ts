import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';
import type { FailureStore } from './failure-store.ts';

export interface ThrottleWindow {
  windowMinutes: number;
  lockMinutes: number;
}

/** A counted key and the failures it may collect within the window before it is locked. */
export interface CountedKey {
  key: string;
  limit: number;
  /** How long the failure with this count (≥ limit) locks the key; the window's lockMinutes by default. */
  lockMinutes?: (count: number) => number;
}

/**
 * Locks keys (an account, an address) after too many failures within a window. The refusal is a
 * rate-limited domain error with the minutes to wait as `count` for the i18n message (plurals).
 */
export function createThrottle(opts: { store: FailureStore; clock: Clock; window: ThrottleWindow; message: string }) {
  const { store, clock, window } = opts;
  const lockedError = (until: Date, now: Date) => {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return new DomainError('rate-limited', opts.message, { retryAfterSeconds: minutes * 60, count: minutes });
  };
  return {
    /** Throws the rate-limited error while any of the keys is locked. */
    async assertNotLocked(keys: string[]): Promise<void> {
      const now = clock.now();
      for (const key of keys) {
        const f = await store.get(key);
        if (f?.lockedUntil && f.lockedUntil > now) throw lockedError(f.lockedUntil, now);
      }
    },
    /** Counts a failure on every key; the failure that reaches a limit locks and is answered with the lock. */
    async recordFailure(keys: CountedKey[]): Promise<void> {
      const now = clock.now();
      const windowStart = new Date(now.getTime() - window.windowMinutes * 60_000);
      let lockedUntil: Date | undefined;
      for (const { key, limit, lockMinutes } of keys) {
        const count = await store.record(key, now, windowStart);
        if (count >= limit) {
          const until = new Date(now.getTime() + (lockMinutes?.(count) ?? window.lockMinutes) * 60_000);
          await store.lock(key, until);
          if (!lockedUntil || until > lockedUntil) lockedUntil = until;
        }
      }
      if (lockedUntil) throw lockedError(lockedUntil, now);
    },
    clear: (key: string) => store.clear(key),
    /** Deletes counts that can no longer matter (run on a timer). */
    async cleanUp(): Promise<void> {
      const now = clock.now();
      await store.deleteOld(new Date(now.getTime() - (window.windowMinutes + window.lockMinutes) * 60_000), now);
    },
  };
}
export type Throttle = ReturnType<typeof createThrottle>;
