import type { Connection } from 'mongoose';
import type { Clock } from '../shared/clock.ts';
import { createFailureStore } from '../shared/throttle/failure-store.ts';
import { createThrottle } from '../shared/throttle/throttle.ts';

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

/** Counts failed code look-ups per client address (collection certificate_verify_failures). */
export function createVerifyThrottle(connection: Connection, clock: Clock, policy: VerifyThrottlePolicy = DEFAULT_VERIFY_THROTTLE) {
  const throttle = createThrottle({
    store: createFailureStore(connection, { model: 'CertificateVerifyFailure', collection: 'certificate_verify_failures' }),
    clock,
    window: policy,
    message: 'certificates:errors.tooManyAttempts',
  });
  const key = (client: string) => `verify:${client}`;
  return {
    assertNotLocked: (client: string) => throttle.assertNotLocked([key(client)]),
    /** Counts a miss; the miss that reaches the limit locks the address and is answered with 429. */
    recordFailure: (client: string) => throttle.recordFailure([{ key: key(client), limit: policy.failureLimit }]),
    cleanUp: () => throttle.cleanUp(),
  };
}
export type VerifyThrottle = ReturnType<typeof createVerifyThrottle>;
