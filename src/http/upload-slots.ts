import type { RequestHandler } from 'express';
import { DomainError } from '../shared/errors.ts';

/**
 * At most `max` uploads of one kind at a time in this instance: each holds a temp file, disk
 * bandwidth and, while it is checked, a worker. One more is refused at once (429, Retry-After)
 * instead of queueing behind the others until the proxy gives up. The slot is freed when the
 * response is finished or the client goes away.
 */
export function uploadSlots(max: number, message: string): RequestHandler {
  let busy = 0;
  return (_req, res, next) => {
    if (busy >= max) throw new DomainError('rate-limited', message, { retryAfterSeconds: 30, count: max });
    busy += 1;
    res.once('close', () => {
      busy -= 1;
    });
    next();
  };
}
