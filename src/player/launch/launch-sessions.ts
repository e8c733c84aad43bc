import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { randomToken, sha256Hex } from '../../shared/random.ts';
import type { ItemSettings } from '../launchable-settings.ts';
import type { Attempt, Launch, PlayerRepository } from '../repository.ts';

/** Launch tokens open the content files and authenticate SCORM commits for this long. */
export const LAUNCH_TTL_SECONDS = 12 * 3600;

/** The token path on the content origin (src/player/content-frame.ts) of a package file, or an external URL as it is. */
export function contentUrl(token: string, versionId: string, href: string): string {
  if (/^https?:\/\//.test(href)) return href;
  return `/content/t/${token}/${versionId}/${href
    .split('/')
    .map((p) => (p.includes('?') ? p : encodeURIComponent(p)))
    .join('/')}`;
}

/** `url` with more query parameters, whether it has a query already or not. */
export const withQuery = (url: string, params: Record<string, string>): string =>
  `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;

/** Makes the launch (session) of one opened item: a fresh token, a session id, the time it may run. */
export function createLaunchSessions(deps: { repo: PlayerRepository; clock: Clock }) {
  return async function newLaunch(
    attempt: Attempt,
    item: ItemSettings,
    launchNo: number,
    activityId: string,
    launchMode = 'Normal',
  ): Promise<{ launch: Launch; token: string }> {
    const token = randomToken(32);
    const now = deps.clock.now();
    const launch = await deps.repo.insertLaunch({
      tokenHash: sha256Hex(token),
      sessionId: randomUUID(),
      attemptId: attempt.id,
      registration: attempt.registration,
      itemId: item.id,
      learnerId: attempt.learnerId,
      versionId: attempt.versionId,
      format: attempt.format,
      launchNo,
      activityId,
      startedAt: now,
      expiresAt: new Date(now.getTime() + LAUNCH_TTL_SECONDS * 1000),
      fetchTokenHash: null,
      authorization: null,
      launchMode,
    });
    return { launch, token };
  };
}
export type NewLaunch = ReturnType<typeof createLaunchSessions>;

/** The content component asks whether a token opens a version's files (one launch, not expired). */
export function createContentTokenCheck(deps: { repo: PlayerRepository; clock: Clock }) {
  return async function verifyContentToken(token: string, versionId: string): Promise<boolean> {
    const launch = await deps.repo.findLaunchByTokenHash(sha256Hex(token));
    return Boolean(launch && launch.versionId === versionId && launch.expiresAt > deps.clock.now());
  };
}
