import { randomUUID } from 'node:crypto';
import type { Agent, Credential, DocumentRead, Statement } from '../lrs/types.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { randomToken, sha256Hex } from '../shared/random.ts';
import { cmi5Blocks, courseActivityId, versionItems, type ItemSettings } from './launchable-settings.ts';
import type { ContentPort, ContentVersion, LrsPort } from './ports.ts';
import type { ProgressProjection } from './progress.ts';
import type { Attempt, Launch, PlayerRepository } from './repository.ts';
import { itemSatisfied } from './rollup.ts';
import { cmi5StatementProblem } from './cmi5-statement-rules.ts';
import { activityIris } from './activity-iris.ts';
import { CMI5_CATEGORY, MASTERY_EXT, REASON_EXT, SESSION_EXT, VERB, cmi5LmsStatement, durationResult, verbName } from './statements.ts';

const EXT = 'https://w3id.org/xapi/cmi5/context/extensions/';
/** The verbs of cmi5 defined statements an AU sends (§9.3.2 – §9.3.6). */
const AU_VERBS: string[] = ['initialized', 'completed', 'passed', 'failed', 'terminated'];
const CMI5_COURSE_TYPE = 'https://w3id.org/xapi/cmi5/activitytype/course';
const CMI5_BLOCK_TYPE = 'https://w3id.org/xapi/cmi5/activitytype/block';

/**
 * The LMS side of cmi5 (https://github.com/AICC/CMI-5_Spec_Current/blob/quartz/cmi5_spec.md):
 * launch (§8.1 URL, §8.2 fetch, §10 LMS.LaunchData, §9.3.1? "launched"), the session rules the LMS
 * enforces on AU statements (§9.3, §9.5, refused before storing), moveOn with "satisfied" for blocks and
 * the course (§9.3.9, §11), "abandoned" (§9.3.8) and "waived" (§9.3.7).
 */
