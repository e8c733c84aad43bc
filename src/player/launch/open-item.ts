import type { Clock } from '../../shared/clock.ts';
import { DomainError } from '../../shared/errors.ts';
import type { KeyedQueue } from '../../shared/keyed-queue.ts';
import type { Logger } from '../../shared/logger.ts';
import { learnerActor, type Learner } from '../activity-iris.ts';
import { versionItems, type ItemSettings } from '../launchable-settings.ts';
import type { ContentPort, ContentVersion } from '../ports.ts';
import type { ProgressProjection } from '../progress.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import { navigate } from '../rollup.ts';
import type { ScormFormat } from '../scorm-rules.ts';
import type { SequencedNavigation, SequencedStep } from '../sequencing/navigation.ts';
import type { AttemptAccess } from './attempt-access.ts';
import type { ScormLaunch } from './launch-scorm.ts';
import { exitUrlOf, tocStatusOf, type LaunchView, type TocEntry } from './launch-views.ts';
import type { XapiLaunch } from './launch-xapi.ts';

const isScorm = (v: ContentVersion): v is ContentVersion & { format: ScormFormat } => v.format === 'scorm12' || v.format === 'scorm2004';

/**
 * Opens one item of an attempt: which item (SCORM 2004: the sequencing engine decides; otherwise the
 * requested one or the first), its table of contents, and a new launch of it (launch-scorm.ts,
 * launch-xapi.ts).
 */
export function createOpenItem(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  access: AttemptAccess;
  projection: ProgressProjection;
  sequenced: SequencedNavigation;
  attemptQueue: KeyedQueue;
  launchScorm: ScormLaunch;
  launchXapi: XapiLaunch;
}) {
  const { repo, content, clock, access, projection } = deps;

  /** The item to open and the contents around it; SCORM 2004 asks the engine (the step counts at once). */
  async function chooseItem(
    attempt: Attempt,
    version: ContentVersion,
    items: ItemSettings[],
    requestedItemId: string | undefined,
  ): Promise<{ item: ItemSettings | undefined; toc: TocEntry[]; step?: SequencedStep }> {
    if (version.format === 'scorm2004') {
      const step = await deps.attemptQueue(attempt.id, () => deps.sequenced.open(attempt, version, requestedItemId));
      // the attempt's status is its root activity's now, and the progress record follows
      await projection.refresh((await repo.findAttempt(attempt.id)) ?? attempt);
      if (step.kind === 'ended') throw new DomainError('conflict', 'player:errors.attemptEnded');
      const delivered = step.kind === 'deliver' ? step.itemId : undefined;
      const item = items.find((i) => i.id === delivered);
      if (delivered && !item) throw new DomainError('conflict', 'player:errors.itemNotFound');
      const toc = step.nav.toc.map((e) => ({
        id: e.id,
        title: e.title,
        current: e.current,
        completed: e.status === 'completed' || e.status === 'passed',
        enabled: e.enabled,
        status: e.status,
      }));
      return { item, toc, step };
    }
    const states = await access.itemStates(attempt.id, attempt.format);
    const nav = navigate(requestedItemId ? 'choice' : 'start', undefined, requestedItemId, items, states);
    if ('refused' in nav) throw new DomainError('conflict', 'player:errors.itemNotFound');
    const item = items.find((i) => i.id === nav.itemId)!;
    const toc = items.map((i) => {
      const s = states.find((x) => x.itemId === i.id);
      return { id: i.id, title: i.title, current: i.id === item.id, completed: Boolean(s?.completion), enabled: true, status: tocStatusOf(s) };
    });
    return { item, toc };
  }

  /**
   * `platform` is the origin the learner's browser reached us under (Origins.platformOf): the LRS
   * endpoint, fetch URL and returnURL of xAPI/cmi5 launches point there; the actor's homePage stays
   * the public URL (see identityOf in progress.ts). `contentOrigin` is the content origin paired with
   * it (Origins.contentFor), named in cmi5's "launched" statement as the AU's launch URL (9.6.3.4-1).
   */
  return async function openItem(
    learner: Learner,
    attemptId: string,
    requestedItemId?: string,
    platform?: string,
    contentOrigin?: string,
  ): Promise<LaunchView> {
    const attempt = await access.ownAttempt(learner, attemptId);
    if (attempt.state === 'ended') throw new DomainError('conflict', 'player:errors.attemptEnded');
    const version = await access.requireVersion(attempt.versionId);
    const items = versionItems(version);
    if (!items.length) throw new DomainError('conflict', 'player:errors.nothingToLaunch');
    const module = await content.getModule(attempt.moduleId);
    const moduleTitle = typeof module?.title === 'string' ? module.title : attempt.moduleSlug;
    const { item, toc, step } = await chooseItem(attempt, version, items, requestedItemId);
    const running = step && step.kind !== 'ended' ? step : undefined;
    const head = {
      format: version.format,
      preview: Boolean(attempt.preview),
      exitUrl: exitUrlOf(attempt),
      moduleTitle,
      moduleSlug: attempt.moduleSlug,
      attemptId: attempt.id,
      toc,
      ...(running
        ? { sequencing: { ...running.nav, stateUrl: `/player/attempts/${attempt.id}/sequencing`, navUrl: `/player/attempts/${attempt.id}/sequencing` } }
        : {}),
      ...(running?.refused ? { refused: running.refused } : {}),
    };
    // the engine delivered nothing: the page shows the controls and the contents to go on with
    if (!item) return { ...head, itemTitle: moduleTitle, itemId: '', contentUrl: '', ownWindow: false };

    const now = clock.now();
    const stored = await repo.ensureItem(attempt.id, item.id, now);
    let launched: Pick<LaunchView, 'contentUrl' | 'ownWindow' | 'scorm'>;
    if (isScorm(version)) {
      launched = await deps.launchScorm({ learner, attempt, version, item, stored, step, now });
    } else {
      const url = await deps.launchXapi(attempt, item, version, learnerActor(deps.publicUrl, learner), 'Normal', platform, contentOrigin);
      // an AU on another server opens in a window too (8.1.0.0-3: with AnyWindow the LMS chooses): the
      // player's frame only admits the content origin, and other sites may refuse to be framed
      launched = { contentUrl: url, ownWindow: version.format === 'cmi5' && (item.launchMethod === 'OwnWindow' || /^https?:\/\//.test(item.href)) };
    }
    await repo.updateAttempt(attempt.id, { state: 'open', lastLaunchedAt: now });
    // a preview leaves the version deletable and nobody's progress changes
    if (!attempt.preview) {
      await content.markLaunched(version.id).catch((err: unknown) => deps.logger.warn({ err }, 'markLaunched failed'));
      await projection.refreshProgress(attempt.learnerId, attempt.moduleId, attempt.moduleSlug);
    }
    return { ...head, itemTitle: item.title, itemId: item.id, ...launched };
  };
}
export type OpenItem = ReturnType<typeof createOpenItem>;
