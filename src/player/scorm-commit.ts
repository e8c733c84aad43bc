import type { Agent, Result, Statement } from '../lrs/types.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import type { KeyedQueue } from '../shared/keyed-queue.ts';
import type { Logger } from '../shared/logger.ts';
import { sha256Hex } from '../shared/random.ts';
import { scormAncestors, versionItems } from './launchable-settings.ts';
import { activityIris, learnerActor } from './activity-iris.ts';
import type { HeldStatements } from './held-statements.ts';
import type { ContentPort } from './ports.ts';
import type { ProgressProjection } from './progress.ts';
import type { Attempt, Launch, PlayerRepository } from './repository.ts';
import { applyCommitRules, deriveState, interactionAt, toMap, toPairs, type CmiMap, type DerivedState, type ScormFormat } from './scorm-rules.ts';
import type { SequencedNavigation } from './sequencing/navigation.ts';
import { answeredStatement, durationResult, scormStatement, type SessionFrame } from './statements.ts';

export interface CommitInput {
  /** scorm-again's commit sequence within the page (metadata.sequence): later commits have larger numbers. */
  seq: number;
  terminate: boolean;
  cmi: Record<string, unknown>;
}

/** What scorm-again expects back (its xhrResponseHandler reads result and errorCode). */
export const COMMIT_OK = { result: true, errorCode: 0 } as const;

function scoreResult(format: ScormFormat, map: CmiMap, d: DerivedState): Result['score'] | undefined {
  if (d.scoreScaled === null) return undefined;
  const p = format === 'scorm12' ? 'cmi.core.score.' : 'cmi.score.';
  const raw = Number(map[`${p}raw`]);
  const min = Number(map[`${p}min`]);
  const max = Number(map[`${p}max`]);
  const score: NonNullable<Result['score']> = { scaled: Math.round(d.scoreScaled * 10000) / 10000 };
  if ([raw, min, max].every(Number.isFinite) && min <= raw && raw <= max) Object.assign(score, { raw, min, max });
  return score;
}

/** The LRS did not store a commit's statements: the CMI data is saved, the statements wait for the next commit. */
const statementsHeld = () => new DomainError('unavailable', 'player:errors.statementsHeld', { retryAfterSeconds: 15 });

/**
 * Stores SCORM commits: ordered and idempotent per item (launch number, then commit sequence), with
 * the LMS's rules applied (scorm-rules.ts), and turns the changes into xAPI statements (statements.ts)
 * that reach the LRS or are held until they do (held-statements.ts). The attempt and the learner's
 * progress record are projected once per commit, after its statements and its state.
 */
