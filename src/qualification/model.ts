import { Schema, type Connection } from 'mongoose';
import { defineModel } from '../db/define-model.ts';
import type { PrerequisiteState } from './ports.ts';

/** The admin-editable definition of the qualification; one document with _id "current". */
export interface RequirementsDoc {
  _id: string;
  q1Modules: string[];
  q2Topics: Array<{ key: string; title: string; requiresQ1: boolean }>;
  updatedBy: string;
  updatedAt: Date;
}
const requirementsSchema = new Schema<RequirementsDoc>(
  {
    _id: { type: String, required: true },
    q1Modules: { type: [String], default: [] },
    q2Topics: { type: [{ _id: false, key: String, title: String, requiresQ1: Boolean }], default: [] },
    updatedBy: { type: String, default: '' },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'qualification_requirements' },
);

/** One prerequisite (authorisation or workshop) with its evidence and the decision on it. */
export interface PrerequisiteItem {
  state: PrerequisiteState;
  number?: string;
  partner?: string;
  place?: string;
  date?: Date;
  evidenceFileId?: string;
  evidenceName?: string;
  evidenceType?: string;
  decidedBy?: string;
  decidedAt?: Date;
  reason?: string;
  /** 'learner' (entered by the learner) or 'import' (a partner's CSV, verified on import). */
  source?: string;
  importId?: string;
  updatedAt?: Date;
}
const itemFields = {
  state: { type: String, enum: ['missing', 'pending', 'verified', 'rejected'], default: 'missing' },
  number: String,
  partner: String,
  place: String,
  date: Date,
  evidenceFileId: String,
  evidenceName: String,
  evidenceType: String,
  decidedBy: String,
  decidedAt: Date,
  reason: String,
  source: String,
  importId: String,
  updatedAt: Date,
};

export interface PrerequisitesDoc {
  learnerId: string;
  authorisation: PrerequisiteItem;
  workshop: PrerequisiteItem;
}
const prerequisitesSchema = new Schema<PrerequisitesDoc>(
  {
    // the key of every upsert (learner form, verification, CSV import): a retry writes the same document
    learnerId: { type: String, required: true, unique: true },
    authorisation: { type: new Schema(itemFields, { _id: false }), default: () => ({ state: 'missing' }) },
    workshop: { type: new Schema(itemFields, { _id: false }), default: () => ({ state: 'missing' }) },
  },
  { collection: 'qualification_prerequisites' },
);
prerequisitesSchema.index({ 'authorisation.state': 1 });
prerequisitesSchema.index({ 'workshop.state': 1 });

/** An uploaded CSV of verified authorisations, kept between preview and import. */
export interface ImportDoc {
  _id: import('mongoose').Types.ObjectId;
  csv: string;
  fileName: string;
  createdBy: string;
  createdAt: Date;
  committedAt?: Date;
  committedRows?: number;
}
const importSchema = new Schema<ImportDoc>(
  {
    csv: { type: String, required: true },
    fileName: { type: String, default: '' },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true, index: true },
    committedAt: Date,
    committedRows: Number,
  },
  { collection: 'qualification_imports' },
);

