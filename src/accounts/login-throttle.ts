import type { Connection } from 'mongoose';
import type { Clock } from '../shared/clock.ts';
import { createFailureStore } from '../shared/throttle/failure-store.ts';
import { createThrottle } from '../shared/throttle/throttle.ts';

export interface ThrottlePolicy {
  /**
   * Failures for one account from one IP address before that pair is locked: 1 minute at the limit,
   * doubling with each further failure up to lockMinutes. The account's owner at another address is
   * never locked out by someone guessing their password elsewhere.
   */
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

/** Login throttling per account and address, and per address, kept in the database so every app instance sees it. */
export function createLoginThrottle(connection: Connection, clock: Clock, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  const throttle = createThrottle({
    store: createFailureStore(connection, { model: 'LoginFailure', collection: 'login_failures' }),
    clock,
    window: policy,
    message: 'accounts:errors.locked',
  });
  const accountKey = (email: string, ip: string) => `account:${email.toLowerCase()}|ip:${ip}`;
  const doubling = (count: number) => Math.min(policy.lockMinutes, 2 ** (count - policy.accountLimit));
  return {
    assertNotLocked: (email: string, ip: string) => throttle.assertNotLocked([accountKey(email, ip), `ip:${ip}`]),
    recordFailure: (email: string, ip: string) =>
      throttle.recordFailure([
        { key: accountKey(email, ip), limit: policy.accountLimit, lockMinutes: doubling },
        { key: `ip:${ip}`, limit: policy.ipLimit },
      ]),
    recordSuccess: (email: string, ip: string) => throttle.clear(accountKey(email, ip)),
    cleanUp: () => throttle.cleanUp(),
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
