import { parseDurationSeconds, toIsoDuration, toScorm12Time } from './cmi-time.ts';
import type { ItemSettings } from './launchable-settings.ts';
import type { CmiPair, Success } from './model.ts';

export type ScormFormat = 'scorm12' | 'scorm2004';
export type CmiMap = Record<string, string>;

export const toMap = (pairs: CmiPair[]): CmiMap => Object.fromEntries(pairs.map((p) => [p.k, p.v]));
export const toPairs = (map: CmiMap): CmiPair[] =>
  Object.entries(map)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => ({ k, v }));

/** Elements the LMS owns: what the SCO sends for them is ignored and the LMS's value kept or computed. */
const LMS_OWNED: Record<ScormFormat, RegExp> = {
  scorm12: /^cmi\.(core\.(student_id|student_name|credit|entry|total_time|lesson_mode)|launch_data|comments_from_lms|student_data\.)/,
  scorm2004:
    /^cmi\.(learner_id|learner_name|credit|entry|total_time|mode|launch_data|completion_threshold|scaled_passing_score|max_time_allowed|time_limit_action|comments_from_lms\.)/,
};
/**
 * Per-session elements: stored for the rules, never preloaded. SCORM 1.2's interactions are
 * write-only but preloaded: a resumed SCO appends at cmi.interactions._count (RTE 3.4.4) instead
 * of overwriting the earlier answers.
 */
const NOT_PRELOADED: Record<ScormFormat, RegExp> = {
  scorm12: /^cmi\.core\.(exit|session_time)/,
  scorm2004: /^(cmi\.(exit|session_time)|adl\.)/,
};
const META = /(^|\.)_(count|children|version)$/;

const K = {
  scorm12: {
    status: 'cmi.core.lesson_status',
    exit: 'cmi.core.exit',
    session: 'cmi.core.session_time',
    total: 'cmi.core.total_time',
    location: 'cmi.core.lesson_location',
    raw: 'cmi.core.score.raw',
    max: 'cmi.core.score.max',
    min: 'cmi.core.score.min',
  },
  scorm2004: {
    status: 'cmi.completion_status',
    exit: 'cmi.exit',
    session: 'cmi.session_time',
    total: 'cmi.total_time',
    location: 'cmi.location',
    raw: 'cmi.score.raw',
    max: 'cmi.score.max',
    min: 'cmi.score.min',
  },
} as const;

/** What the tracked item is, derived from its CMI data. */
export interface DerivedState {
  completion: boolean;
  success: Success;
  scoreScaled: number | null;
  exit: string;
  suspended: boolean;
  location: string;
  interactions: number;
  sessionSeconds: number;
  totalSeconds: number;
}

const numberOr = (v: string | undefined): number | undefined => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** Reads the tracked state out of stored CMI data (after the rules of applyCommitRules ran). */
export function deriveState(format: ScormFormat, map: CmiMap): DerivedState {
  const k = K[format];
  const exit = map[k.exit] ?? '';
  let completion: boolean;
  let success: Success = 'unknown';
  let scoreScaled: number | null = null;
  if (format === 'scorm12') {
    const status = map[k.status] ?? 'not attempted';
    completion = status === 'completed' || status === 'passed';
    if (status === 'passed') success = 'passed';
    if (status === 'failed') success = 'failed';
    const raw = numberOr(map[k.raw]);
    if (raw !== undefined) {
      const max = numberOr(map[k.max]) ?? 100;
      const min = numberOr(map[k.min]) ?? 0;
      scoreScaled = max > min ? Math.max(0, Math.min(1, (raw - min) / (max - min))) : null;
    }
  } else {
    completion = map['cmi.completion_status'] === 'completed';
    const s = map['cmi.success_status'];
    if (s === 'passed' || s === 'failed') success = s;
    const scaled = numberOr(map['cmi.score.scaled']);
    scoreScaled = scaled ?? null;
  }
  let interactions = 0;
  for (const key of Object.keys(map)) {
    const m = /^cmi\.interactions\.(\d+)\.id$/.exec(key);
    if (m) interactions = Math.max(interactions, Number(m[1]) + 1);
  }
  return {
    completion,
    success,
    scoreScaled,
    exit,
    suspended: exit === 'suspend',
    location: map[k.location] ?? '',
    interactions,
    sessionSeconds: parseDurationSeconds(map[k.session]),
    totalSeconds: parseDurationSeconds(map[k.total]),
  };
}

/**
 * Applies the LMS's rules to a commit and returns the CMI data to store:
 * - total_time = total before this launch + this session's session_time (1.2 RTE §3.4.4 cmi.core.total_time,
 *   2004 RTE 4.2.26): computed here, whatever the SCO or the client library sent;
 * - 1.2: with adlcp:masteryscore and a score.raw the LMS sets passed / failed (1.2 RTE §3.4.4
 *   cmi.core.lesson_status); a status left at "not attempted" at LMSFinish becomes "completed";
 * - 2004: completion_threshold with progress_measure decides completion_status (RTE 4.2.4.1), and
 *   scaled_passing_score with score.scaled decides success_status (RTE 4.2.22);
 * - elements the LMS owns keep the LMS's values.
 */
