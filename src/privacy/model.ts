import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

export type ErasureState = 'requested' | 'confirmed' | 'running' | 'done' | 'cancelled';

/**
 * An erasure request and its progress. The subject (id, e-mail, name, agent keys) is kept only until
 * the erasure is done: every step needs it, the accounts step deletes the user last. After that the
 * record keeps the reference, dates and the steps, and nothing that names the person.
 */
export interface ErasureDoc {
  _id: Types.ObjectId;
  /** "L-" and 8 characters: how staff, the audit trail and anonymised records name the erasure. */
  reference: string;
  /**
   * "open:<userId>" while open, so a person has one open request at a time (a unique index, which
   * FerretDB keeps too); "closed:<reference>" once done or cancelled (null would collide).
   */
  openKey: string;
  subject: { id: string; email: string; name: string; agentKeys: string[] } | null;
  state: ErasureState;
  requestedAt: Date;
  /** 'self' or the admin who asked on the person's behalf (cleared when done). */
  requestedBy: string;
  /** Without a confirmation it runs from here on (the cooling-off period, a setting). */
  dueAt: Date;
  confirmedBy: string | null;
  confirmedAt: Date | null;
  /** The components erased so far, in order; a re-run skips them. */
  doneSteps: string[];
  /** A run holds this lease; an expired lease (a crash) lets the next run take over. */
  leaseUntil: Date | null;
  attempts: number;
  lastError: string | null;
  doneAt: Date | null;
  /** Why it started: 'request' (the person or an admin) or 'retention' (inactive account). */
  cause: 'request' | 'retention';
}
const erasureSchema = new Schema<ErasureDoc>(
  {
    reference: { type: String, required: true, unique: true },
    openKey: { type: String, required: true, unique: true },
    subject: { type: new Schema({ id: String, email: String, name: String, agentKeys: [String] }, { _id: false }), default: null },
    state: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    requestedBy: { type: String, required: true },
    dueAt: { type: Date, required: true },
    confirmedBy: { type: String, default: null },
    confirmedAt: { type: Date, default: null },
    doneSteps: { type: [String], default: [] },
    leaseUntil: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    doneAt: { type: Date, default: null },
    cause: { type: String, default: 'request' },
  },
  { collection: 'privacy_erasures', versionKey: false },
);
erasureSchema.index({ state: 1, dueAt: 1 });
erasureSchema.index({ 'subject.id': 1 });

export type ExportState = 'queued' | 'running' | 'ready' | 'downloaded' | 'expired' | 'failed';
/** One data export: built in the background, downloadable once by its owner with a short-lived link. */
export interface ExportDoc {
  _id: Types.ObjectId;
  userId: string;
  requestedBy: string;
  state: ExportState;
  createdAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  tokenHash: string | null;
  fileId: string | null;
  bytes: number;
  leaseUntil: Date | null;
  lastError: string | null;
}
const exportSchema = new Schema<ExportDoc>(
  {
    userId: { type: String, required: true, index: true },
    requestedBy: { type: String, required: true },
    state: { type: String, required: true },
    createdAt: { type: Date, required: true },
    readyAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null, index: true },
    tokenHash: { type: String, default: null, index: true },
    fileId: { type: String, default: null },
    bytes: { type: Number, default: 0 },
    leaseUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { collection: 'privacy_exports', versionKey: false },
);
exportSchema.index({ state: 1, createdAt: 1 });

/** One staff action (issue #18): who, when, what; ids only, never names or e-mail addresses. */
export interface AuditDoc {
  at: Date;
  actorId: string;
  action: string;
  targetId: string;
  /** Small facts about the action (a role list, a decision, a certificate code), no free text about people. */
  details: string;
}
const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true, index: true },
    actorId: { type: String, required: true, index: true },
    action: { type: String, required: true },
    targetId: { type: String, default: '', index: true },
    details: { type: String, default: '' },
  },
  { collection: 'privacy_audit', versionKey: false },
);

/** A consent given (the privacy notice at registration), with the version of the text. */
export interface ConsentDoc {
  userId: string;
  kind: string;
  version: string;
  at: Date;
}
const consentSchema = new Schema<ConsentDoc>(
  {
    userId: { type: String, required: true, index: true },
    kind: { type: String, required: true },
    version: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'privacy_consents', versionKey: false },
);

/** When a person last signed in, and when their inactivity was announced. */
export interface ActivityDoc {
  _id: string;
  lastSeenAt: Date;
  announcedAt: Date | null;
}
const activitySchema = new Schema<ActivityDoc>(
  { _id: { type: String, required: true }, lastSeenAt: { type: Date, required: true, index: true }, announcedAt: { type: Date, default: null, index: true } },
  { collection: 'privacy_activity', versionKey: false },
);

export const EXPORT_BUCKET = 'privacy_export_files';

/** The privacy component's models on the app's connection. */
export function privacyModels(connection: Connection) {
  return {
    Erasure: defineModel(connection, 'PrivacyErasure', erasureSchema),
    Export: defineModel(connection, 'PrivacyExport', exportSchema),
    Audit: defineModel(connection, 'PrivacyAudit', auditSchema),
    Consent: defineModel(connection, 'PrivacyConsent', consentSchema),
    Activity: defineModel(connection, 'PrivacyActivity', activitySchema),
  };
}
export type PrivacyModels = ReturnType<typeof privacyModels>;
