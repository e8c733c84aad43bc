import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';
import type { QueryFields, RefFields } from './statements/query-fields.ts';

/**
 * A statement is kept twice: `raw` is the JSON as stored (what `exact` returns, dotted extension keys
 * and all, which MongoDB/FerretDB could not hold as keys), and next to it the fields every query
 * filters by (matchesFilter checks them; the key rows of StatementKeyDoc find the candidates). The
 * statement id is the _id: the lookup by id is then a primary-key read on MongoDB and FerretDB alike.
 */
export interface StatementDoc extends QueryFields, RefFields {
  _id: string;
  raw: string;
  stored: Date;
  /** The hour it was stored in ("2026-12-01T08"): what a page without key filters walks. */
  hour: string;
  voided: boolean;
  /** The key of the credential that stored it: statements/read/mine. */
  authorityKey: string;
  /** sha2 of attachments whose content is in GridFS. */
  attachmentHashes: string[];
}

const statementSchema = new Schema<StatementDoc>(
  {
    _id: { type: String, required: true },
    raw: { type: String, required: true },
    stored: { type: Date, required: true },
    hour: { type: String, required: true },
    agents: { type: [String], default: [] },
    relatedAgents: { type: [String], default: [] },
    verbId: { type: String, required: true },
    activities: { type: [String], default: [] },
    relatedActivities: { type: [String], default: [] },
    registration: { type: String, default: null },
    voided: { type: Boolean, default: false },
    voidTarget: { type: String, default: null },
    refTarget: { type: String, default: null },
    refAgents: { type: [String], default: [] },
    refRelatedAgents: { type: [String], default: [] },
    refVerbId: { type: String, default: null },
    refActivities: { type: [String], default: [] },
    refRelatedActivities: { type: [String], default: [] },
    refRegistration: { type: String, default: null },
    authorityKey: { type: String, required: true },
    attachmentHashes: { type: [String], default: [] },
  },
  { collection: 'lrs_statements', versionKey: false },
);
/**
 * Every index of the LRS and the query it serves (issue #16: no index another one can serve):
 *
 * lrs_statements
 *   _id                     statement by id (GET ?statementId, PUT/POST seen-before, refFieldsFor, markVoided,
 *                           passOnRefFields, and a page fetching its candidates by _id in chunks)
 *   {hour, authorityKey}    a page without key filters: {hour: {$in: window}}, served by the prefix; the
 *                           same for statements/read/mine: {authorityKey, hour: {$in}}, by both fields.
 *                           (Was two indexes, {hour} and {authorityKey, hour}; this one serves both.)
 *   {stored, _id}           the replay's stored order: range on (stored, _id), sorted, limited
 * lrs_statement_keys
 *   _id `${sid}|${key}`     idempotent writes; checking candidates against further key groups
 *                           ({_id: {$in}}); removeInserted
 *   {k}                     a page with key filters: {k: {$in: key@hour…}}
 * lrs_statement_refs
 *   _id (source id)         idempotent writes; removeInserted
 *   {target}                earlier StatementRefs to new statements: {target: {$in: ids}}
 * lrs_statement_meta, lrs_activities
 *   _id                     by key only ('span', 'keys'; the activity id)
 * lrs_documents
 *   _id (the whole key)     one document: find, replace, delete by key (and etag)
 *   {kind, activityId, agentKey, registration, updated}
 *                           the ids of a scope since a time (sorted by updated), DELETE of all states
 * lrs_clients
 *   _id                     revocation (by the admin page's id)
 *   {key} unique            authentication, lastUsedAt and other updates by key
 *   {expiresAt, createdAt}  admin list ({expiresAt: null} sorted by createdAt desc), expired clean-up
 * lrs_hook_failures
 *   _id                     read whole by the replay (few rows: only hooks that failed after their retries)
 * lrs_attachments.files / .chunks (GridFS)
 *   the driver's own {filename, uploadDate} and {files_id, n}: attachment by sha2 (the filename)
 */
statementSchema.index({ hour: 1, authorityKey: 1 });
statementSchema.index({ stored: 1, _id: 1 });
/** Indexes an earlier version declared that another index now serves: dropped at start-up. */
export const RETIRED_STATEMENT_INDEXES = ['hour_1', 'authorityKey_1_hour_1'];

/**
 * One row per statement and filter key (statements/statement-keys.ts): `k` is the key and the hour
 * the statement was stored, so GET /statements reads the rows of the hours a page needs by equality
 * on `k`. The _id (statement id, key) makes writing them again harmless and lets a candidate be
 * checked against a second key by _id.
 */
export interface StatementKeyDoc {
  /** `${statementId}|${key}` */
  _id: string;
  /** `${key}@${hour}` */
  k: string;
  /** The statement's stored time (the page order, with sid). */
  s: Date;
  sid: string;
}
const statementKeySchema = new Schema<StatementKeyDoc>(
  { _id: { type: String, required: true }, k: { type: String, required: true }, s: { type: Date, required: true }, sid: { type: String, required: true } },
  { collection: 'lrs_statement_keys', versionKey: false },
);
statementKeySchema.index({ k: 1 });