export function applyCommitRules(
  format: ScormFormat,
  previous: CmiMap,
  incoming: CmiMap,
  settings: ItemSettings,
  baseTotalSeconds: number,
  terminate: boolean,
): CmiMap {
  const k = K[format];
  const out: CmiMap = {};
  for (const [key, value] of Object.entries(previous)) if (LMS_OWNED[format].test(key)) out[key] = value;
  for (const [key, raw] of Object.entries(incoming)) {
    if (META.test(key) || LMS_OWNED[format].test(key) || !/^(cmi|adl)\./.test(key)) continue;
    if (raw === null || raw === undefined || typeof raw === 'object') continue;
    out[key] = String(raw);
  }
  const session = parseDurationSeconds(out[k.session]);
  out[k.total] = format === 'scorm12' ? toScorm12Time(baseTotalSeconds + session) : toIsoDuration(baseTotalSeconds + session);

  if (format === 'scorm12') {
    const mastery = settings.masteryScore;
    const raw = numberOr(out[k.raw]);
    const status = out[k.status] ?? 'not attempted';
    if (mastery !== undefined && raw !== undefined && status !== 'not attempted' && status !== 'browsed') {
      out[k.status] = raw >= mastery ? 'passed' : 'failed';
    } else if (terminate && status === 'not attempted') {
      out[k.status] = 'completed';
    }
  } else {
    const threshold = settings.completionThreshold;
    const progress = numberOr(out['cmi.progress_measure']);
    if (threshold !== undefined) {
      out['cmi.completion_status'] =
        progress === undefined ? (out['cmi.completion_status'] === 'completed' ? 'completed' : 'unknown') : progress >= threshold ? 'completed' : 'incomplete';
    }
    const passing = settings.scaledPassingScore;
    if (passing !== undefined) {
      const scaled = numberOr(out['cmi.score.scaled']);
      out['cmi.success_status'] = scaled === undefined ? 'unknown' : scaled >= passing ? 'passed' : 'failed';
    }
  }
  return out;
}

/** The flattened CMI data scorm-again preloads with loadFromFlattenedJSON before Initialize. */
export function launchData(
  format: ScormFormat,
  stored: CmiMap,
  opts: { learnerId: string; learnerName: string; settings: ItemSettings; resume: boolean; fresh: boolean; baseTotalSeconds: number },
): CmiMap {
  const out: CmiMap = {};
  for (const [key, value] of Object.entries(stored)) {
    if (NOT_PRELOADED[format].test(key) || LMS_OWNED[format].test(key)) continue;
    out[key] = value;
  }
  const { settings } = opts;
  if (format === 'scorm12') {
    out['cmi.core.student_id'] = opts.learnerId;
    out['cmi.core.student_name'] = opts.learnerName;
    out['cmi.core.credit'] = 'credit';
    out['cmi.core.lesson_mode'] = 'normal';
    // 1.2 RTE §3.4.4 cmi.core.entry: "resume" after exit=suspend, "ab-initio" on first entry, else ""
    out['cmi.core.entry'] = opts.resume ? 'resume' : opts.fresh ? 'ab-initio' : '';
    out['cmi.core.total_time'] = toScorm12Time(opts.baseTotalSeconds);
    if (settings.dataFromLms) out['cmi.launch_data'] = settings.dataFromLms;
    if (settings.masteryScore !== undefined) out['cmi.student_data.mastery_score'] = String(settings.masteryScore);
    out['cmi.core.lesson_status'] ??= 'not attempted';
  } else {
    out['cmi.learner_id'] = opts.learnerId;
    out['cmi.learner_name'] = opts.learnerName;
    out['cmi.credit'] = 'credit';
    out['cmi.mode'] = 'normal';
    out['cmi.entry'] = opts.resume ? 'resume' : opts.fresh ? 'ab-initio' : '';
    out['cmi.total_time'] = toIsoDuration(opts.baseTotalSeconds);
    if (settings.dataFromLms) out['cmi.launch_data'] = settings.dataFromLms;
    if (settings.completionThreshold !== undefined) out['cmi.completion_threshold'] = String(settings.completionThreshold);
    if (settings.scaledPassingScore !== undefined) out['cmi.scaled_passing_score'] = String(settings.scaledPassingScore);
  }
  return out;
}

/**
 * SCORM 1.2 writes response lists with commas ("a,b", matching "1.a,2.b", true-false "t") where xAPI
 * (Data 2.4.4.1.4.1, like SCORM 2004 RTE 4.2.9.1) uses "[,]" and "[.]": the "answered" statement
 * gets xAPI's syntax. SCORM 2004 values already are.
 */
function xapiResponse(format: ScormFormat, type: string, value: string): string {
  if (format !== 'scorm12') return value;
  const items = () =>
    value
      .replace(/^\{|\}$/g, '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  switch (type) {
    case 'choice':
    case 'sequencing':
      return items().join('[,]');
    case 'matching':
      return items()
        .map((pair) => pair.split('.').join('[.]'))
        .join('[,]');
    case 'true-false':
      return /^(t|1|true)$/i.test(value) ? 'true' : /^(f|0|false)$/i.test(value) ? 'false' : value;
    default:
      return value;
  }
}

/** One interaction of the CMI data, for the "answered" statement (with xAPI's response syntax). */
export function interactionAt(
  format: ScormFormat,
  map: CmiMap,
  index: number,
): { id: string; type: string; response: string; result: string; correct: string[]; description: string; latencySeconds: number } {
  const p = `cmi.interactions.${index}.`;
  const type = map[`${p}type`] ?? 'other';
  const correct: string[] = [];
  for (let i = 0; map[`${p}correct_responses.${i}.pattern`] !== undefined; i++)
    correct.push(xapiResponse(format, type, map[`${p}correct_responses.${i}.pattern`]!));
  return {
    id: map[`${p}id`] ?? `interaction-${index}`,
    type,
    response: xapiResponse(format, type, map[`${p}student_response`] ?? map[`${p}learner_response`] ?? ''),
    result: map[`${p}result`] ?? '',
    correct,
    description: map[`${p}description`] ?? '',
    latencySeconds: parseDurationSeconds(map[`${p}latency`]),
  };
}
