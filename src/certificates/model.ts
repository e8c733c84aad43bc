import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

export const ISSUE_MODES = ['automatic', 'approval'] as const;
export type IssueMode = (typeof ISSUE_MODES)[number];

/** A completed Q1 module as printed on the certificate and listed in the criteria. */
export interface ModuleLine {
  moduleSlug: string;
  title: string;
  status: string;
  score?: number;
}
/** An attended Q2 topic. */
export interface SessionLine {
  topic: string;
  title: string;
  sessionTitle?: string;
  date?: Date;
}

export interface CertificateDoc {
  _id: Types.ObjectId;
  /** The credential's id and the JWT's jti, urn:uuid form. */
  credentialId: string;
  learnerId: string;
  qualification: string;
  /** 16 Crockford base32 characters without dashes (80 random bits). */
  code: string;
  /**
   * "<learnerId>:<qualification>" while the certificate is the learner's current one, something
   * unique otherwise: a unique index keeps one current certificate per learner and qualification
   * (FerretDB has no partial indexes).
   */
  activeKey: string;
  holderName: string;
  /** credentialSubject.id: a random urn:uuid, so the holder is not identified by the e-mail. */
  subjectId: string;
  issuedAt: Date;
  issuedBy: string;
  kid: string;
  jwt: string;
  statusListId: number;
  statusListIndex: number;
  modules: ModuleLine[];
  sessions: SessionLine[];
  revokedAt: Date | null;
  revokedBy: string | null;
  revocationReason: string | null;
  replacedBy: string | null;
}

const certificateSchema = new Schema<CertificateDoc>(
  {
    credentialId: { type: String, required: true, unique: true },
    learnerId: { type: String, required: true },
    qualification: { type: String, required: true },
    code: { type: String, required: true, unique: true },
    activeKey: { type: String, required: true, unique: true },
    holderName: { type: String, required: true },
    subjectId: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: String, required: true },
    kid: { type: String, required: true },
    jwt: { type: String, required: true },
    statusListId: { type: Number, required: true },
    statusListIndex: { type: Number, required: true },
    modules: {
      type: [{ _id: false, moduleSlug: String, title: String, status: String, score: Number }],
      default: [],
    },
    sessions: {
      type: [{ _id: false, topic: String, title: String, sessionTitle: String, date: Date }],
      default: [],
    },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: String, default: null },
    revocationReason: { type: String, default: null },
    replacedBy: { type: String, default: null },
  },
  { collection: 'certificates' },
);
certificateSchema.index({ learnerId: 1, issuedAt: -1 });
// a random status index is drawn per credential; the unique index makes a collision a retry
certificateSchema.index({ statusListId: 1, statusListIndex: 1 }, { unique: true });
// the status list is built from the revoked entries of one list
certificateSchema.index({ statusListId: 1, revokedAt: 1 });
certificateSchema.index({ issuedAt: -1 });

/** A learner's request waiting for a trainer (issue mode "approval"); one per learner and qualification. */
export interface CertificateRequestDoc {
  learnerId: string;
  qualification: string;
  state: 'pending' | 'approved' | 'rejected';
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  reason: string | null;
}
const requestSchema = new Schema<CertificateRequestDoc>(
  {
    learnerId: { type: String, required: true },
    qualification: { type: String, required: true },
    state: { type: String, enum: ['pending', 'approved', 'rejected'], required: true },
    requestedAt: { type: Date, required: true },
    decidedBy: { type: String, default: null },
    decidedAt: { type: Date, default: null },
    reason: { type: String, default: null },
  },
  { collection: 'certificate_requests' },
);
requestSchema.index({ learnerId: 1, qualification: 1 }, { unique: true });
requestSchema.index({ state: 1, requestedAt: 1 });

/** The public half of every signing key ever used: the JWKS keeps them all (rotation). */
export interface SigningKeyDoc {
  kid: string;
  /** kty, n, e of the RSA public key (no private part is ever stored). */
  kty: string;
  n: string;
  e: string;
  source: 'configured' | 'development';
  firstUsedAt: Date;
}
const signingKeySchema = new Schema<SigningKeyDoc>(
  {
    kid: { type: String, required: true, unique: true },
    kty: { type: String, required: true },
    n: { type: String, required: true },
    e: { type: String, required: true },
    source: { type: String, enum: ['configured', 'development'], required: true },
    firstUsedAt: { type: Date, required: true },
  },
  { collection: 'certificate_signing_keys' },
);
signingKeySchema.index({ firstUsedAt: 1 });

/** The admin's settings of the component (one document). */
export interface CertificateSettingsDoc {
  _id: string;
  issueMode: IssueMode;
  updatedAt: Date;
  updatedBy: string;
}
const settingsSchema = new Schema<CertificateSettingsDoc>(
  {
    _id: { type: String, required: true },
    issueMode: { type: String, enum: ISSUE_MODES, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'certificate_settings' },
);

/** The certificates component's models on the app's connection. */
export function certificateModels(connection: Connection) {
  return {
    Certificate: defineModel(connection, 'Certificate', certificateSchema),
    CertificateRequest: defineModel(connection, 'CertificateRequest', requestSchema),
    SigningKey: defineModel(connection, 'CertificateSigningKey', signingKeySchema),
    Settings: defineModel(connection, 'CertificateSettings', settingsSchema),
  };
}