/**
 * Small facts about the statements: `span` holds the first and last hour anything was stored in (where
 * a page's walk over the hours ends), `keys` marks that statements stored before the key rows existed
 * have theirs, `referenced` that targets of StatementRefs stored before have their marker
 * (statement-keys.ts, REFERENCED_KEY).
 */
export interface StatementMetaDoc {
  _id: 'span' | 'keys' | 'referenced';
  first?: string;
  last?: string;
  /** When the backfill of key rows finished. */
  at?: Date;
}
const statementMetaSchema = new Schema<StatementMetaDoc>(
  { _id: { type: String, required: true }, first: String, last: String, at: Date },
  { collection: 'lrs_statement_meta', versionKey: false },
);

/**
 * Who targets whom with a StatementRef (voiding included): small, so checking "does an earlier
 * statement target this new one?" on every insert stays cheap even where the database scans.
 */
export interface StatementRefDoc {
  /** The referencing statement's id. */
  _id: string;
  target: string;
  voiding: boolean;
}
const statementRefSchema = new Schema<StatementRefDoc>(
  { _id: { type: String, required: true }, target: { type: String, required: true }, voiding: { type: Boolean, required: true } },
  { collection: 'lrs_statement_refs', versionKey: false },
);
statementRefSchema.index({ target: 1 });

/** One generic document store for State, Activity Profile and Agent Profile (Communication §2.2). */
export interface DocumentDoc {
  /** JSON of [kind, activityId, agentKey, registration, docId]. */
  _id: string;
  kind: 'state' | 'activityProfile' | 'agentProfile';
  activityId: string;
  /** The agent's identifier key; '' for activity profiles. */
  agentKey: string;
  /** '' when the request named no registration. */
  registration: string;
  docId: string;
  contentType: string;
  content: Buffer;
  etag: string;
  updated: Date;
}

const documentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    activityId: { type: String, default: '' },
    agentKey: { type: String, default: '' },
    registration: { type: String, default: '' },
    docId: { type: String, required: true },
    contentType: { type: String, required: true },
    content: { type: Buffer, required: true },
    etag: { type: String, required: true },
    updated: { type: Date, required: true },
  },
  { collection: 'lrs_documents', versionKey: false },
);
documentSchema.index({ kind: 1, activityId: 1, agentKey: 1, registration: 1, updated: 1 });

/** The canonical definition of an activity, merged from every statement that defines it. */
export interface ActivityDoc {
  /** The activity id (a primary-key read). */
  _id: string;
  /** JSON of the definition (extension keys contain dots). */
  definition: string;
}
const activitySchema = new Schema<ActivityDoc>(
  { _id: { type: String, required: true }, definition: { type: String, required: true } },
  { collection: 'lrs_activities', versionKey: false },
);

/**
 * A stored-statements hook (a projection such as the player's progress) that still failed after its
 * retries: which statements it missed, so `npm run lrs -- replay` hands exactly those to it again.
 * Only ids, the hook's name and the error's message: no statement content, no personal data.
 */
export interface HookFailureDoc {
  _id: Types.ObjectId;
  hook: string;
  statementIds: string[];
  error: string;
  attempts: number;
  at: Date;
}
const hookFailureSchema = new Schema<HookFailureDoc>(
  {
    hook: { type: String, required: true },
    statementIds: { type: [String], required: true },
    error: { type: String, required: true },
    attempts: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'lrs_hook_failures', versionKey: false },
);

/** A client of the LRS: HTTP Basic key and hashed secret, scopes, optionally limited to one learner. */
export interface ClientDoc {
  _id: Types.ObjectId;
  key: string;
  secretHash: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Minted launch credentials expire; admin clients do not. */
  expiresAt: Date | null;
  /** JSON of the limit's actor, and its identifier key and registration (minted credentials only). */
  limitActor: string | null;
  limitActorKey: string | null;
  limitRegistration: string | null;
}
const clientSchema = new Schema<ClientDoc>(
  {
    key: { type: String, required: true, unique: true },
    secretHash: { type: String, required: true },
    name: { type: String, required: true },
    scopes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    limitActor: { type: String, default: null },
    limitActorKey: { type: String, default: null },
    limitRegistration: { type: String, default: null },
  },
  { collection: 'lrs_clients', versionKey: false },
);
clientSchema.index({ expiresAt: 1, createdAt: -1 });

export function lrsModels(connection: Connection) {
  return {
    Statement: defineModel(connection, 'LrsStatement', statementSchema),
    StatementRef: defineModel(connection, 'LrsStatementRef', statementRefSchema),
    StatementKey: defineModel(connection, 'LrsStatementKey', statementKeySchema),
    StatementMeta: defineModel(connection, 'LrsStatementMeta', statementMetaSchema),
    Document: defineModel(connection, 'LrsDocument', documentSchema),
    Activity: defineModel(connection, 'LrsActivity', activitySchema),
    Client: defineModel(connection, 'LrsClient', clientSchema),
    HookFailure: defineModel(connection, 'LrsHookFailure', hookFailureSchema),
  };
}
export type LrsModels = ReturnType<typeof lrsModels>;
