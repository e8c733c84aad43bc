import { MASTERY_EXT } from './statements.ts';

const MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const JUDGEMENTS = ['completed', 'passed', 'failed'];

/** What the session knows that the AU's statements must agree with. */
export interface SessionFacts {
  /** The AU's activity id the LMS launched it with (§8.1.5). */
  activityId: string;
  /** The mastery score handed over in LMS.LaunchData, when the course structure set one. */
  masteryScore?: number;
}

interface Result {
  success?: unknown;
  completion?: unknown;
  duration?: unknown;
  score?: { raw?: unknown; min?: unknown; max?: unknown };
}

/**
 * The statement rules of cmi5 §9 for one statement an AU sent with its session's credential, checked
 * on the statement as sent (before the LRS fills in id and timestamp). `verb` is the cmi5 verb's
 * name when the statement is "cmi5 defined" (it carries the cmi5 category), else undefined. Returns
 * why the statement must be refused, or undefined. The session's order (initialized first, nothing
 * after terminated, one judgement per session) is cmi5.ts's, which knows the session's state.
 */
export function cmi5StatementProblem(sent: Readonly<Record<string, unknown>>, verb: string | undefined, facts: SessionFacts): string | undefined {
  if (sent.id === undefined) return '9.1.0.0-1: statement without an id';
  if (typeof sent.timestamp !== 'string') return '9.7.0.0-1: statement without a timestamp';
  if (!/(?:Z|[+-]00:?00)$/i.test(sent.timestamp)) return '9.7.0.0-2: timestamp not in UTC';
  const context = (sent.context ?? {}) as { contextActivities?: { category?: Array<{ id?: unknown }> }; extensions?: Record<string, unknown> };
  const moveOnCategory = (context.contextActivities?.category ?? []).some((c) => c?.id === MOVEON_CATEGORY);
  const judgement = verb !== undefined && JUDGEMENTS.includes(verb);
  // 9.6.2.2-1 / -2: the moveOn category on completed, passed and failed, and only there
  if (judgement && !moveOnCategory) return `9.6.2.2-1: ${verb} without the moveOn category`;
  if (!judgement && moveOnCategory) return '9.6.2.2-2: moveOn category on a statement that is no completed, passed or failed';
  if (verb === undefined) return undefined;
  const object = sent.object as { id?: unknown } | undefined;
  // 8.1.5.0-6, 9.4.0.0-1: cmi5 defined statements are about the AU as launched
  if (object?.id !== facts.activityId) return '9.4.0.0-1: object is not the launched AU';
  const result = (sent.result ?? {}) as Result;
  if (judgement || verb === 'terminated') {
    // 9.5.4.1-1 … -4: terminated, completed, passed and failed state the session's duration
    if (typeof result.duration !== 'string') return `9.5.4.1: ${verb} without result.duration`;
  }
  if (verb === 'completed') {
    if (result.completion !== true) return '9.5.3.0-1: completed without result.completion true';
    if (result.success !== undefined) return '9.5.2.0-3: completed with result.success';
    if (result.score !== undefined) return '9.5.1.0-2: completed with a score';
  }
  if (verb === 'passed' || verb === 'failed') {
    if (result.completion !== undefined) return `9.5.3.0-2: ${verb} with result.completion`;
    if (result.success !== (verb === 'passed')) return `9.5.2.0-${verb === 'passed' ? 1 : 2}: ${verb} with result.success ${String(result.success)}`;
    const score = result.score;
    if (score && score.raw !== undefined && (score.min === undefined || score.max === undefined)) return '9.5.1.0-3: raw score without min and max';
    // 9.6.3.2-2 (d): a judgement on a score states the launch's mastery score, as given
    if (score && facts.masteryScore !== undefined && context.extensions?.[MASTERY_EXT] !== facts.masteryScore)
      return `9.6.3.2-2: ${verb} with a score but without the launch's masteryScore`;
  }
  return undefined;
}
