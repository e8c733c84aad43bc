import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { CertificateRepository } from './repository.ts';

export interface VerifyThrottlePolicy {
  /** Unknown or malformed codes per client address within the window before it is locked. */
  failureLimit: number;
  windowMinutes: number;
  lockMinutes: number;
}

/**
 * 80-bit codes cannot be found by guessing; the limit keeps it that way and keeps scrapers out.
 * Ten misses in ten minutes is generous for a person copying a code from paper.
 */
export const DEFAULT_VERIFY_THROTTLE: VerifyThrottlePolicy = { failureLimit: 10, windowMinutes: 10, lockMinutes: 15 };

/**
 * Counts failed code look-ups per client address. The state is kept in the database (collection
 * certificate_verify_failures), not in the process, so every app instance behind a load balancer
 * sees the same counts; old entries are deleted on a timer (FerretDB has no TTL indexes).
 */
export function createVerifyThrottle(repo: CertificateRepository, clock: Clock, policy: VerifyThrottlePolicy = DEFAULT_VERIFY_THROTTLE) {
  const key = (client: string) => `verify:${client}`;
  const lockedError = (until: Date, now: Date) => {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return new DomainError('rate-limited', 'certificates:errors.tooManyAttempts', { retryAfterSeconds: minutes * 60, count: minutes });
  };
  return {
    async assertNotLocked(client: string): Promise<void> {
      const now = clock.now();
      const f = await repo.getFailure(key(client));
      if (f?.lockedUntil && f.lockedUntil > now) throw lockedError(f.lockedUntil, now);
    },
    /** Counts a miss; the miss that reaches the limit locks the address and is answered with 429. */
    async recordFailure(client: string): Promise<void> {
      const now = clock.now();
      const { count } = await repo.recordFailure(key(client), now, new Date(now.getTime() - policy.windowMinutes * 60_000));
      if (count >= policy.failureLimit) {
        const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
        await repo.lock(key(client), until);
        throw lockedError(until, now);
      }
    },
    async cleanUp(): Promise<void> {
      const now = clock.now();
      await repo.deleteOldFailures(new Date(now.getTime() - (policy.windowMinutes + policy.lockMinutes) * 60_000), now);
    },
  };
}
export type VerifyThrottle = ReturnType<typeof createVerifyThrottle>;
