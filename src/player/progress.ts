import type { Actor, Agent, StoredStatement } from '../lrs/types.ts';
import { groupBy, indexBy } from '../shared/batch.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { parseDurationSeconds } from './cmi-time.ts';
import { itemSettings, type ItemSettings } from './launchable-settings.ts';
import type { ContentPort, ContentVersion, ModuleProgress, ModuleStatus } from './ports.ts';
import type { ProgressDoc } from './model.ts';
import type { Attempt, Launch, PlayerRepository } from './repository.ts';
import { attemptOutcome, moduleRecord, type AttemptOutcome } from './module-status.ts';
import type { ItemProgress } from './rollup.ts';
import { REASON_EXT, SESSION_EXT, verbName } from './statements.ts';

/** The rule the progress records follow; raise the version when it changes, and every record is recomputed once. */
const PROGRESS_RULE_ID = 'progress-rule';
const PROGRESS_RULE_VERSION = 2;

/** An agent's identifying properties, comparable as one string (xAPI Data §2.4.2.3). */
const registrationsOf = (statements: StoredStatement[]): string[] => [
  ...new Set(statements.map((s) => s.context?.registration).filter((r): r is string => typeof r === 'string')),
];

const identityOf = (a: Actor | Agent): string =>
  JSON.stringify([a.mbox?.toLowerCase(), a.mbox_sha1sum?.toLowerCase(), a.openid, a.account?.homePage, a.account?.name]);

/** One learner's records as the qualification reads them: every named module, 'not-attempted' without a record. */
function progressOf(moduleSlugs: string[], records: ProgressDoc[]): ModuleProgress[] {
  const bySlug = indexBy(records, (p) => p.moduleSlug);
  return moduleSlugs.map((moduleSlug) => {
    const p = bySlug.get(moduleSlug);
    if (!p) return { moduleSlug, status: 'not-attempted' as const, attempts: 0 };
    return {
      moduleSlug,
      status: p.status as ModuleStatus,
      ...(p.scorePercent !== null ? { score: p.scorePercent } : {}),
      timeSpentSeconds: p.timeSpentSeconds,
      attempts: p.attempts,
      ...(p.lastLaunchedAt ? { lastLaunchedAt: p.lastLaunchedAt } : {}),
    };
  });
}

/**
 * The progress projection: statements of registrations the player owns update item states, items
 * roll up to their attempt, attempts to one record per learner and module. Every step sets values
 * (or raises a maximum) instead of counting, so a statement delivered twice changes nothing.
 */