/** A "Durchgang": learners and sessions that go through Q2 together, with their trainers. */
export interface CohortDoc {
  _id: import('mongoose').Types.ObjectId;
  name: string;
  region: string;
  trainerIds: string[];
  learnerIds: string[];
  createdAt: Date;
}
const cohortSchema = new Schema<CohortDoc>(
  {
    name: { type: String, required: true },
    region: { type: String, default: '' },
    trainerIds: { type: [String], default: [], index: true },
    learnerIds: { type: [String], default: [], index: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'qualification_cohorts' },
);
cohortSchema.index({ createdAt: -1 });

/** A Q2 live session (on site or virtual). */
export interface SessionDoc {
  _id: import('mongoose').Types.ObjectId;
  title: string;
  topic: string;
  format: 'praesenz' | 'virtuell';
  startsAt: Date;
  endsAt: Date;
  place: string;
  meetingLink: string;
  region: string;
  trainerIds: string[];
  cohortId: string;
  capacity: number;
  registrationDeadline: Date;
  cancellationDeadline: Date;
  createdAt: Date;
}
const sessionSchema = new Schema<SessionDoc>(
  {
    title: { type: String, required: true },
    topic: { type: String, required: true, index: true },
    format: { type: String, enum: ['praesenz', 'virtuell'], required: true },
    startsAt: { type: Date, required: true, index: true },
    endsAt: { type: Date, required: true },
    place: { type: String, default: '' },
    meetingLink: { type: String, default: '' },
    region: { type: String, default: '' },
    trainerIds: { type: [String], default: [], index: true },
    cohortId: { type: String, default: '', index: true },
    capacity: { type: Number, required: true, min: 1 },
    registrationDeadline: { type: Date, required: true },
    cancellationDeadline: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'qualification_sessions' },
);
// the learners' list of upcoming sessions: ended no earlier than a month ago, by start
sessionSchema.index({ endsAt: 1, startsAt: 1 });

/**
 * One taken seat. The unique (sessionId, seatNumber) index is the arbiter of capacity: a registration
 * inserts seat 1..capacity until one insert succeeds, so two learners never hold the same seat, on
 * MongoDB and on FerretDB (whose findAndModify is not atomic). (sessionId, learnerId) is unique too,
 * so a double click never takes two seats.
 */
export interface SeatDoc {
  sessionId: string;
  seatNumber: number;
  learnerId: string;
  createdAt: Date;
}
const seatSchema = new Schema<SeatDoc>(
  {
    sessionId: { type: String, required: true },
    seatNumber: { type: Number, required: true },
    learnerId: { type: String, required: true, index: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'qualification_seats' },
);
seatSchema.index({ sessionId: 1, seatNumber: 1 }, { unique: true });
seatSchema.index({ sessionId: 1, learnerId: 1 }, { unique: true });

/** A place on the waiting list; positions are unique per session, the lowest is promoted first. */
export interface WaitDoc {
  sessionId: string;
  position: number;
  learnerId: string;
  createdAt: Date;
}
const waitSchema = new Schema<WaitDoc>(
  {
    sessionId: { type: String, required: true },
    position: { type: Number, required: true },
    learnerId: { type: String, required: true, index: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'qualification_waitlist' },
);
waitSchema.index({ sessionId: 1, position: 1 }, { unique: true });
waitSchema.index({ sessionId: 1, learnerId: 1 }, { unique: true });

export type AttendanceStatus = 'attended' | 'absent' | 'excused';
/** The trainer's mark for one learner in one session; the statement in the LRS is the record of it. */
export interface AttendanceDoc {
  sessionId: string;
  learnerId: string;
  topic: string;
  status: AttendanceStatus;
  markedBy: string;
  markedAt: Date;
  statementId: string;
}
const attendanceSchema = new Schema<AttendanceDoc>(
  {
    sessionId: { type: String, required: true },
    learnerId: { type: String, required: true, index: true },
    topic: { type: String, required: true },
    status: { type: String, enum: ['attended', 'absent', 'excused'], required: true },
    markedBy: { type: String, required: true },
    markedAt: { type: Date, required: true },
    statementId: { type: String, required: true },
  },
  { collection: 'qualification_attendance' },
);
attendanceSchema.index({ sessionId: 1, learnerId: 1 }, { unique: true });

/** An experienced Lotse accompanying one learner. */
export interface MentorDoc {
  learnerId: string;
  mentorId: string;
  assignedBy: string;
  assignedAt: Date;
}
const mentorSchema = new Schema<MentorDoc>(
  {
    learnerId: { type: String, required: true, unique: true },
    mentorId: { type: String, required: true, index: true },
    assignedBy: { type: String, required: true },
    assignedAt: { type: Date, required: true },
  },
  { collection: 'qualification_mentors' },
);

/** The qualification component's models on the app's connection. */
export function qualificationModels(connection: Connection) {
  return {
    Requirements: defineModel(connection, 'QualificationRequirements', requirementsSchema),
    Prerequisites: defineModel(connection, 'QualificationPrerequisites', prerequisitesSchema),
    Import: defineModel(connection, 'QualificationImport', importSchema),
    Cohort: defineModel(connection, 'QualificationCohort', cohortSchema),
    Session: defineModel(connection, 'QualificationSession', sessionSchema),
    Seat: defineModel(connection, 'QualificationSeat', seatSchema),
    Wait: defineModel(connection, 'QualificationWait', waitSchema),
    Attendance: defineModel(connection, 'QualificationAttendance', attendanceSchema),
    Mentor: defineModel(connection, 'QualificationMentor', mentorSchema),
  };
}
export type QualificationModels = ReturnType<typeof qualificationModels>;
