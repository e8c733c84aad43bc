import type { Connection } from 'mongoose';
import type { Clock } from '../shared/clock.ts';
import { createFailureStore } from '../shared/throttle/failure-store.ts';
import { createThrottle } from '../shared/throttle/throttle.ts';

export interface ResetThrottlePolicy {
  /** Requests for one e-mail address (known or not) within the window; the one that reaches it is refused. */
  addressLimit: number;
  /** Requests from one IP address within the window (a training room shares one). */
  ipLimit: number;
  windowMinutes: number;
  lockMinutes: number;
}

/** At most three links an hour for one address: each request sends a mail to someone's inbox. */
export const DEFAULT_RESET_THROTTLE: ResetThrottlePolicy = { addressLimit: 4, ipLimit: 20, windowMinutes: 60, lockMinutes: 60 };

/**
 * Counts password reset requests per e-mail address and per IP (collection password_reset_requests),
 * whether the address is known or not, so the answer tells nobody which addresses exist.
 */
export function createResetThrottle(connection: Connection, clock: Clock, policy: ResetThrottlePolicy = DEFAULT_RESET_THROTTLE) {
  const throttle = createThrottle({
    store: createFailureStore(connection, { model: 'PasswordResetRequest', collection: 'password_reset_requests' }),
    clock,
    window: policy,
    message: 'accounts:errors.resetThrottled',
  });
  return {
    /** Refuses (429) while the address or the IP is locked, else counts this request. */
    async count(email: string, ip: string): Promise<void> {
      const address = `reset:${email.toLowerCase()}`;
      const client = `ip:${ip}`;
      await throttle.assertNotLocked([address, client]);
      await throttle.recordFailure([
        { key: address, limit: policy.addressLimit },
        { key: client, limit: policy.ipLimit },
      ]);
    },
    cleanUp: () => throttle.cleanUp(),
  };
}
export type ResetThrottle = ReturnType<typeof createResetThrottle>;