export function createProgressProjection(deps: { repo: PlayerRepository; content: ContentPort; clock: Clock; logger: Logger }) {
  const { repo, content, clock } = deps;

  async function versionItems(versionId: string): Promise<{ version: ContentVersion | undefined; items: ItemSettings[] }> {
    const version = (await content.getVersion(versionId)) ?? undefined;
    return { version, items: (version?.launchables ?? []).map(itemSettings) };
  }

  /**
   * Whose statement it is: its actor's, and only an Agent's. The registration finds the attempt, but
   * counts only when the actor is the attempt's learner (their platform account, or the actor the
   * attempt was launched for); a Group, or the learner named only as instructor or team member, counts
   * for nobody. The account's homePage is not compared: it follows the public URL, which may change.
   */
  function isLearnersStatement(s: StoredStatement, attempt: Attempt): boolean {
    if (s.actor.objectType === 'Group') return false;
    if (attempt.actorJson) return identityOf(s.actor) === identityOf(JSON.parse(attempt.actorJson) as Agent);
    return s.actor.account?.name === attempt.learnerId;
  }

  /** Applies one statement of the attempt's learner to the item it is about. */
  async function applyStatement(s: StoredStatement, attempt: Attempt): Promise<void> {
    const verb = verbName(s.verb.id);
    if (!verb || !isLearnersStatement(s, attempt)) return;
    const sessionId = s.context?.extensions?.[SESSION_EXT];
    const launch: Launch | undefined = typeof sessionId === 'string' ? await repo.findLaunchBySessionId(sessionId) : await repo.latestLaunch(attempt.id);
    if (!launch || launch.attemptId !== attempt.id) return;
    const objectId = (s.object as { id?: string }).id;
    const aboutItem = objectId === launch.activityId;
    const at = new Date(s.timestamp);
    const duration = parseDurationSeconds(s.result?.duration);
    if ((verb === 'terminated' || verb === 'suspended' || verb === 'abandoned') && duration > 0) await repo.raiseLaunchDuration(launch.id, duration);
    if (!aboutItem) return;
    const scaled = typeof s.result?.score?.scaled === 'number' ? s.result.score.scaled : null;
    switch (verb) {
      case 'completed':
        await repo.setItem(attempt.id, launch.itemId, { completion: true });
        break;
      case 'passed':
      case 'failed':
        await repo.setSuccessIfNewer(attempt.id, launch.itemId, verb, at, scaled);
        break;
      case 'scored':
        if (scaled !== null) await repo.setItem(attempt.id, launch.itemId, { scoreScaled: scaled });
        break;
      case 'waived': {
        const reason = s.result?.extensions?.[REASON_EXT];
        await repo.setItem(attempt.id, launch.itemId, { waivedReason: typeof reason === 'string' ? reason : 'waived' });
        break;
      }
      default:
        break;
    }
  }

  /** Recomputes an attempt from its items and sessions (module-status.ts decides); returns its outcome and the item settings. */
  async function refreshAttempt(
    attempt: Attempt,
  ): Promise<{ rollup: AttemptOutcome; items: ItemSettings[]; states: ItemProgress[]; version: ContentVersion | undefined }> {
    const [{ version, items }, itemDocs, launches] = await Promise.all([
      versionItems(attempt.versionId),
      repo.listItems(attempt.id),
      repo.listLaunches(attempt.id),
    ]);
    const states: ItemProgress[] = itemDocs.map((i) => ({
      itemId: i.itemId,
      completion: i.completion,
      success: i.success,
      scoreScaled: i.scoreScaled,
      waived: Boolean(i.waivedReason),
    }));
    const timeSpentSeconds = Math.round(launches.reduce((sum, l) => sum + l.durationSeconds, 0));
    // SCORM 2004: the root activity's rollup, written with the sequencing state (src/player/sequencing)
    const sequenced = attempt.format === 'scorm2004' && attempt.sequencingState !== null && attempt.sequencingState !== undefined;
    const root = sequenced
      ? { completion: attempt.completion, success: attempt.success, satisfied: attempt.satisfied, scoreScaled: attempt.scoreScaled }
      : undefined;
    // cmi5: the course "satisfied" the LMS issued (src/player/cmi5.ts keeps it as the attempt's item "course")
    const courseSatisfied = Boolean(itemDocs.find((i) => i.itemId === 'course')?.satisfied);
    const r = attemptOutcome({ format: attempt.format, items, states, courseSatisfied, ...(root ? { root } : {}) });
    await repo.updateAttempt(
      attempt.id,
      sequenced ? { timeSpentSeconds } : { completion: r.completion, success: r.success, satisfied: r.satisfied, scoreScaled: r.scoreScaled, timeSpentSeconds },
    );
    return { rollup: r, items, states, version };
  }

  /** Rewrites the learner's record for one module from their attempts (a handful of small documents). */
  async function refreshProgress(learnerId: string, moduleId: string, moduleSlug: string): Promise<void> {
    const attempts = await repo.listAttempts(learnerId, moduleId);
    // only an author's previews (not listed): no record, so nobody gets progress from a preview
    if (!attempts.length) return;
    const { status, deciding } = moduleRecord(attempts);
    const launched = attempts.map((a) => a.lastLaunchedAt?.getTime() ?? 0).filter(Boolean);
    const resumable = [...attempts].reverse().find((a) => a.state !== 'ended');
    await repo.upsertProgress({
      learnerId,
      moduleId,
      moduleSlug,
      status,
      scorePercent: typeof deciding?.scoreScaled === 'number' ? Math.round(deciding.scoreScaled * 100) : null,
      timeSpentSeconds: attempts.reduce((sum, a) => sum + a.timeSpentSeconds, 0),
      attempts: attempts.length,
      lastLaunchedAt: launched.length ? new Date(Math.max(...launched)) : null,
      resumableAttemptId: resumable?.id ?? null,
      resumableVersionId: resumable?.versionId ?? null,
      updatedAt: clock.now(),
    });
  }

  /**
   * Statements (by lower-case id, with how many callers store them now) whose attempt the caller
   * refreshes itself once they are stored: the hook applies them to their items and leaves the rest.
   */
  const refreshedByCaller = new Map<string, number>();
  const leftToCaller = (statements: StoredStatement[]) => statements.length > 0 && statements.every((s) => refreshedByCaller.has(s.id.toLowerCase()));

  const afterRefresh: Array<(attempt: Attempt, r: Awaited<ReturnType<typeof refreshAttempt>>) => Promise<void>> = [];

  async function refresh(attempt: Attempt): Promise<void> {
    const result = await refreshAttempt(attempt);
    for (const fn of afterRefresh) await fn(attempt, result);
    if (!attempt.preview) await refreshProgress(attempt.learnerId, attempt.moduleId, attempt.moduleSlug);
  }

  /**
   * Records written under an earlier rule (before module-status.ts) are recomputed once per database:
   * every counted attempt, then every learner's record of a module. Idempotent, so two instances
   * doing it at once or a restart in the middle change nothing but the time it takes.
   */
  async function recomputeUnderCurrentRule(): Promise<number> {
    if ((await repo.metaVersion(PROGRESS_RULE_ID)) >= PROGRESS_RULE_VERSION) return 0;
    const records = new Map<string, [string, string, string]>();
    let n = 0;
    for await (const attempt of repo.eachCountedAttempt()) {
      await refreshAttempt(attempt);
      records.set(`${attempt.learnerId}\u0000${attempt.moduleId}`, [attempt.learnerId, attempt.moduleId, attempt.moduleSlug]);
      n++;
    }
    for (const [learnerId, moduleId, moduleSlug] of records.values()) await refreshProgress(learnerId, moduleId, moduleSlug);
    await repo.setMetaVersion(PROGRESS_RULE_ID, PROGRESS_RULE_VERSION, clock.now());
    return n;
  }

  /**
   * The attempts of the statements' registrations, in one query for the batch, not one per
   * statement (the LRS starts it beside its insert: the ingest waits on it).
   */
  function attemptsOf(statements: StoredStatement[]): Promise<Attempt[]> {
    const registrations = registrationsOf(statements);
    return registrations.length ? repo.findAttemptsByRegistrations(registrations) : Promise.resolve([]);
  }

  return {
    refresh,
    refreshAttempt,
    recomputeUnderCurrentRule,
    refreshProgress,
    /** Hooks that act on a recomputed attempt (cmi5 satisfied statements, ending satisfied attempts). */
    onRefreshed(fn: (attempt: Attempt, r: Awaited<ReturnType<typeof refreshAttempt>>) => Promise<void>) {
      afterRefresh.push(fn);
    },
    /**
     * Stores statements through `store` (the LRS, whose stored-statements hook lands in
     * onStatementsStored) with the attempt's refresh left to the caller: a SCORM commit decides the
     * attempt's state after its statements and then refreshes it once (one projection per commit).
     */
    async storeRefreshingMyself<T>(statements: Array<{ id?: string }>, store: () => Promise<T>): Promise<T> {
      const ids = statements.map((s) => s.id?.toLowerCase()).filter((id): id is string => Boolean(id));
      for (const id of ids) refreshedByCaller.set(id, (refreshedByCaller.get(id) ?? 0) + 1);
      try {
        return await store();
      } finally {
        for (const id of ids) {
          const n = (refreshedByCaller.get(id) ?? 1) - 1;
          if (n > 0) refreshedByCaller.set(id, n);
          else refreshedByCaller.delete(id);
        }
      }
    },
    attemptsOf,
    /**
     * The LRS calls this after storing statements (lrs.onStatementsStored); `prepared` is attemptsOf
     * for the whole request, read while it was stored (of which this call may hold a share).
     */
    async onStatementsStored(statements: StoredStatement[], prepared?: Promise<unknown>): Promise<void> {
      const mine = new Set(registrationsOf(statements));
      const attempts = prepared ? await (prepared as Promise<Attempt[]>).catch(() => attemptsOf(statements)) : await attemptsOf(statements);
      const touched = new Map(attempts.filter((a) => mine.has(a.registration)).map((a) => [a.registration, a]));
      for (const s of statements) {
        const attempt = s.context?.registration ? touched.get(s.context.registration) : undefined;
        if (attempt) await applyStatement(s, attempt);
      }
      for (const attempt of touched.values()) {
        if (leftToCaller(statements.filter((s) => s.context?.registration === attempt.registration))) continue;
        try {
          await refresh((await repo.findAttempt(attempt.id)) ?? attempt);
        } catch (err) {
          deps.logger.warn({ err, attempt: attempt.id }, 'progress refresh failed');
        }
      }
    },
    /** Progress of the learner in the named modules, for the qualification component. */
    async progressFor(learnerId: string, moduleSlugs: string[]): Promise<ModuleProgress[]> {
      return progressOf(moduleSlugs, await repo.progressFor(learnerId, moduleSlugs));
    },
    /** The same for many learners in one query (rosters), by learner id. */
    async progressForLearners(learnerIds: string[], moduleSlugs: string[]): Promise<Map<string, ModuleProgress[]>> {
      const records = groupBy(await repo.progressOfLearners(learnerIds, moduleSlugs), (p) => p.learnerId, learnerIds);
      return new Map(learnerIds.map((id) => [id, progressOf(moduleSlugs, records.get(id) ?? [])]));
    },
  };
}
export type ProgressProjection = ReturnType<typeof createProgressProjection>;
