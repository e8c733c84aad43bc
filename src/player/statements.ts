import { createHash } from 'node:crypto';
import type { Activity, Agent, Context, Result, Statement } from '../lrs/types.ts';
import { toIsoDuration } from './cmi-time.ts';

/**
 * The statements the player writes. SCORM sessions follow ADL's "Experience API SCORM Profile"
 * (https://github.com/adlnet/xAPI-SCORM-Profile/blob/master/xapi-scorm-profile.md, §4–6): the SCO
 * is the object (activity type lesson), the attempt is the registration, the course goes into
 * contextActivities.grouping and the profile into category. cmi5 statements of the LMS follow the cmi5
 * specification §9 (launched, satisfied, abandoned, waived).
 */
export const VERB = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  resumed: 'http://adlnet.gov/expapi/verbs/resumed',
  suspended: 'http://adlnet.gov/expapi/verbs/suspended',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
} as const;
export type VerbName = keyof typeof VERB;
export const verbName = (id: string): VerbName | undefined => (Object.keys(VERB) as VerbName[]).find((k) => VERB[k] === id);

export const SCORM_PROFILE = 'https://w3id.org/xapi/scorm';
export const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
export const CMI5_MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
export const SESSION_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
export const MASTERY_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
export const REASON_EXT = 'https://w3id.org/xapi/cmi5/result/extensions/reason';

/** A UUID (version 5 layout) derived from the parts: the same event always gets the same statement id. */
export function stableUuid(...parts: Array<string | number>): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const display = (name: string) => ({ 'en-US': name, 'de-DE': name });

export interface SessionFrame {
  actor: Agent;
  registration: string;
  sessionId: string;
  course: Activity;
  item: Activity;
  attemptNumber: number;
  /** SCORM: the clusters of the activity tree above the SCO, outermost first (not the root, which is the course). */
  clusters?: Activity[];
}

/**
 * The SCORM profile's context: the course in grouping; the SCO's place in the activity tree as its
 * parent (the cluster it sits in) and the outer clusters in grouping too.
 */
function scormContext(f: SessionFrame, parent?: Activity): Context {
  const clusters = f.clusters ?? [];
  const own = parent ?? clusters.at(-1);
  return {
    registration: f.registration,
    contextActivities: {
      ...(own ? { parent: [own] } : {}),
      grouping: [f.course, ...(parent ? clusters : clusters.slice(0, -1))],
      category: [{ id: SCORM_PROFILE, definition: { type: 'http://adlnet.gov/expapi/activities/profile' } }],
    },
    extensions: { [SESSION_EXT]: f.sessionId },
  };
}

/** One statement of a SCORM session about the SCO. */
export function scormStatement(f: SessionFrame, verb: VerbName, key: string, at: Date, result?: Result): Statement {
  return {
    id: stableUuid(f.sessionId, verb, key),
    actor: f.actor,
    verb: { id: VERB[verb], display: display(verb) },
    object: f.item,
    ...(result ? { result } : {}),
    context: scormContext(f),
    timestamp: at.toISOString(),
  };
}

const INTERACTION_TYPES = new Set(['true-false', 'choice', 'fill-in', 'long-fill-in', 'matching', 'performance', 'sequencing', 'likert', 'numeric', 'other']);

/** "answered" for one interaction (profile §6: cmi.interactions.n → cmi.interaction activity). */
export function answeredStatement(
  f: SessionFrame,
  index: number,
  i: { id: string; type: string; response: string; result: string; correct: string[]; description: string; latencySeconds: number },
  at: Date,
): Statement {
  const result: Result = { response: i.response, ...(i.latencySeconds > 0 ? { duration: toIsoDuration(i.latencySeconds) } : {}) };
  if (i.result === 'correct') result.success = true;
  if (i.result === 'wrong' || i.result === 'incorrect') result.success = false;
  return {
    id: stableUuid(f.sessionId, 'answered', index, i.id),
    actor: f.actor,
    verb: { id: VERB.answered, display: display('answered') },
    object: {
      objectType: 'Activity',
      id: `${f.item.id}/interactions/${encodeURIComponent(i.id)}`,
      definition: {
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: INTERACTION_TYPES.has(i.type) ? i.type : 'other',
        ...(i.description ? { description: { 'de-DE': i.description } } : {}),
        ...(i.correct.length ? { correctResponsesPattern: i.correct } : {}),
      },
    },
    result,
    context: scormContext(f, f.item),
    timestamp: at.toISOString(),
  };
}

export const durationResult = (seconds: number): Result => ({ duration: toIsoDuration(seconds) });

/** A cmi5 statement the LMS writes (§9.3 launched, §9.3.9 satisfied, abandoned, waived). */
export function cmi5LmsStatement(
  f: Omit<SessionFrame, 'attemptNumber' | 'course'>,
  verb: 'launched' | 'satisfied' | 'abandoned' | 'waived',
  at: Date,
  extra: { result?: Result; contextExtensions?: Record<string, unknown>; moveOn?: boolean; key?: string; grouping?: string } = {},
): Statement {
  return {
    id: stableUuid(f.sessionId, verb, f.item.id, extra.key ?? ''),
    actor: f.actor,
    verb: { id: VERB[verb], display: { 'en-US': verb } },
    object: f.item,
    ...(extra.result ? { result: extra.result } : {}),
    context: {
      registration: f.registration,
      contextActivities: {
        category: [{ id: CMI5_CATEGORY }, ...(extra.moveOn ? [{ id: CMI5_MOVEON_CATEGORY }] : [])],
        ...(extra.grouping ? { grouping: [{ objectType: 'Activity' as const, id: extra.grouping }] } : {}),
      },
      extensions: { [SESSION_EXT]: f.sessionId, ...extra.contextExtensions },
    },
    timestamp: at.toISOString(),
  };
}
