import type { Agent, Credential, DocumentGuard, DocumentReadHook, Statement, StatementQuery, StoredStatement } from '../lrs/types.ts';

/**
 * What the player needs from other components, as small ports the composition root fills in
 * (src/app.ts): the LRS stores statements and state documents and mints launch credentials; the
 * content component knows modules, versions and their launchables and serves files per launch token.
 */
export interface LrsPort {
  storeStatements(statements: Statement[], authority?: Agent): Promise<string[]>;
  getStatements(query: StatementQuery): Promise<unknown>;
  putDocument(address: StateAddress, doc: { contentType: string; content: Buffer | string | object }): Promise<unknown>;
  mintCredentials(input: { actor: Agent; registration: string; ttlSeconds: number }): Promise<{ key: string; secret: string; authorization: string; expiresAt: Date | string }>;
  registerStatementGuard(fn: (statement: StoredStatement, ctx: { credential: Credential; sent: Readonly<Record<string, unknown>> }) => Promise<void> | void): void;
  registerDocumentGuard(fn: DocumentGuard): void;
  onDocumentRead(fn: DocumentReadHook): void;
  onStatementsStored(fn: (statements: StoredStatement[]) => Promise<void>): void;
}

/** A state document's address (xAPI 1.0.3 §7.3.1): the player writes cmi5's LMS.LaunchData. */
export interface StateAddress {
  activityId: string;
  agent: Agent;
  stateId: string;
  registration?: string;
}

export type PackageFormat = 'scorm12' | 'scorm2004' | 'xapi' | 'cmi5';

/** One launchable unit of a version: a SCO, a tincan activity, a cmi5 AU. Extra fields are optional. */
export interface Launchable {
  id: string;
  title: string;
  href: string;
  masteryScore?: number;
  moveOn?: string;
  launchMethod?: string;
  launchParameters?: string;
  entitlementKey?: string;
  dataFromLms?: string;
}

export interface ContentVersion {
  id: string;
  moduleId: string;
  number: number;
  format: PackageFormat;
  manifest: unknown;
  launchables: Launchable[];
}

export interface ContentModule {
  id: string;
  slug: string;
  title: string;
  description?: string;
  /** The version new attempts launch (null while unpublished). */
  publishedVersionId?: string | null;
}

export interface ContentPort {
  listModules(opts: { publishedOnly: boolean }): Promise<ContentModule[]>;
  getModule(idOrSlug: string): Promise<ContentModule | undefined | null>;
  getPublishedVersion(moduleId: string): Promise<ContentVersion | undefined | null>;
  /** The published modules with the version each launches, read in a fixed number of queries. */
  listPublishedVersions(): Promise<Array<{ module: ContentModule; version: ContentVersion }>>;
  getVersion(versionId: string): Promise<ContentVersion | undefined | null>;
  markLaunched(versionId: string): Promise<void>;
  registerLaunchTokenVerifier(fn: (token: string, versionId: string) => Promise<boolean>): void;
}

/** Finds a person by e-mail (the admin's waiver form names the learner that way); the accounts directory. */
export interface PeoplePort {
  findByEmail(email: string): Promise<{ id: string; name: string; email: string } | undefined>;
}

/** Progress of one module for one learner (the qualification component reads exactly this). */
export type ModuleStatus = 'not-attempted' | 'in-progress' | 'completed' | 'passed' | 'failed';
export interface ModuleProgress {
  moduleSlug: string;
  status: ModuleStatus;
  /** 0–100 where the module reports a score. */
  score?: number;
  timeSpentSeconds?: number;
  attempts: number;
  lastLaunchedAt?: Date;
}
