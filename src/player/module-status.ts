import type { ItemSettings } from './launchable-settings.ts';
import type { Success } from './model.ts';
import type { ModuleStatus } from './ports.ts';
import type { ItemProgress } from './rollup.ts';

/**
 * The one place that decides what an attempt has achieved and what the learner's module record says.
 * The progress record (src/player/progress.ts) stores this result; the dashboard, /path, rosters and
 * the certificate's criteria read that record and nothing else (docs/standards.md "Module status").
 */

/** What an attempt has achieved, as stored on the attempt. */
export interface AttemptOutcome {
  completion: boolean;
  success: Success;
  /** The module's own criterion is met (cmi5: the LMS issued the course "satisfied"). */
  satisfied: boolean;
  scoreScaled: number | null;
}

export interface OutcomeInput {
  format: string;
  /** The version's launchables (SCOs, AUs, activities) with their settings. */
  items: ItemSettings[];
  /** The attempt's tracked item states (items never launched have none). */
  states: ItemProgress[];
  /** cmi5: the LMS has issued the course "satisfied" for this registration (src/player/cmi5.ts marks it). */
  courseSatisfied?: boolean;
  /** SCORM 2004 with a sequencing state: the root activity's rollup the sequencer stored on the attempt. */
  root?: AttemptOutcome;
}

const mean = (ns: number[]): number | null => (ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : null);

/**
 * An attempt's outcome by its format's own rule; it never claims more than the attempt's own data:
 * - SCORM 1.2 (RTE 3.4.4 cmi.core.lesson_status, with adlcp:masteryscore already applied to it by
 *   scorm-rules.ts): every SCO counts; completed when every SCO is completed or passed; failed when a
 *   judged SCO failed; passed only when every SCO is done and judged ones passed, so never while an
 *   SCO is not attempted. SCORM 2004 without sequencing state yet follows the same rule.
 * - SCORM 2004 (SN 4.6 rollup): the root activity's rollup from the sequencing engine, as stored.
 * - cmi5 (§9.3.9, §11.1 moveOn): satisfied only once the LMS issued the course "satisfied" (every AU
 *   and block by its moveOn; waived counts, abandoned does not); before that the module is neither
 *   completed nor passed. Satisfied is passed when the AUs that were judged passed, else completed.
 * - xAPI (tincan.xml): the launched activities' completed / passed / failed for the registration.
 */
export function attemptOutcome(input: OutcomeInput): AttemptOutcome {
  const { format, items, states } = input;
  if (format === 'scorm2004' && input.root) return input.root;
  const byId = new Map(states.map((s) => [s.itemId, s]));
  const list = items.map((i) => byId.get(i.id));
  const scoreScaled = mean(list.map((s) => s?.scoreScaled).filter((n): n is number => typeof n === 'number'));
  const judged = list.filter((s): s is ItemProgress => Boolean(s && !s.waived && s.success !== 'unknown'));
  const anyFailed = judged.some((s) => s.success === 'failed');
  if (format === 'cmi5') {
    const satisfied = Boolean(input.courseSatisfied);
    const success: Success = satisfied ? (judged.length > 0 && !anyFailed ? 'passed' : 'unknown') : anyFailed ? 'failed' : 'unknown';
    return { completion: satisfied, success, satisfied, scoreScaled };
  }
  // a SCORM 1.2 "passed" is a completion too (lesson_status), an xAPI activity may report passed alone;
  // SCORM 2004 keeps completion and success apart (RTE 4.2.4, 4.2.22)
  const done = (s: ItemProgress | undefined) => Boolean(s && (s.completion || s.waived || (format !== 'scorm2004' && s.success === 'passed')));
  const completion = items.length > 0 && list.every(done);
  const success: Success = anyFailed ? 'failed' : completion && judged.length > 0 ? 'passed' : 'unknown';
  return { completion, success, satisfied: completion && !anyFailed, scoreScaled };
}

/** The status an attempt's outcome shows. */
export function attemptStatus(a: Pick<AttemptOutcome, 'success' | 'completion' | 'satisfied'>): ModuleStatus {
  if (a.success === 'passed') return 'passed';
  if (a.success === 'failed') return 'failed';
  return a.completion || a.satisfied ? 'completed' : 'in-progress';
}

const RANK: Record<ModuleStatus, number> = { passed: 3, completed: 2, failed: 1, 'in-progress': 0, 'not-attempted': 0 };

/**
 * From a learner's attempts (oldest first) to the module's record: the best achievement counts and a
 * later partial attempt never lowers it (a passed module stays passed while a new attempt runs); a
 * module passed after a failed attempt is passed by the attempt that passed it. Without any completed
 * or passed attempt the newest attempt shows where the learner stands. The score shown is that of the
 * attempt that decides the status (the newest of the best), never a maximum across attempts.
 */
export function moduleRecord<A extends Pick<AttemptOutcome, 'success' | 'completion' | 'satisfied' | 'scoreScaled'>>(
  attempts: A[],
): { status: ModuleStatus; deciding: A | undefined } {
  if (!attempts.length) return { status: 'not-attempted', deciding: undefined };
  let best: A | undefined;
  for (const a of attempts) {
    const rank = RANK[attemptStatus(a)];
    if (rank >= RANK.completed && (!best || rank >= RANK[attemptStatus(best)])) best = a;
  }
  const deciding = best ?? attempts.at(-1)!;
  return { status: attemptStatus(deciding), deciding };
}
