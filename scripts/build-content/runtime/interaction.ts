// What a learner answered in one quiz question or knowledge check, in the shape
// every tracking back end can write: SCORM's cmi.interactions.n (RTE 1.2
// §3.4.2.7 / 2004 RTE §4.2.9) and cmi5's "answered" statement (a "cmi5 allowed"
// statement, cmi5 §9.6.2; xAPI interaction activity, xAPI 1.0.3 §2.4.4.1.1).
// Pure data, no DOM, so the build tests check the formats in Node.
import type { RuntimeQuestion } from './page-data.ts';

export interface ChoiceInteraction {
  /** The question's id within its group (quiz pool id, or "check-n" of a lesson). */
  questionId: string;
  /** The test the question belongs to: "abschlusstest" or the lesson's id (cmi5: the object id's test part). */
  group: string;
  question: string;
  multiple: boolean;
  /** Choice ids are letters in the source order of the options: stable whatever order they were shown in. */
  choices: Array<{ id: string; text: string }>;
  correct: string[];
  response: string[];
  success: boolean;
  /** When the question was shown, and when it was answered (latency = the difference). */
  shownAt: Date;
  answeredAt: Date;
}

/** "a" for the first option in the source, "b" for the second, … (SCORM 1.2 choice responses are single characters). */
export const choiceId = (index: number): string => String.fromCharCode(97 + index);

/** The interaction for a selection (option indices in source order). */
export function choiceInteraction(
  group: string,
  question: RuntimeQuestion,
  selected: readonly number[],
  success: boolean,
  shownAt: Date,
  answeredAt: Date,
): ChoiceInteraction {
  return {
    questionId: question.id,
    group,
    question: question.question,
    multiple: question.type === 'multiple',
    choices: question.options.map((o, i) => ({ id: choiceId(i), text: o.text })),
    correct: question.options.flatMap((o, i) => (o.correct ? [choiceId(i)] : [])),
    response: [...selected].sort((a, b) => a - b).map(choiceId),
    success,
    shownAt,
    answeredAt,
  };
}

/** One id for the question across SCORM editions: unique within the module, no spaces. */
export const interactionId = (i: ChoiceInteraction): string => `${i.group}.${i.questionId}`;

const latencySeconds = (i: ChoiceInteraction): number => Math.max(0, (i.answeredAt.getTime() - i.shownAt.getTime()) / 1000);
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** SCORM 2004 timeinterval (second,10,2), RTE §4.1.1.3.4: "PT12.34S". */
export function timeInterval2004(seconds: number): string {
  return `PT${(Math.round(seconds * 100) / 100).toFixed(2)}S`;
}

/** SCORM 1.2 CMITimespan HHHH:MM:SS.SS (RTE 1.2 §3.4.1.1 "CMITimespan"). */
export function timespan12(seconds: number): string {
  const centis = Math.round(seconds * 100);
  const h = Math.floor(centis / 360000);
  const m = Math.floor((centis % 360000) / 6000);
  const s = (centis % 6000) / 100;
  return `${pad(h, 4)}:${pad(m)}:${s.toFixed(2).padStart(5, '0')}`;
}

/** SCORM 2004 time (second,10,0), e.g. 2026-12-01T11:45:30.12Z (RTE §4.1.1.3.3). */
export const time2004 = (at: Date): string => `${at.toISOString().slice(0, 22)}Z`;
/** SCORM 1.2 CMITime, the time of day HH:MM:SS (local, as the learner saw it). */
export const time12 = (at: Date): string => `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;

/** The cmi.interactions.n elements for SCORM 2004, in the order the RTE requires (id, then type before responses). */
export function scorm2004Interaction(n: number, i: ChoiceInteraction): Array<[string, string]> {
  const p = `cmi.interactions.${n}.`;
  return [
    [`${p}id`, interactionId(i)],
    [`${p}type`, 'choice'],
    [`${p}timestamp`, time2004(i.shownAt)],
    // localized_string_type (250): a leading "{" would be read as a language tag
    [`${p}description`, i.question.replace(/^\{/, '(').slice(0, 250)],
    [`${p}correct_responses.0.pattern`, i.correct.join('[,]')],
    [`${p}learner_response`, i.response.join('[,]')],
    [`${p}result`, i.success ? 'correct' : 'incorrect'],
    [`${p}latency`, timeInterval2004(latencySeconds(i))],
  ];
}

/** The cmi.interactions.n elements for SCORM 1.2 (no description there; "wrong", not "incorrect"). */
export function scorm12Interaction(n: number, i: ChoiceInteraction): Array<[string, string]> {
  const p = `cmi.interactions.${n}.`;
  return [
    [`${p}id`, interactionId(i)],
    [`${p}type`, 'choice'],
    [`${p}time`, time12(i.shownAt)],
    [`${p}correct_responses.0.pattern`, i.correct.join(',')],
    [`${p}student_response`, i.response.join(',')],
    [`${p}result`, i.success ? 'correct' : 'wrong'],
    [`${p}latency`, timespan12(latencySeconds(i))],
  ];
}
