import { randomUUID } from 'node:crypto';
import type { Agent } from '../lrs/types.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import type { KeyedQueue } from '../shared/keyed-queue.ts';
import type { Logger } from '../shared/logger.ts';
import { randomToken, sha256Hex } from '../shared/random.ts';
import type { Cmi5Launcher } from './cmi5.ts';
import { versionItems, type ItemSettings } from './launchable-settings.ts';
import type { ContentModule, ContentPort, ContentVersion, LrsPort } from './ports.ts';
import type { ProgressProjection } from './progress.ts';
import type { Attempt, Launch, PlayerRepository } from './repository.ts';
import { navigate, type NavRequest } from './rollup.ts';
import { deriveState, launchData, toMap, type ScormFormat } from './scorm-rules.ts';
import type { NavRequest as SequencingRequest } from './sequencing/engine.ts';
import type { SequencedNav, SequencedNavigation, SequencedStep } from './sequencing/navigation.ts';

export interface Learner {
  id: string;
  name: string;
}

/** Launch tokens open the content files and authenticate SCORM commits for this long. */
export const LAUNCH_TTL_SECONDS = 12 * 3600;

/** An item's status in the table of contents (the same words as the SCORM 2004 contents). */
export type TocStatus = 'not-attempted' | 'incomplete' | 'completed' | 'passed' | 'failed';

export interface TocEntry {
  id: string;
  title: string;
  current: boolean;
  completed: boolean;
  enabled: boolean;
  status: TocStatus;
}

/** What the player page shows after a SCO ended itself (SCORM 1.2 LMSFinish): the next step. */
export interface AfterFinish {
  /** The next item not yet done, after the one that ended (then from the start); null when none is open. */
  next: { id: string; title: string; url: string } | null;
  /** Every item of the module is done. */
  allDone: boolean;
  exitUrl: string;
  toc: Array<{ id: string; status: TocStatus }>;
}

/** An item's status from its tracked state (no state: never launched). */
const tocStatusOf = (s: { completion: boolean; success: string } | undefined): TocStatus =>
  !s ? 'not-attempted' : s.success === 'passed' ? 'passed' : s.success === 'failed' ? 'failed' : s.completion ? 'completed' : 'incomplete';

/** Where the player goes after a navigation request: an activity to open, or away from the attempt. */
export type NavResult = { open: true; refused?: string } | { open: false; exitUrl: string };

/** What the player page needs to show one launch. */
export interface LaunchView {
  format: ContentVersion['format'];
  moduleTitle: string;
  itemTitle: string;
  attemptId: string;
  itemId: string;
  /** The package's launch URL: a token path for the content origin (src/player/content-frame.ts), or an external URL. */
  contentUrl: string;
  /** cmi5 OwnWindow: open in its own window instead of the frame. */
  ownWindow: boolean;
  /** An author's preview: not counted as a learner's attempt. */
  preview: boolean;
  /** Where "Beenden" leads: the dashboard, or for a preview the author's page of the version. */
  exitUrl: string;
  toc: TocEntry[];
  scorm?: { version: '1.2' | '2004'; commitUrl: string; cmi: Record<string, string>; seqStart: number };
  /** SCORM 2004: the sequencing engine's controls and contents; without contentUrl nothing is running. */
  sequencing?: SequencedNav & { stateUrl: string; navUrl: string };
  /** A navigation request the engine refused (SN exception code), shown to the learner. */
  refused?: string;
}

/** IRIs of the player's own activities (SCORM modules and SCOs have none of their own). */
export function activityIris(publicUrl: () => string) {
  const base = () => `${publicUrl()}/activities/modules`;
  return {
    course: (slug: string) => `${base()}/${encodeURIComponent(slug)}`,
    item: (slug: string, itemId: string) => `${base()}/${encodeURIComponent(slug)}/items/${encodeURIComponent(itemId)}`,
  };
}

