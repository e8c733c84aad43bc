import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { AccountRepository } from './repository.ts';

export interface ThrottlePolicy {
  /** Failures per account before it is locked. */
  accountLimit: number;
  /**
   * Failures per IP address before it is locked. Higher than the account limit on purpose: a whole
   * training room often shares one address, and one learner's typos must not lock out the others.
   */
  ipLimit: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { accountLimit: 5, ipLimit: 20, windowMinutes: 15, lockMinutes: 15 };

/** Login throttling per account and per IP, kept in the database so every app instance sees it. */
export function createLoginThrottle(repo: AccountRepository, clock: Clock, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  const keys = (email: string, ip: string) => [
    { key: `account:${email.toLowerCase()}`, limit: policy.accountLimit },
    { key: `ip:${ip}`, limit: policy.ipLimit },
  ];
  const lockedError = (until: Date, now: Date) => {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return new DomainError('rate-limited', 'accounts:errors.locked', { retryAfterSeconds: minutes * 60, count: minutes });
  };
  return {
    /** Throws a rate-limited error while the account or the address is locked. */
    async assertNotLocked(email: string, ip: string): Promise<void> {
      const now = clock.now();
      for (const { key } of keys(email, ip)) {
        const f = await repo.getFailure(key);
        if (f?.lockedUntil && f.lockedUntil > now) throw lockedError(f.lockedUntil, now);
      }
    },
    /** Counts a failure; the failure that reaches a limit locks and is answered with the lock message. */
    async recordFailure(email: string, ip: string): Promise<void> {
      const now = clock.now();
      const windowStart = new Date(now.getTime() - policy.windowMinutes * 60_000);
      let lockedUntil: Date | undefined;
      for (const { key, limit } of keys(email, ip)) {
        const { count } = await repo.recordFailure(key, now, windowStart);
        if (count >= limit) {
          lockedUntil = new Date(now.getTime() + policy.lockMinutes * 60_000);
          await repo.lock(key, lockedUntil);
        }
      }
      if (lockedUntil) throw lockedError(lockedUntil, now);
    },
    async recordSuccess(email: string): Promise<void> {
      await repo.clearFailures(`account:${email.toLowerCase()}`);
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
