import { createHash } from 'node:crypto';
import type { Activity, LanguageMap, StoredStatement } from '../lrs/types.ts';
import { PLATFORM_VERBS } from '../shared/platform-statements.ts';
import type { AnswerDoc, AttendanceMarkDoc, EventDoc, EventKind, QuestionDoc } from './model.ts';

/** Whose module a registration is: the player's attempt behind it (previews count for nobody). */
export interface RegistrationOwner {
  registration: string;
  learnerId: string;
  moduleSlug: string;
  preview?: boolean;
}

/** Verbs the timeline tells (ADL verbs, cmi5 §9.3); anything else only moves "last activity". */
const VERB_KIND: Record<string, EventKind> = {
  'http://adlnet.gov/expapi/verbs/initialized': 'started',
  'http://adlnet.gov/expapi/verbs/resumed': 'resumed',
  'http://adlnet.gov/expapi/verbs/completed': 'completed',
  'http://adlnet.gov/expapi/verbs/passed': 'passed',
  'http://adlnet.gov/expapi/verbs/failed': 'failed',
  'https://w3id.org/xapi/adl/verbs/waived': 'waived',
};
export const ANSWERED_VERB = 'http://adlnet.gov/expapi/verbs/answered';
/** The qualification's attendance statements (src/qualification/attendance.ts): verb and the mark's extension. */
export const ATTENDED_VERB = PLATFORM_VERBS.attended.id;
const ATTENDANCE_STATUS_EXTENSION = 'https://gezu-lotse.de/xapi/extensions/attendance-status';
const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

/** German first, then any language the package gave. */
export const germanText = (m: LanguageMap | undefined): string => (m ? (m['de-DE'] ?? m.de ?? Object.values(m)[0] ?? '') : '');
export const questionKeyOf = (activityId: string): string => createHash('sha1').update(activityId).digest('hex');

/** Everything the projections learn from one batch of statements, before it is written. */
export interface Facts {
  events: EventDoc[];
  answers: AnswerDoc[];
  questions: QuestionDoc[];
  attendance: AttendanceMarkDoc[];
  /** Per learner and module: the earliest and latest statement of the batch. */
  touched: Map<string, { learnerId: string; moduleSlug: string; firstAt: Date; lastAt: Date }>;
}

const scorePercentOf = (s: StoredStatement): number | null => {
  const scaled = s.result?.score?.scaled;
  return typeof scaled === 'number' ? Math.round(scaled * 100) : null;
};

/**
 * Sorts statements into facts. Module statements are recognised by their registration (the player's
 * attempts: SCORM, xAPI and cmi5 alike, whatever IRIs the package uses); attendance by its verb and
 * the account of the learner. Statements of unknown registrations, previews and voiding statements
 * are left out (a voided statement stays counted: the LRS voids only on request, which nobody does here).
 */
export function factsOf(statements: StoredStatement[], owners: Map<string, RegistrationOwner>): Facts {
  const facts: Facts = { events: [], answers: [], questions: [], attendance: [], touched: new Map() };
  const seenQuestions = new Set<string>();
  for (const s of statements) {
    if (s.verb.id === VOIDED_VERB) continue;
    const at = new Date(s.timestamp);
    if (s.verb.id === ATTENDED_VERB) {
      const learnerId = s.actor.account?.name;
      const activityId = (s.object as Activity).id ?? '';
      const sessionId = activityId.split('/').at(-1) ?? '';
      const status = s.result?.extensions?.[ATTENDANCE_STATUS_EXTENSION];
      if (!learnerId || !sessionId || (status !== 'attended' && status !== 'absent' && status !== 'excused')) continue;
      facts.attendance.push({ sessionId, learnerId, status, at });
      facts.events.push({
        _id: s.id,
        learnerId,
        moduleSlug: '',
        kind: status,
        objectName: germanText((s.object as Activity).definition?.name),
        scorePercent: null,
        sessionId,
        at,
      });
      continue;
    }
    const owner = s.context?.registration ? owners.get(s.context.registration.toLowerCase()) : undefined;
    if (!owner || owner.preview || s.actor.account?.name !== owner.learnerId) continue;
    const { learnerId, moduleSlug } = owner;
    const key = `${learnerId}\u0000${moduleSlug}`;
    const t = facts.touched.get(key);
    if (!t) facts.touched.set(key, { learnerId, moduleSlug, firstAt: at, lastAt: at });
    else {
      if (at < t.firstAt) t.firstAt = at;
      if (at > t.lastAt) t.lastAt = at;
    }
    const object = s.object as Activity;
    if (s.verb.id === ANSWERED_VERB && object.id) {
      const questionKey = questionKeyOf(object.id);
      const success = typeof s.result?.success === 'boolean' ? s.result.success : null;
      facts.answers.push({ _id: s.id, learnerId, moduleSlug, questionKey, success, response: String(s.result?.response ?? ''), at });
      if (!seenQuestions.has(questionKey)) {
        seenQuestions.add(questionKey);
        const d = object.definition ?? {};
        facts.questions.push({
          _id: questionKey,
          activityId: object.id,
          moduleSlug,
          text: germanText(d.description) || germanText(d.name),
          interactionType: d.interactionType ?? 'other',
          correct: d.correctResponsesPattern ?? [],
          choicesJson: JSON.stringify((d.choices ?? []).map((c) => ({ id: c.id, text: germanText(c.description) }))),
          firstSeenAt: at,
        });
      }
      continue;
    }
    const kind = VERB_KIND[s.verb.id];
    if (kind)
      facts.events.push({
        _id: s.id,
        learnerId,
        moduleSlug,
        kind,
        objectName: germanText(object.definition?.name),
        scorePercent: kind === 'passed' || kind === 'failed' ? scorePercentOf(s) : null,
        sessionId: '',
        at,
      });
  }
  return facts;
}