export function createCmi5(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  lrs: LrsPort | undefined;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  projection: ProgressProjection;
}) {
  const { repo, clock } = deps;
  const iris = activityIris(deps.publicUrl);

  const actorOf = (attempt: Pick<Attempt, 'learnerId' | 'learnerName' | 'actorJson'>): Agent =>
    attempt.actorJson
      ? (JSON.parse(attempt.actorJson) as Agent)
      : { objectType: 'Agent', name: attempt.learnerName, account: { homePage: deps.publicUrl(), name: attempt.learnerId } };
  const store = async (statements: Statement[]) => {
    if (!deps.lrs || !statements.length) return;
    await deps.lrs.storeStatements(statements);
  };

  /** The AU's publisher id as the grouping activity of LMS statements (cmi5 §9.6.2.3). */
  async function publisherOf(attempt: Attempt, itemId: string): Promise<string | undefined> {
    const version = await deps.content.getVersion(attempt.versionId);
    return version ? (versionItems(version).find((i) => i.id === itemId)?.publisherId ?? undefined) : undefined;
  }

  /** Ends an open session as abandoned (§9.3.8), with the time it lasted; false when it was not open. */
  async function abandonLaunch(l: Launch, attempt: Attempt): Promise<boolean> {
    if (!(await repo.updateLaunchIf(l.id, ['open'], { state: 'abandoned', endedAt: clock.now() }))) return false;
    const seconds = Math.max(0, (clock.now().getTime() - l.startedAt.getTime()) / 1000);
    const publisher = await publisherOf(attempt, l.itemId);
    try {
      await store([
        cmi5LmsStatement(
          { actor: actorOf(attempt), registration: attempt.registration, sessionId: l.sessionId, item: { objectType: 'Activity', id: l.activityId } },
          'abandoned',
          clock.now(),
          { result: durationResult(Math.round(seconds)), grouping: publisher },
        ),
      ]);
    } catch (err) {
      // not abandoned without its statement: the session stays open, and the next launch or the admin tries again
      await repo.updateLaunchIf(l.id, ['abandoned'], { state: 'open', endedAt: null });
      throw err;
    }
    return true;
  }

  /** Sessions left open when a new one starts are abandoned. */
  async function abandonOpenSessions(registration: string, except: string): Promise<void> {
    const attempt = await repo.findAttemptByRegistration(registration);
    if (!attempt) return;
    for (const l of await repo.openLaunches(registration)) {
      if (l.id !== except && l.format === 'cmi5') await abandonLaunch(l, attempt);
    }
  }

  async function satisfiedStatements(attempt: Attempt, version: ContentVersion, satisfiedAus: Set<string>): Promise<void> {
    const latest = await repo.latestLaunch(attempt.id);
    const sessionId = latest?.sessionId ?? randomUUID();
    const actor = actorOf(attempt);
    const out: Array<{ key: string; statement: Statement }> = [];
    // block and course ids are made by the LMS (§9.3.9: never the publisher's ids, which go into grouping)
    const courseIri = iris.course(attempt.moduleSlug);
    const mark = async (key: string, id: string, type: string, publisherId: string | undefined) => {
      const done = await repo.findItem(attempt.id, key);
      if (done?.satisfied) return;
      // marked before it is stored: storing runs this projection again, which must not issue it twice
      await repo.setItem(attempt.id, key, { satisfied: true, updatedAt: clock.now() });
      // one after the other, a millisecond apart: blocks are satisfied before the course they are in
      const at = new Date(clock.now().getTime() + out.length);
      out.push({
        key,
        statement: cmi5LmsStatement(
          { actor, registration: attempt.registration, sessionId, item: { objectType: 'Activity', id, definition: { type } } },
          'satisfied',
          at,
          { key: id, grouping: publisherId },
        ),
      });
    };
    for (const block of cmi5Blocks(version)) {
      if (block.auIds.every((id) => satisfiedAus.has(id)))
        await mark(`block:${block.id}`, `${courseIri}/blocks/${encodeURIComponent(block.id)}`, CMI5_BLOCK_TYPE, block.id);
    }
    const items = versionItems(version);
    if (items.every((i) => satisfiedAus.has(i.id))) await mark('course', courseIri, CMI5_COURSE_TYPE, courseActivityId(version));
    for (const [i, { statement }] of out.entries()) {
      try {
        await store([statement]);
      } catch (err) {
        // what the LRS did not store is not satisfied yet: the next recomputation issues it again
        for (const { key } of out.slice(i)) await repo.setItem(attempt.id, key, { satisfied: false });
        throw err;
      }
    }
  }

  // after every recomputation: satisfied statements, and a satisfied xAPI/cmi5 attempt is finished
  deps.projection.onRefreshed(async (attempt, r) => {
    if (!r.version || (attempt.format !== 'cmi5' && attempt.format !== 'xapi')) return;
    if (attempt.format === 'cmi5') {
      const aus = new Set(
        r.items
          .filter((i) =>
            itemSatisfied(
              i,
              r.states.find((s) => s.itemId === i.id),
              'cmi5',
            ),
          )
          .map((i) => i.id),
      );
      await satisfiedStatements(attempt, r.version, aus);
    }
    // a satisfied attempt ends (the next start is a new registration) once the learner has had it:
    // a course whose AUs are all "NotApplicable" is satisfied at registration (§9.6.1.1) and must
    // still open; it ends with its first session, as any other does with the one that satisfies it
    if (r.rollup.satisfied && attempt.state !== 'ended' && attempt.lastLaunchedAt && (await repo.openLaunches(attempt.registration)).length === 0) {
      await repo.updateAttempt(attempt.id, { state: 'ended', endedAt: clock.now() });
    }
  });

  return {
    /**
     * A new registration: moveOn is evaluated at once (§9.6.1.1), so a course whose AUs are all
     * "NotApplicable" is satisfied before anything is launched.
     */
    async evaluateRegistration(attempt: Attempt, version: ContentVersion): Promise<void> {
      if (attempt.format !== 'cmi5') return;
      const aus = new Set(
        versionItems(version)
          .filter((i) => itemSatisfied(i, undefined, 'cmi5'))
          .map((i) => i.id),
      );
      if (aus.size) await satisfiedStatements(attempt, version, aus);
    },

    /** Prepares one AU launch and returns its launch URL (§8.1). */
    async prepareLaunch(input: {
      attempt: Attempt;
      item: ItemSettings;
      launch: Launch;
      actor: Agent;
      version: ContentVersion;
      endpoint: string;
      contentUrl: string;
      contentOrigin: string;
      launchMode?: 'Normal' | 'Browse' | 'Review';
      platform?: string;
    }): Promise<string> {
      const { attempt, item, launch, actor } = input;
      const launchMode = input.launchMode ?? 'Normal';
      if (!deps.lrs) throw new DomainError('unavailable', 'player:errors.noLrs');
      await abandonOpenSessions(attempt.registration, launch.id);
      const cred = await deps.lrs.mintCredentials({ actor, registration: attempt.registration, ttlSeconds: 12 * 3600 });
      const fetchToken = randomToken(32);
      await repo.updateLaunch(launch.id, { fetchTokenHash: sha256Hex(fetchToken), authorization: cred.authorization, launchMode });
      const activityId = launch.activityId;
      // §10.2.6: the AU goes to returnURL when it exits, in its frame or window: a page of ours that
      // moves the player on (next AU or overview) instead of showing our site inside the frame
      const returnURL = `${input.platform ?? deps.publicUrl()}/player/attempts/${attempt.id}/returned?${new URLSearchParams({ item: item.id }).toString()}`;
      const launchData: Record<string, unknown> = {
        contextTemplate: {
          contextActivities: { grouping: [{ objectType: 'Activity', id: item.publisherId ?? item.id }] },
          extensions: { [SESSION_EXT]: launch.sessionId },
        },
        launchMode,
        moveOn: item.moveOn ?? 'NotApplicable',
        returnURL,
      };
      if (item.launchParameters) launchData.launchParameters = item.launchParameters;
      if (item.masteryScore !== undefined) launchData.masteryScore = item.masteryScore;
      if (item.entitlementKey) launchData.entitlementKey = { courseStructure: item.entitlementKey };
      await deps.lrs.putDocument(
        { activityId, agent: actor, registration: attempt.registration, stateId: 'LMS.LaunchData' },
        { content: JSON.stringify(launchData), contentType: 'application/json' },
      );
      const launchUrl = `${input.contentUrl}`;
      // 9.6.3.4-1: the URL the AU is really launched at (the content origin's), without the §8.1 parameters
      const ext: Record<string, unknown> = {
        [`${EXT}launchmode`]: launchMode,
        [`${EXT}launchurl`]: launchUrl.startsWith('/') ? `${input.contentOrigin}${launchUrl}` : launchUrl,
        [`${EXT}moveon`]: item.moveOn ?? 'NotApplicable',
      };
      if (item.launchParameters) ext[`${EXT}launchparameters`] = item.launchParameters;
      if (item.masteryScore !== undefined) ext[MASTERY_EXT] = item.masteryScore;
      await store([
        cmi5LmsStatement(
          { actor, registration: attempt.registration, sessionId: launch.sessionId, item: { objectType: 'Activity', id: activityId } },
          'launched',
          clock.now(),
          { contextExtensions: ext, grouping: item.publisherId ?? item.id },
        ),
      ]);
      const params = new URLSearchParams({
        endpoint: input.endpoint,
        // on the origin the learner's browser uses (Origins.platformOf), which the content's CSP allows
        fetch: `${input.platform ?? deps.publicUrl()}/api/player/cmi5/fetch/${fetchToken}`,
        actor: JSON.stringify(actor),
        registration: attempt.registration,
        activityId,
      });
      // the parameters join the AU's own query (13.1.4.0-3), before a fragment
      const hash = launchUrl.indexOf('#');
      const [main, fragment] = hash === -1 ? [launchUrl, ''] : [launchUrl.slice(0, hash), launchUrl.slice(hash)];
      return `${main}${main.includes('?') ? '&' : '?'}${params.toString()}${fragment}`;
    },

    /**
     * The session rules for statements sent by AUs with their minted credentials (§9.3, §9.5.x):
     * initialized first and once, nothing after terminated or in an abandoned session, at most one
     * passed or failed per session, no failed after passed and one completed / passed per registration,
     * passed and failed agree with the mastery score, judgements only in Normal launch mode.
     */
    async guard(statement: Statement, ctx: { credential: Credential; sent?: Readonly<Record<string, unknown>> }): Promise<void> {
      const registration = statement.context?.registration;
      if (!ctx.credential.limit || !registration) return;
      const attempt = await repo.findAttemptByRegistration(registration);
      if (!attempt || attempt.format !== 'cmi5') return;
      const refuse = (why: string) => {
        throw new DomainError('forbidden', 'player:errors.cmi5Refused', { reason: why });
      };
      // §6.3 (6.3.0.0-1): an AU must not void statements; voiding is the LMS's business
      if (statement.verb.id === 'http://adlnet.gov/expapi/verbs/voided') return refuse('AUs may not void statements');
      const sessionId = statement.context?.extensions?.[SESSION_EXT];
      const launch = typeof sessionId === 'string' ? await repo.findLaunchBySessionId(sessionId) : undefined;
      if (!launch || launch.registration !== registration) return refuse('no session id of this registration');
      const verb = verbName(statement.verb.id);
      const isCmi5 = (statement.context?.contextActivities?.category ?? []).some((c) => c.id === CMI5_CATEGORY);
      if (launch.state === 'abandoned') return refuse('session abandoned');
      if (launch.state === 'terminated') return refuse('session terminated');
      const version = await deps.content.getVersion(attempt.versionId);
      const settings = version ? versionItems(version).find((i) => i.id === launch.itemId) : undefined;
      // the rules of §9 on the statement itself, before anything of the session changes
      const defined = isCmi5 && verb !== undefined && AU_VERBS.includes(verb) ? verb : undefined;
      const problem = cmi5StatementProblem(ctx.sent ?? (statement as unknown as Record<string, unknown>), defined, {
        activityId: launch.activityId,
        ...(settings?.masteryScore !== undefined ? { masteryScore: settings.masteryScore } : {}),
      });
      if (problem) return refuse(problem);
      if (verb === 'initialized' && isCmi5) {
        // 11.0.0.0-3 (d2): the AU must have asked for the learner preferences before it says "initialized"
        if (!launch.preferencesReadAt) return refuse('initialized before the AU retrieved cmi5LearnerPreferences (cmi5 §11)');
        if (!(await repo.markInitialized(launch.id))) return refuse('second initialized');
        return;
      }
      if (!launch.initialized) return refuse('statement before initialized');
      if (!isCmi5) return;
      const item = await repo.findItem(attempt.id, launch.itemId);
      const scaled = statement.result?.score?.scaled;
      if (verb === 'completed' || verb === 'passed' || verb === 'failed') {
        if (launch.launchMode !== 'Normal') return refuse('not in Normal launch mode');
      }
      if (verb === 'completed' && item?.completion) return refuse('second completed in registration');
      if (verb === 'passed' || verb === 'failed') {
        if (launch.passedOrFailed) return refuse('second passed/failed in session');
        if (item?.success === 'passed') return refuse(`${verb} after passed`);
        const mastery = settings?.masteryScore;
        if (mastery !== undefined && typeof scaled === 'number') {
          if (verb === 'passed' && scaled < mastery) return refuse('passed below mastery score');
          if (verb === 'failed' && scaled >= mastery) return refuse('failed at or above mastery score');
        }
        await repo.updateLaunch(launch.id, { passedOrFailed: true });
      }
      if (verb === 'terminated') {
        if (!(await repo.updateLaunchIf(launch.id, ['open'], { state: 'terminated', endedAt: clock.now() }))) return refuse('session not open');
      }
    },

    /**
     * cmi5 §11 (11.0.0.0-3 d1): the LMS tracks that the AU of a session retrieved the
     * cmi5LearnerPreferences agent profile (a GET, whether the document exists or not). The session is
     * the open one the reading credential was minted for.
     */
    async documentRead(read: DocumentRead, ctx: { credential: Credential }): Promise<void> {
      const limit = ctx.credential.limit;
      if (!limit || read.resource !== 'agent-profile' || read.params.profileId !== 'cmi5LearnerPreferences') return;
      const keyOf = (authorization: string | null) =>
        Buffer.from((authorization ?? '').replace(/^Basic\s+/i, ''), 'base64')
          .toString('utf8')
          .split(':')[0];
      for (const l of await repo.openLaunches(limit.registration)) {
        if (l.format === 'cmi5' && !l.preferencesReadAt && keyOf(l.authorization) === ctx.credential.key)
          await repo.updateLaunch(l.id, { preferencesReadAt: clock.now() });
      }
    },

    /** An admin (or the cmi5 test suite's adapter) abandons an open session. */
    async abandonSession(sessionId: string): Promise<void> {
      const launch = await repo.findLaunchBySessionId(sessionId);
      const attempt = launch ? await repo.findAttempt(launch.attemptId) : undefined;
      if (!launch || !attempt || launch.format !== 'cmi5') throw new DomainError('not-found', 'player:errors.sessionNotFound');
      if (!(await abandonLaunch(launch, attempt))) throw new DomainError('conflict', 'player:errors.sessionNotOpen');
    },

    /** An admin waives an AU for a learner (§9.3.7): the statement carries the reason. */
    async waive(admin: { id: string }, attemptId: string, itemId: string, reason: string): Promise<void> {
      const attempt = await repo.findAttempt(attemptId);
      if (!attempt || attempt.format !== 'cmi5') throw new DomainError('not-found', 'player:errors.attemptNotFound');
      const version = await deps.content.getVersion(attempt.versionId);
      const item = version ? versionItems(version).find((i) => i.id === itemId) : undefined;
      if (!item) throw new DomainError('not-found', 'player:errors.itemNotFound');
      if (!reason.trim())
        throw new DomainError('validation', 'player:errors.waiveReason', { fields: [{ field: 'reason', message: 'player:errors.waiveReason' }] });
      const now = clock.now();
      const launch = await repo.insertLaunch({
        tokenHash: sha256Hex(randomToken(32)),
        sessionId: randomUUID(),
        attemptId,
        registration: attempt.registration,
        itemId,
        learnerId: attempt.learnerId,
        versionId: attempt.versionId,
        format: 'cmi5',
        launchNo: 0,
        activityId: iris.item(attempt.moduleSlug, item.id),
        startedAt: now,
        expiresAt: now,
        fetchTokenHash: null,
        authorization: null,
        launchMode: 'Normal',
      });
      await repo.updateLaunch(launch.id, { state: 'terminated', endedAt: now });
      await repo.ensureItem(attemptId, itemId, now);
      const statement = cmi5LmsStatement(
        { actor: actorOf(attempt), registration: attempt.registration, sessionId: launch.sessionId, item: { objectType: 'Activity', id: launch.activityId } },
        'waived',
        now,
        {
          result: { success: true, completion: true, extensions: { [REASON_EXT]: reason.trim() } },
          moveOn: true,
          key: `${admin.id}`,
          grouping: item.publisherId,
        },
      );
      if (deps.lrs) await store([statement]);
      else await repo.setItem(attemptId, itemId, { waivedReason: reason.trim() });
    },

    verbs: VERB,
  };
}
export type Cmi5Launcher = ReturnType<typeof createCmi5>;
