/**
 * xAPI 1.0.3 and 2.0 data types as the LRS offers them to other components (player, qualification). They are
 * deliberately loose where the spec is open (extensions, language maps).
 */
export type LanguageMap = Record<string, string>;
export type Extensions = Record<string, unknown>;

export interface Account {
  homePage: string;
  name: string;
}

export interface Agent {
  objectType?: 'Agent';
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: Account;
}

export interface Group {
  objectType: 'Group';
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: Account;
  member?: Agent[];
}

export type Actor = Agent | Group;

export interface Verb {
  id: string;
  display?: LanguageMap;
}

export interface InteractionComponent {
  id: string;
  description?: LanguageMap;
}

export interface ActivityDefinition {
  name?: LanguageMap;
  description?: LanguageMap;
  type?: string;
  moreInfo?: string;
  extensions?: Extensions;
  interactionType?: string;
  correctResponsesPattern?: string[];
  choices?: InteractionComponent[];
  scale?: InteractionComponent[];
  source?: InteractionComponent[];
  target?: InteractionComponent[];
  steps?: InteractionComponent[];
}

export interface Activity {
  objectType?: 'Activity';
  id: string;
  definition?: ActivityDefinition;
}

export interface StatementRef {
  objectType: 'StatementRef';
  id: string;
}

export interface ContextActivities {
  parent?: Activity[];
  grouping?: Activity[];
  category?: Activity[];
  other?: Activity[];
}

/** 9274.1.1 §4.2.2.5: an agent related to the statement other than the actor, and how. */
export interface ContextAgent {
  objectType: 'contextAgent';
  agent: Agent;
  relevantTypes?: string[];
}

/** 9274.1.1 §4.2.2.5: a group related to the statement, and how. */
export interface ContextGroup {
  objectType: 'contextGroup';
  group: Group;
  relevantTypes?: string[];
}

export interface Context {
  registration?: string;
  instructor?: Actor;
  team?: Group;
  /** xAPI 2.0 only. */
  contextAgents?: ContextAgent[];
  /** xAPI 2.0 only. */
  contextGroups?: ContextGroup[];
  contextActivities?: ContextActivities;
  revision?: string;
  platform?: string;
  language?: string;
  statement?: StatementRef;
  extensions?: Extensions;
}

export interface Result {
  score?: { scaled?: number; raw?: number; min?: number; max?: number };
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: Extensions;
}

export interface Attachment {
  usageType: string;
  display: LanguageMap;
  description?: LanguageMap;
  contentType: string;
  length: number;
  sha2: string;
  fileUrl?: string;
}

export interface SubStatement {
  objectType: 'SubStatement';
  actor: Actor;
  verb: Verb;
  object: Activity | Agent | Group | StatementRef;
  result?: Result;
  context?: Context;
  timestamp?: string;
  attachments?: Attachment[];
}

export interface Statement {
  id?: string;
  actor: Actor;
  verb: Verb;
  object: Activity | Agent | Group | StatementRef | SubStatement;
  result?: Result;
  context?: Context;
  timestamp?: string;
  stored?: string;
  authority?: Actor;
  version?: string;
  attachments?: Attachment[];
}

/** A statement as the LRS stored it: id, stored, timestamp, authority and version are always set. */
export type StoredStatement = Statement & { id: string; stored: string; timestamp: string; authority: Actor; version: string };

export const SCOPES = ['statements/write', 'statements/read', 'statements/read/mine', 'state', 'define', 'profile', 'all/read', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: an admin-made client, a minted launch credential, or the app itself. */
export interface Credential {
  key: string;
  name: string;
  scopes: Scope[];
  /** The authority written into statements stored with this credential. */
  authority: Agent;
  /** Minted credentials are limited to one learner and one registration. */
  limit?: { actor: Agent; actorKey: string; registration: string };
}

/** Query of GET /statements, parsed (xAPI 1.0.3 §2.1.3). */
export interface StatementQuery {
  agent?: Actor;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedActivities?: boolean;
  relatedAgents?: boolean;
  since?: string;
  until?: string;
  limit?: number;
  format?: 'ids' | 'exact' | 'canonical';
  attachments?: boolean;
  ascending?: boolean;
}

/*
 * What document guards and read hooks see (LrsService.registerDocumentGuard, onDocumentRead). They
 * live here, not in documents/, so that this file imports nothing: the other LRS modules and other
 * components import these types, and a type file that imported back into them made import circles.
 */
export type DocumentResource = 'state' | 'activity-profile' | 'agent-profile';

/** A write or delete of a document as the request named it, before anything is stored or removed. */
export interface DocumentWrite {
  resource: DocumentResource;
  method: 'PUT' | 'POST' | 'DELETE';
  params: { activityId?: string; agent?: Agent; registration?: string; stateId?: string; profileId?: string };
  /** PUT and POST only. */
  contentType?: string;
  body?: Buffer;
}

/**
 * Runs before every document write or delete (HTTP and the service alike); throws a DomainError
 * ('forbidden') to refuse. Other components use it for rules of their own, e.g. cmi5's LMS.LaunchData.
 */
export type DocumentGuard = (write: DocumentWrite, ctx: { credential: Credential }) => void | Promise<void>;

/** A GET of one document as the request named it (no body). */
export type DocumentRead = Omit<DocumentWrite, 'method' | 'contentType' | 'body'>;

/**
 * Runs before a GET of one document is answered, found or not (the request is what counts): other
 * components learn what content has read, e.g. cmi5's learner preferences (11.0.0.0-3). May not refuse.
 */
export type DocumentReadHook = (read: DocumentRead, ctx: { credential: Credential }) => void | Promise<void>;
