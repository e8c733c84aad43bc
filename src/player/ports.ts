import type { ContentModule as ContentModuleRecord, ContentVersion as ContentVersionRecord } from '../content/repository.ts';
import type { LrsService } from '../lrs/service.ts';

export type { StateAddress } from '../lrs/service.ts';
export type { Launchable, PackageFormat } from '../content/types.ts';

/**
 * What the player needs from other components, as small ports the composition root fills in
 * (src/app.ts): the LRS stores statements and state documents and mints launch credentials; the
 * content component knows modules, versions and their launchables and serves files per launch token.
 * The shapes are the owners' (lrs/service.ts, content/types.ts), picked, never copied.
 */
export type LrsPort = Pick<
  LrsService,
  | 'storeStatements'
  | 'getStatements'
  | 'putDocument'
  | 'mintCredentials'
  | 'registerStatementGuard'
  | 'registerDocumentGuard'
  | 'onDocumentRead'
  | 'onStatementsStored'
>;

/** A version as the player reads it: its format and launch model. */
export type ContentVersion = Pick<ContentVersionRecord, 'id' | 'moduleId' | 'number' | 'format' | 'manifest' | 'launchables'>;

/** A module as the player reads it; the version new attempts launch is publishedVersionId (null while unpublished). */
export type ContentModule = Pick<ContentModuleRecord, 'id' | 'slug' | 'title' | 'description' | 'publishedVersionId'>;

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

/**
 * Links other components offer beside a module on the player page, for this viewer (the community's
 * Q&A of the module, for its members); the composition root fills it in (src/app.ts).
 */
export interface ModuleLinksPort {
  linksFor(viewer: { id: string; roles: string[] }, moduleSlug: string): Promise<Array<{ href: string; labelKey: string }>>;
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
