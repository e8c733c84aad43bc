import type { StoredStatement } from '../lrs/types.ts';
import { VOIDED_VERB } from '../lrs/validation/validate-statement.ts';
import { distinct } from '../shared/batch.ts';
import { createKeyedQueue } from '../shared/keyed-queue.ts';
import type { InsightRepository } from './repository.ts';
import { factsOf, type RegistrationOwner } from './statement-facts.ts';

/** Player → insight: whose module each registration is (the attempts behind the registrations). */
export interface RegistrationsPort {
  ownersOf(registrations: string[]): Promise<RegistrationOwner[]>;
}

/**
 * When the module was done, and how often a judgement failed. Done is the first pass or waiver; a
 * completion counts only where nothing failed (a module without a test), so a completed but failed
 * module stays open, as the player's record says.
 */
export function judgementsOf(events: Array<{ kind: string; at: Date }>): { doneAt: Date | null; failedCount: number } {
  const first = (kinds: string[]) => {
    const times = events.filter((e) => kinds.includes(e.kind)).map((e) => e.at.getTime());
    return times.length ? new Date(Math.min(...times)) : null;
  };
  const failedCount = events.filter((e) => e.kind === 'failed').length;
  return { doneAt: first(['passed', 'waived']) ?? (failedCount ? null : first(['completed'])), failedCount };
}

/**
 * Keeps the insight projections up to date from the LRS's after-store hook (and a replay, which hands
 * over the same statements again). Records are keyed by statement id, activity dates only move
 * outwards, and the counts on the activity record are recounted from the events: delivering a
 * statement twice, or replaying everything, leaves every figure as it was.
 */
export function createInsightProjection(deps: { repo: InsightRepository; registrations: RegistrationsPort }) {
  const { repo } = deps;
  // hook calls run at the same time: the recounts of one learner's module one after the other, so
  // the last one reads every event written before it (across app instances a replay repairs a race)
  const recounts = createKeyedQueue();
  /** The owners of the statements' registrations (the LRS starts this beside its insert: prepare). */
  function ownersOf(statements: StoredStatement[]): Promise<RegistrationOwner[]> {
    const registrations = distinct(statements.flatMap((s) => (s.context?.registration ? [s.context.registration.toLowerCase()] : [])));
    return registrations.length ? deps.registrations.ownersOf(registrations) : Promise.resolve([]);
  }
  return {
    ownersOf,
    /** `prepared`: ownersOf for the whole request, read while it was stored (absent on a retry or in a replay). */
    async onStatementsStored(statements: StoredStatement[], prepared?: Promise<unknown>): Promise<void> {
      const found = prepared ? await (prepared as Promise<RegistrationOwner[]>).catch(() => ownersOf(statements)) : await ownersOf(statements);
      const owners = new Map(found.map((o) => [o.registration.toLowerCase(), o]));
      const facts = factsOf(statements, owners);
      await Promise.all([repo.putEvents(facts.events), repo.putAnswers(facts.answers), repo.putQuestions(facts.questions)]);
      for (const a of facts.attendance) await repo.putAttendance(a);
      for (const t of facts.touched.values()) await repo.touchActivity(t);
      // recount only where a judgement arrived: the counts come from the events, so they are idempotent
      const judged = new Map<string, { learnerId: string; moduleSlug: string }>(
        facts.events.filter((e) => e.moduleSlug && e.kind !== 'started' && e.kind !== 'resumed').map((e) => [`${e.learnerId}\u0000${e.moduleSlug}`, e]),
      );
      // voided statements no longer count (their events and answers go, the module is recounted)
      const voided = statements.flatMap((s) =>
        s.verb.id === VOIDED_VERB && s.object.objectType === 'StatementRef' ? [s.object.id, s.object.id.toLowerCase()] : [],
      );
      for (const e of await repo.removeVoided(distinct(voided))) judged.set(`${e.learnerId}\u0000${e.moduleSlug}`, e);
      for (const [key, e] of judged) {
        await recounts(key, async () =>
          repo.setActivityJudgements(e.learnerId, e.moduleSlug, judgementsOf(await repo.judgementEvents(e.learnerId, e.moduleSlug))),
        );
      }
    },
  };
}
export type InsightProjection = ReturnType<typeof createInsightProjection>;
