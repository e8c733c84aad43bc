import { Schema, type Connection } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

/**
 * The insight component's projections. Each is kept up to date from stored statements (projection.ts)
 * and rebuilt by a replay: every write sets values keyed by the statement id or raises a maximum, so a
 * statement delivered twice changes nothing. Pages read these, never the statements collection.
 */

/** What a learner did, as the timeline shows it: one record per statement that says something to people. */
export interface EventDoc {
  /** The statement id: a second delivery lands on the same record. */
  _id: string;
  learnerId: string;
  /** '' for events outside a module (Q2 attendance). */
  moduleSlug: string;
  kind: EventKind;
  /** The title of the lesson, test or session in the statement's activity definition. */
  objectName: string;
  scorePercent: number | null;
  sessionId: string;
  at: Date;
}
export type EventKind = 'started' | 'resumed' | 'completed' | 'passed' | 'failed' | 'waived' | 'attended' | 'absent' | 'excused';

/** One learner in one module: first and last statement, first completion or pass, failed judgements. */
export interface ModuleActivityDoc {
  learnerId: string;
  moduleSlug: string;
  firstAt: Date;
  lastAt: Date;
  doneAt: Date | null;
  failedCount: number;
}

/** One answer to one question (an "answered" statement): the question statistics count these. */
export interface AnswerDoc {
  _id: string;
  learnerId: string;
  moduleSlug: string;
  questionKey: string;
  /** null where the package did not judge the answer. */
  success: boolean | null;
  response: string;
  at: Date;
}

/** A question as the packages describe it (interaction activity definition, xAPI 1.0.3 §2.4.4.1.1). */
export interface QuestionDoc {
  /** sha1 of the activity id: ids are IRIs, and the key must be short and free of dots. */
  _id: string;
  activityId: string;
  moduleSlug: string;
  text: string;
  interactionType: string;
  correct: string[];
  /** The choices as JSON ([{id, text}]): their ids are the package's, kept out of object keys. */
  choicesJson: string;
  firstSeenAt: Date;
}

/** The latest attendance mark per learner and Q2 session (a later mark replaces an earlier one). */
export interface AttendanceMarkDoc {
  sessionId: string;
  learnerId: string;
  status: 'attended' | 'absent' | 'excused';
  at: Date;
}

/** A trainer who does not want the weekly digest. */
export interface DigestOptOutDoc {
  _id: string;
  at: Date;
}

const eventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    learnerId: { type: String, required: true },
    moduleSlug: { type: String, default: '' },
    kind: { type: String, required: true },
    objectName: { type: String, default: '' },
    scorePercent: { type: Number, default: null },
    sessionId: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { collection: 'insight_events', versionKey: false },
);
// the timeline pages by learner (optionally one module), newest first; the activity recount reads one learner's module
eventSchema.index({ learnerId: 1, at: -1 });
eventSchema.index({ learnerId: 1, moduleSlug: 1, at: -1 });

const activitySchema = new Schema<ModuleActivityDoc>(
  {
    learnerId: { type: String, required: true },
    moduleSlug: { type: String, required: true },
    firstAt: { type: Date, required: true },
    lastAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
    failedCount: { type: Number, default: 0 },
  },
  { collection: 'insight_module_activity', versionKey: false },
);
activitySchema.index({ learnerId: 1, moduleSlug: 1 }, { unique: true });

const answerSchema = new Schema<AnswerDoc>(
  {
    _id: { type: String, required: true },
    learnerId: { type: String, required: true },
    moduleSlug: { type: String, required: true },
    questionKey: { type: String, required: true },
    success: { type: Boolean, default: null },
    response: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { collection: 'insight_answers', versionKey: false },
);
// the question view reads the answers of a cohort's members
answerSchema.index({ learnerId: 1 });

const questionSchema = new Schema<QuestionDoc>(
  {
    _id: { type: String, required: true },
    activityId: { type: String, required: true },
    moduleSlug: { type: String, required: true },
    text: { type: String, default: '' },
    interactionType: { type: String, default: 'other' },
    correct: { type: [String], default: [] },
    choicesJson: { type: String, default: '[]' },
    firstSeenAt: { type: Date, required: true },
  },
  { collection: 'insight_questions', versionKey: false },
);

const attendanceSchema = new Schema<AttendanceMarkDoc>(
  {
    sessionId: { type: String, required: true },
    learnerId: { type: String, required: true },
    status: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'insight_attendance', versionKey: false },
);
attendanceSchema.index({ sessionId: 1, learnerId: 1 }, { unique: true });

const optOutSchema = new Schema<DigestOptOutDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'insight_digest_opt_outs', versionKey: false },
);

export function insightModels(connection: Connection) {
  return {
    Event: defineModel(connection, 'InsightEvent', eventSchema),
    Activity: defineModel(connection, 'InsightModuleActivity', activitySchema),
    Answer: defineModel(connection, 'InsightAnswer', answerSchema),
    Question: defineModel(connection, 'InsightQuestion', questionSchema),
    Attendance: defineModel(connection, 'InsightAttendance', attendanceSchema),
    OptOut: defineModel(connection, 'InsightDigestOptOut', optOutSchema),
  };
}