export function createScormCommits(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  held: HeldStatements;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  projection: ProgressProjection;
  sequenced: SequencedNavigation;
  attemptQueue: KeyedQueue;
}) {
  const { repo, clock, held, projection } = deps;
  const iris = activityIris(deps.publicUrl);
  const refreshAttempt = async (attempt: Attempt) => projection.refreshAttempt((await repo.findAttempt(attempt.id)) ?? attempt);
  const refreshProgress = async (attempt: Attempt) => {
    if (!attempt.preview) await projection.refreshProgress(attempt.learnerId, attempt.moduleId, attempt.moduleSlug);
  };

  async function commit(token: string, input: CommitInput): Promise<typeof COMMIT_OK & { applied: boolean }> {
    const launch = await repo.findLaunchByTokenHash(sha256Hex(token));
    if (!launch || launch.expiresAt <= clock.now()) throw new DomainError('unauthenticated', 'player:errors.launchExpired');
    // a repeat of the terminating commit answers only when the first has been acted on (the page then asks where to go)
    return deps.attemptQueue(launch.attemptId, () => apply(launch, input));
  }

  async function apply(launch: Launch, input: CommitInput): Promise<typeof COMMIT_OK & { applied: boolean }> {
    const now = clock.now();
    if (launch.format !== 'scorm12' && launch.format !== 'scorm2004') throw new DomainError('validation', 'player:errors.notScorm');
    const format: ScormFormat = launch.format;
    const [attempt, item, version] = await Promise.all([
      repo.findAttempt(launch.attemptId),
      repo.findItem(launch.attemptId, launch.itemId),
      deps.content.getVersion(launch.versionId),
    ]);
    if (!attempt || !item || !version) throw new DomainError('not-found', 'player:errors.attemptNotFound');
    const settings = versionItems(version).find((i) => i.id === launch.itemId);
    if (!settings) throw new DomainError('not-found', 'player:errors.itemNotFound');

    const incoming: CmiMap = {};
    for (const [k, v] of Object.entries(input.cmi)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') incoming[k] = String(v);
    const previousMap = toMap(item.cmi);
    const next = applyCommitRules(format, previousMap, incoming, settings, item.baseTotalSeconds, input.terminate);
    const before = await repo.applyCommitIfNewer(attempt.id, item.itemId, launch.launchNo, input.seq, { cmi: toPairs(next), updatedAt: now });
    if (!before) {
      // a repeat or a late commit changes nothing, but it brings what an earlier one could not store
      const { delivered, failure } = await held.deliver(item, item.heldStatements ?? []);
      if (failure) throw statementsHeld();
      if (delivered) {
        await refreshAttempt(attempt);
        await refreshProgress(attempt);
      }
      return { ...COMMIT_OK, applied: false };
    }

    const prev = deriveState(format, toMap(before.cmi));
    const cur = deriveState(format, next);
    const frame: SessionFrame = {
      actor: learnerActor(deps.publicUrl, { id: attempt.learnerId, name: attempt.learnerName }) as Agent,
      registration: attempt.registration,
      sessionId: launch.sessionId,
      course: {
        objectType: 'Activity',
        id: iris.course(attempt.moduleSlug),
        definition: { type: 'http://adlnet.gov/expapi/activities/course', name: { 'de-DE': attempt.moduleSlug } },
      },
      item: {
        objectType: 'Activity',
        id: launch.activityId,
        definition: { type: 'http://adlnet.gov/expapi/activities/lesson', name: { 'de-DE': settings.title } },
      },
      attemptNumber: attempt.number,
      clusters: scormAncestors(version, launch.itemId).map((c) => ({
        objectType: 'Activity',
        id: iris.item(attempt.moduleSlug, c.id),
        definition: { type: 'http://adlnet.gov/expapi/activities/module', name: { 'de-DE': c.title } },
      })),
    };
    const statements: Statement[] = [];
    const key = `${launch.launchNo}:${input.seq}`;
    if (await repo.markInitialized(launch.id)) {
      statements.push(scormStatement(frame, launch.launchMode === 'resume' ? 'resumed' : 'initialized', 'start', launch.startedAt));
    }
    for (let i = prev.interactions; i < cur.interactions; i++) statements.push(answeredStatement(frame, i, interactionAt(format, next, i), now));
    const score = scoreResult(format, next, cur);
    if (score && cur.scoreScaled !== prev.scoreScaled) statements.push(scormStatement(frame, 'scored', key, now, { score }));
    if (cur.completion && !prev.completion) statements.push(scormStatement(frame, 'completed', key, now, { completion: true }));
    if (cur.success !== prev.success && cur.success !== 'unknown') {
      statements.push(scormStatement(frame, cur.success, key, now, { success: cur.success === 'passed', ...(score ? { score } : {}) }));
    }
    const navRequest = next['adl.nav.request'] ?? '';
    if (input.terminate) {
      const suspended = cur.suspended || navRequest === 'suspendAll';
      statements.push(scormStatement(frame, suspended ? 'suspended' : 'terminated', key, now, durationResult(cur.sessionSeconds)));
      await repo.updateLaunch(launch.id, { state: 'terminated', endedAt: now, durationSeconds: cur.sessionSeconds });
    } else if (cur.sessionSeconds > 0) {
      await repo.raiseLaunchDuration(launch.id, cur.sessionSeconds);
    }

    // held first, so that a failure of the LRS loses nothing; the statements held by earlier commits go along
    const fresh = await held.hold(item, statements);
    const { failure } = await held.deliver(item, [...(before.heldStatements ?? []), ...fresh]);
    if (input.terminate && format === 'scorm2004') {
      // SN OP.1 after the SCO's Terminate: End Attempt with its data, then its navigation request
      await deps.sequenced.terminated(attempt, version, item.itemId, next);
      await refreshAttempt(attempt);
    } else {
      const refreshed = await refreshAttempt(attempt);
      if (input.terminate) {
        // exit=suspend keeps the attempt for "Fortsetzen"; a normal exit ends it once the module is done
        // (or at once for a single-SCO module): the next launch starts a new attempt (SCORM RTE 4.2.8 cmi.exit)
        const suspended = cur.suspended || navRequest === 'suspendAll';
        const ends = !suspended && (navRequest === 'exitAll' || version.launchables.length === 1 || refreshed.rollup.completion);
        await repo.updateAttempt(attempt.id, ends ? { state: 'ended', endedAt: now } : { state: suspended ? 'suspended' : 'open' });
      }
    }
    await refreshProgress(attempt);
    // the CMI data and the attempt's state are saved; the learner's page hears that the commit is not complete
    if (failure) throw statementsHeld();
    return { ...COMMIT_OK, applied: true };
  }
  return commit;
}
export type ScormCommit = ReturnType<typeof createScormCommits>;
