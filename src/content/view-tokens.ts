import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';

/** An author's or admin's look at a version's files lasts this long before the link must be opened again. */
export const VIEW_TOKEN_TTL_SECONDS = 2 * 3600;

/**
 * Tokens that open one version's files on the content origin for a signed-in author or admin (the
 * file list of the version page). Signed, not stored: every instance with the same key verifies them.
 * Format: <expiry in seconds, base 36>-<HMAC-SHA256 of version and expiry, base64url>.
 */
export function createViewTokens(key: string, clock: Clock) {
  const sign = (versionId: string, expires: string) => createHmac('sha256', key).update(`content-view:${versionId}:${expires}`).digest('base64url');
  return {
    mint(versionId: string): string {
      const expires = Math.floor(clock.now().getTime() / 1000 + VIEW_TOKEN_TTL_SECONDS).toString(36);
      return `${expires}-${sign(versionId, expires)}`;
    },
    verify(token: string, versionId: string): boolean {
      const m = /^([0-9a-z]{1,10})-([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return false;
      const [, expires, mac] = m as unknown as [string, string, string];
      if (parseInt(expires, 36) * 1000 <= clock.now().getTime()) return false;
      const expected = Buffer.from(sign(versionId, expires));
      return timingSafeEqual(expected, Buffer.from(mac));
    },
  };
}
export type ViewTokens = ReturnType<typeof createViewTokens>;