/** The learner as xAPI actor: an account on this platform (cmi5 §9.2 requires an account actor). */
export const learnerActor = (publicUrl: () => string, learner: Learner): Agent => ({ objectType: 'Agent', name: learner.name, account: { homePage: publicUrl(), name: learner.id } });

/** Starts, resumes and opens attempts; makes a launch (session) per opened item. */
export function createLaunchService(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  lrs: LrsPort | undefined;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  /** The content origin for URLs made without a request (automation). */
  contentOrigin: () => string;
  projection: ProgressProjection;
  cmi5: Cmi5Launcher;
  sequenced: SequencedNavigation;
  /** The queue SCORM commits run in per attempt: SCORM 2004 steps wait for a commit still being acted on. */
  attemptQueue: KeyedQueue;
}) {
  const { repo, content, clock, projection } = deps;
  const iris = activityIris(deps.publicUrl);

  async function requireVersion(versionId: string): Promise<ContentVersion> {
    const v = await content.getVersion(versionId);
    if (!v) throw notFound('player:errors.versionGone');
    return v;
  }

  async function ownAttempt(learner: Learner, attemptId: string): Promise<Attempt> {
    const a = await repo.findAttempt(attemptId);
    if (!a) throw notFound('player:errors.attemptNotFound');
    if (a.learnerId !== learner.id) throw forbidden('player:errors.notYourAttempt');
    return a;
  }

  /**
   * Item states for sequencing. SCORM items also count what their stored CMI data says: it is written
   * when a commit is applied, a moment before the statements that update the item's flags.
   */
  async function itemStates(attemptId: string, format?: string) {
    return (await repo.listItems(attemptId)).map((i) => {
      const fromCmi = format === 'scorm12' || format === 'scorm2004' ? deriveState(format, toMap(i.cmi)).completion : false;
      return { itemId: i.itemId, completion: i.completion || fromCmi, success: i.success, scoreScaled: i.scoreScaled, waived: Boolean(i.waivedReason) };
    });
  }

  function contentUrl(token: string, versionId: string, href: string): string {
    if (/^https?:\/\//.test(href)) return href;
    return `/content/t/${token}/${versionId}/${href.split('/').map((p) => (p.includes('?') ? p : encodeURIComponent(p))).join('/')}`;
  }
  /** Learners return to their dashboard; an author's preview returns to the version's page. */
  const exitUrlOf = (attempt: Pick<Attempt, 'preview' | 'versionId'>) => (attempt.preview ? `/author/versions/${attempt.versionId}` : '/dashboard');
  const withQuery = (url: string, params: Record<string, string>) => `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;

  async function newLaunch(attempt: Attempt, item: ItemSettings, launchNo: number, activityId: string, launchMode = 'Normal'): Promise<{ launch: Launch; token: string }> {
    const token = randomToken(32);
    const now = clock.now();
    const launch = await repo.insertLaunch({
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
  }

 /** A launch of an xAPI activity or a cmi5 AU: minted credentials, launch URL (cmi5: fetch URL too). */
  async function launchXapiItem(attempt: Attempt, item: ItemSettings, version: ContentVersion, actor: Agent, launchMode: 'Normal' | 'Browse' | 'Review', platform = deps.publicUrl(), contentOrigin = deps.contentOrigin()): Promise<string> {
    if (!deps.lrs) throw new DomainError('unavailable', 'player:errors.noLrs');
    await repo.ensureItem(attempt.id, item.id, clock.now());
    const begun = await repo.beginItemLaunch(attempt.id, item.id, { baseTotalSeconds: 0 }, clock.now());
    const activityId = item.activityId ?? iris.item(attempt.moduleSlug, item.id);
    const { launch, token } = await newLaunch(attempt, item, begun.launchCount, activityId);
    if (version.format === 'xapi') {
      const endpoint = `${platform}/xapi/`;
      const cred = await deps.lrs.mintCredentials({ actor, registration: attempt.registration, ttlSeconds: LAUNCH_TTL_SECONDS });
      // tincan launch (xAPI content launch: endpoint, auth, actor, registration, activity_id)
      return withQuery(contentUrl(token, version.id, item.href), { endpoint, auth: cred.authorization, actor: JSON.stringify(actor), registration: attempt.registration, activity_id: activityId });
    }
    // cmi5 AUs append "/statements" etc. themselves (cmi5 §8.1.1): no trailing slash
    return deps.cmi5.prepareLaunch({ attempt, item, launch, actor, version, platform, endpoint: `${platform}/xapi`, contentUrl: contentUrl(token, version.id, item.href), contentOrigin, launchMode });
  }

  /** After a sequencing step: the attempt's status is its root activity's, and the progress record follows. */
  async function afterStep(attempt: Attempt): Promise<void> {
    const fresh = (await repo.findAttempt(attempt.id)) ?? attempt;
    await projection.refreshAttempt(fresh);
    if (!attempt.preview) await projection.refreshProgress(attempt.learnerId, attempt.moduleId, attempt.moduleSlug);
  }

  return {
    /**
     * The cmi5 LMS test suite (CATAPULT lts/) launches AU number `auIndex` for an actor and a
     * registration of its own choosing; this makes such a launch for an admin's automation.
     */
    async automationLaunch(input: { moduleId: string; auIndex: number; actor: Agent; registration?: string; launchMode?: 'Normal' | 'Browse' | 'Review' }): Promise<string> {
      const module = await content.getModule(input.moduleId);
      if (!module) throw notFound('player:errors.moduleNotFound');
      const version = await content.getPublishedVersion(module.id);
      if (!version) throw new DomainError('conflict', 'player:errors.notPublished');
      const item = versionItems(version)[input.auIndex];
      if (!item) throw notFound('player:errors.itemNotFound');
      const learnerId = `actor:${sha256Hex(JSON.stringify(input.actor)).slice(0, 24)}`;
      let attempt = input.registration ? await repo.findAttemptByRegistration(input.registration) : undefined;
      if (attempt && (attempt.moduleId !== module.id || attempt.learnerId !== learnerId)) throw new DomainError('conflict', 'player:errors.notYourAttempt');
      if (!attempt) {
        attempt = await repo.createAttempt({
          learnerId,
          learnerName: input.actor.name ?? '',
          actorJson: JSON.stringify(input.actor),
          moduleId: module.id,
          moduleSlug: module.slug,
          versionId: version.id,
          format: version.format,
          registration: input.registration ?? randomUUID(),
          createdAt: clock.now(),
        });
        await deps.cmi5.evaluateRegistration(attempt, version);
      }
      const url = await launchXapiItem(attempt, item, version, input.actor, input.launchMode ?? 'Normal');
      await repo.updateAttempt(attempt.id, { lastLaunchedAt: clock.now() });
      return url.startsWith('/') ? `${deps.contentOrigin()}${url}` : url;
    },

    /**
     * "Starten" / "Fortsetzen" / "Wiederholen": resumes the open or suspended attempt, or (mode new, or
     * none open) starts a new one on the module's published version.
     */
    async startModule(learner: Learner, moduleIdOrSlug: string, mode: 'resume' | 'new'): Promise<Attempt> {
      const module = (await content.getModule(moduleIdOrSlug)) as ContentModule | null | undefined;
      if (!module) throw notFound('player:errors.moduleNotFound');
      const open = await repo.findResumableAttempt(learner.id, module.id);
      if (open && mode === 'resume') return open;
      const version = await content.getPublishedVersion(module.id);
      if (!version) throw new DomainError('conflict', 'player:errors.notPublished');
      if (open) await repo.updateAttempt(open.id, { state: 'ended', endedAt: clock.now() });
      const attempt = await repo.createAttempt({
        learnerId: learner.id,
        learnerName: learner.name,
        moduleId: module.id,
        moduleSlug: module.slug,
        versionId: version.id,
        format: version.format,
        registration: randomUUID(),
        createdAt: clock.now(),
      });
      await deps.cmi5.evaluateRegistration(attempt, version);
      await projection.refreshProgress(learner.id, module.id, module.slug);
      return attempt;
    },

    /**
     * "Vorschau starten": a new preview attempt of any version (published or not) for an author. It
     * opens through the normal launch path (openItem) but is flagged, so progress projections, the
     * dashboard's "Fortsetzen" and the version's "launched by a learner" mark all ignore it.
     */
    async launchPreview(input: { user: Learner; versionId: string }): Promise<Attempt> {
      const version = await requireVersion(input.versionId);
      const module = (await content.getModule(version.moduleId)) as ContentModule | null | undefined;
      if (!module) throw notFound('player:errors.moduleNotFound');
      const attempt = await repo.createAttempt({
        learnerId: input.user.id,
        learnerName: input.user.name,
        moduleId: module.id,
        moduleSlug: module.slug,
        versionId: version.id,
        format: version.format,
        registration: randomUUID(),
        createdAt: clock.now(),
        preview: true,
      });
      await deps.cmi5.evaluateRegistration(attempt, version);
      return attempt;
    },

    /** Where the learner goes after leaving an attempt (dashboard, or the version page after a preview). */
    async exitUrl(learner: Learner, attemptId: string): Promise<string> {
      return exitUrlOf(await ownAttempt(learner, attemptId));
    },

    /** Where a navigation request (adl.nav.request or the table of contents) leads, or why not (SCORM 1.2, cmi5, xAPI). */
    async navigate(learner: Learner, attemptId: string, request: NavRequest, from: string | undefined, target: string | undefined): Promise<{ itemId: string } | { refused: 'end' | 'unknown'; stayUrl: string }> {
      const attempt = await ownAttempt(learner, attemptId);
      const version = await requireVersion(attempt.versionId);
      const items = versionItems(version);
      const result = navigate(request, from, target, items, await itemStates(attempt.id, attempt.format));
      if ('itemId' in result) return result;
      // a refused request keeps the learner in the player, on the item they came from; an ended attempt has no player page
      const known = from !== undefined && items.some((i) => i.id === from);
      const stayUrl = attempt.state === 'ended' ? exitUrlOf(attempt) : `/player/attempts/${attempt.id}${known ? `?item=${encodeURIComponent(from)}` : ''}`;
      return { ...result, stayUrl };
    },

    /**
     * After a SCO ended its own session (SCORM 1.2 LMSFinish, RTE 3.3.2.2; no navigation requests in
     * 1.2): the next step the page offers instead of an empty frame. Items without sequencing are taken
     * in the package's order; the next one is the first not done after the one that ended.
     */
    async afterFinish(learner: Learner, attemptId: string, from: string | undefined): Promise<AfterFinish> {
      const attempt = await ownAttempt(learner, attemptId);
      const version = await requireVersion(attempt.versionId);
      const items = versionItems(version);
      const states = await itemStates(attempt.id, attempt.format);
      const byId = new Map(states.map((s) => [s.itemId, s]));
      const done = (id: string) => Boolean(byId.get(id)?.completion || byId.get(id)?.success === 'passed' || byId.get(id)?.waived);
      const at = items.findIndex((i) => i.id === from);
      const order = [...items.slice(at + 1), ...items.slice(0, Math.max(at, 0))];
      const next = attempt.state === 'ended' ? undefined : order.find((i) => !done(i.id));
      return {
        next: next ? { id: next.id, title: next.title, url: `/player/attempts/${attempt.id}?item=${encodeURIComponent(next.id)}` } : null,
        allDone: items.every((i) => done(i.id)),
        exitUrl: exitUrlOf(attempt),
        toc: items.map((i) => ({ id: i.id, status: tocStatusOf(byId.get(i.id)) })),
      };
    },

    /** SCORM 2004: a request of the player's controls, decided by the sequencing engine. */
    async sequencingRequest(learner: Learner, attemptId: string, request: SequencingRequest, target: string | undefined): Promise<NavResult> {
      const attempt = await ownAttempt(learner, attemptId);
      if (attempt.state === 'ended' || attempt.format !== 'scorm2004') return { open: false, exitUrl: exitUrlOf(attempt) };
      const version = await requireVersion(attempt.versionId);
      const step = await deps.attemptQueue(attempt.id, () => deps.sequenced.request(attempt, version, request, target));
      await afterStep(attempt);
      if (step.kind === 'ended') return { open: false, exitUrl: exitUrlOf(attempt) };
      return { open: true, ...(step.kind === 'between' && step.refused ? { refused: step.refused } : {}) };
    },

    /** SCORM 2004: after a SCO's Terminate, where the page goes (an activity the engine delivered, or away), or its new controls. */
    async sequencingState(learner: Learner, attemptId: string): Promise<{ next: string | null; nav: SequencedNav | null }> {
      const attempt = await ownAttempt(learner, attemptId);
      const page = `/player/attempts/${attempt.id}`;
      if (attempt.format !== 'scorm2004') return { next: null, nav: null };
      const version = await requireVersion(attempt.versionId);
      const state = await deps.attemptQueue(attempt.id, () => deps.sequenced.state(attempt, version));
      const fresh = (await repo.findAttempt(attempt.id)) ?? attempt;
      if (fresh.state !== 'open') return { next: exitUrlOf(fresh), nav: null };
      return { next: state.running ? page : null, nav: state.nav };
    },

    /**
     * Opens one item of an attempt: a new launch with its token, CMI data or launch parameters.
     * `platform` is the origin the learner's browser reached us under (Origins.platformOf): the LRS
     * endpoint, fetch URL and returnURL of xAPI/cmi5 launches point there; the actor's homePage stays
     * the public URL (see identityOf in progress.ts). `contentOrigin` is the content origin paired with
     * it (Origins.contentFor), named in cmi5's "launched" statement as the AU's launch URL (9.6.3.4-1).
     */
    async openItem(learner: Learner, attemptId: string, requestedItemId?: string, platform?: string, contentOrigin?: string): Promise<LaunchView> {
      const attempt = await ownAttempt(learner, attemptId);
      if (attempt.state === 'ended') throw new DomainError('conflict', 'player:errors.attemptEnded');
      const version = await requireVersion(attempt.versionId);
      const items = versionItems(version);
      if (!items.length) throw new DomainError('conflict', 'player:errors.nothingToLaunch');
      const module = (await content.getModule(attempt.moduleId)) as ContentModule | null | undefined;
      const moduleTitle = typeof module?.title === 'string' ? module.title : attempt.moduleSlug;
      const base = { format: version.format, preview: Boolean(attempt.preview), exitUrl: exitUrlOf(attempt), moduleTitle, attemptId: attempt.id };

      let item: ItemSettings | undefined;
      let toc: TocEntry[];
      let step: SequencedStep | undefined;
      if (version.format === 'scorm2004') {
        step = await deps.attemptQueue(attempt.id, () => deps.sequenced.open(attempt, version, requestedItemId));
        await afterStep(attempt);
        if (step.kind === 'ended') throw new DomainError('conflict', 'player:errors.attemptEnded');
        const delivered = step.kind === 'deliver' ? step.itemId : undefined;
        item = items.find((i) => i.id === delivered);
        if (delivered && !item) throw new DomainError('conflict', 'player:errors.itemNotFound');
        toc = step.nav.toc.map((e) => ({ id: e.id, title: e.title, current: e.current, completed: e.status === 'completed' || e.status === 'passed', enabled: e.enabled, status: e.status }));
      } else {
        const states = await itemStates(attempt.id, attempt.format);
        const nav = navigate(requestedItemId ? 'choice' : 'start', undefined, requestedItemId, items, states);
        if ('refused' in nav) throw new DomainError('conflict', 'player:errors.itemNotFound');
        item = items.find((i) => i.id === nav.itemId)!;
        toc = items.map((i) => {
          const s = states.find((x) => x.itemId === i.id);
          return { id: i.id, title: i.title, current: i.id === item!.id, completed: Boolean(s?.completion), enabled: true, status: tocStatusOf(s) };
        });
      }
      const sequencing = step && step.kind !== 'ended' ? { ...step.nav, stateUrl: `/player/attempts/${attempt.id}/sequencing`, navUrl: `/player/attempts/${attempt.id}/sequencing` } : undefined;
      const refused = step && step.kind !== 'ended' ? step.refused : undefined;
      if (!item) {
        // the engine delivered nothing: the page shows the controls and the contents to go on with
        return { ...base, itemTitle: moduleTitle, itemId: '', contentUrl: '', ownWindow: false, toc, ...(sequencing ? { sequencing } : {}), ...(refused ? { refused } : {}) };
      }
      const now = clock.now();
      const stored = await repo.ensureItem(attempt.id, item.id, now);
      const head = { ...base, itemTitle: item.title, itemId: item.id, toc, ...(sequencing ? { sequencing } : {}), ...(refused ? { refused } : {}) };
      let view: LaunchView;
      if (version.format === 'scorm12' || version.format === 'scorm2004') {
        const format: ScormFormat = version.format;
        const previous = toMap(stored.cmi);
        const prev = deriveState(format, previous);
        // cmi.entry "resume" (RTE 4.2.9) after exit=suspend, and for SCORM 2004 whenever the engine resumes a suspended activity (suspend all)
        const resume = stored.launchCount > 0 && (prev.suspended || (step?.kind === 'deliver' && step.resumed));
        const fresh = !resume;
        const baseTotalSeconds = resume ? prev.totalSeconds : 0;
        // from now on, commits of earlier launches are late and refused (commitLaunchNo moves on)
        const begun = await repo.beginItemLaunch(attempt.id, item.id, { ...(fresh ? { cmi: [] } : {}), baseTotalSeconds }, now);
        await repo.setItem(attempt.id, item.id, { commitLaunchNo: begun.launchCount, commitSeq: 0 });
        const { token } = await newLaunch(attempt, item, begun.launchCount, iris.item(attempt.moduleSlug, item.id), resume ? 'resume' : 'ab-initio');
        // RTE 4.2.17: a new attempt's objectives come from the manifest (and global objectives); a resumed one keeps its own
        const seeded = step?.kind === 'deliver' ? step.launchCmi : {};
        const cmi = { ...seeded, ...launchData(format, fresh ? {} : previous, { learnerId: learner.id, learnerName: learner.name, settings: item, resume, fresh, baseTotalSeconds }) };
        view = {
          ...head,
          contentUrl: contentUrl(token, version.id, item.href),
          ownWindow: false,
          scorm: { version: format === 'scorm12' ? '1.2' : '2004', commitUrl: `/api/player/scorm/${token}/commit`, cmi, seqStart: 0 },
        };
      } else {
        const launched = await launchXapiItem(attempt, item, version, learnerActor(deps.publicUrl, learner), 'Normal', platform, contentOrigin);
        // an AU on another server opens in a window too (8.1.0.0-3: with AnyWindow the LMS chooses): the
        // player's frame only admits the content origin, and other sites may refuse to be framed
        view = { ...head, contentUrl: launched, ownWindow: version.format === 'cmi5' && (item.launchMethod === 'OwnWindow' || /^https?:\/\//.test(item.href)) };
      }
      await repo.updateAttempt(attempt.id, { state: 'open', lastLaunchedAt: now });
      // a preview leaves the version deletable and nobody's progress changes
      if (!attempt.preview) {
        await content.markLaunched(version.id).catch((err: unknown) => deps.logger.warn({ err }, 'markLaunched failed'));
        await projection.refreshProgress(attempt.learnerId, attempt.moduleId, attempt.moduleSlug);
      }
      return view;
    },

    /** The content component asks whether a token opens a version's files (one launch, not expired). */
    async verifyContentToken(token: string, versionId: string): Promise<boolean> {
      const launch = await repo.findLaunchByTokenHash(sha256Hex(token));
      return Boolean(launch && launch.versionId === versionId && launch.expiresAt > clock.now());
    },
  };
}
export type LaunchService = ReturnType<typeof createLaunchService>;
