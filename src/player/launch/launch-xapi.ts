import type { Agent } from '../../lrs/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { DomainError } from '../../shared/errors.ts';
import { activityIris } from '../activity-iris.ts';
import type { Cmi5Launcher } from '../cmi5.ts';
import type { ItemSettings } from '../launchable-settings.ts';
import type { ContentVersion, LrsPort } from '../ports.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import { LAUNCH_TTL_SECONDS, contentUrl, withQuery, type NewLaunch } from './launch-sessions.ts';

export type LaunchMode = 'Normal' | 'Browse' | 'Review';

/**
 * A launch of an xAPI activity or a cmi5 AU: minted credentials and the launch URL (xAPI: the tincan
 * launch parameters; cmi5: fetch URL, LMS.LaunchData and "launched", in cmi5.ts).
 */
export function createXapiLaunch(deps: {
  repo: PlayerRepository;
  lrs: LrsPort | undefined;
  clock: Clock;
  cmi5: Cmi5Launcher;
  newLaunch: NewLaunch;
  publicUrl: () => string;
  /** The content origin for URLs made without a request (automation). */
  contentOrigin: () => string;
}) {
  const { repo, clock } = deps;
  const iris = activityIris(deps.publicUrl);
  return async function launchXapiItem(
    attempt: Attempt,
    item: ItemSettings,
    version: ContentVersion,
    actor: Agent,
    launchMode: LaunchMode,
    platform = deps.publicUrl(),
    contentOrigin = deps.contentOrigin(),
  ): Promise<string> {
    if (!deps.lrs) throw new DomainError('unavailable', 'player:errors.noLrs');
    await repo.ensureItem(attempt.id, item.id, clock.now());
    const begun = await repo.beginItemLaunch(attempt.id, item.id, { baseTotalSeconds: 0 }, clock.now());
    const activityId = item.activityId ?? iris.item(attempt.moduleSlug, item.id);
    const { launch, token } = await deps.newLaunch(attempt, item, begun.launchCount, activityId);
    if (version.format === 'xapi') {
      const endpoint = `${platform}/xapi/`;
      const cred = await deps.lrs.mintCredentials({ actor, registration: attempt.registration, ttlSeconds: LAUNCH_TTL_SECONDS });
      // tincan launch (xAPI content launch: endpoint, auth, actor, registration, activity_id)
      return withQuery(contentUrl(token, version.id, item.href), {
        endpoint,
        auth: cred.authorization,
        actor: JSON.stringify(actor),
        registration: attempt.registration,
        activity_id: activityId,
      });
    }
    // cmi5 AUs append "/statements" etc. themselves (cmi5 §8.1.1): no trailing slash
    return deps.cmi5.prepareLaunch({
      attempt,
      item,
      launch,
      actor,
      version,
      platform,
      endpoint: `${platform}/xapi`,
      contentUrl: contentUrl(token, version.id, item.href),
      contentOrigin,
      launchMode,
    });
  };
}
export type XapiLaunch = ReturnType<typeof createXapiLaunch>;
