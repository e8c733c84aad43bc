import type { Readable } from 'node:stream';
import { indexBy } from '../shared/batch.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { DomainError, conflict } from '../shared/errors.ts';
import { createImporter, type ImportOptions, type ImportResult } from './import-package.ts';
import type { ImportNotes } from './import-notes.ts';
import { requireStored, type ImportRecovery } from './import-recovery.ts';
import { buildModuleArchive } from './module-archive.ts';
import type { PackageBlobs } from './package-blobs.ts';
import type { ContentModule, ContentRepository, ContentVersion, VersionSummary } from './repository.ts';
import { refusalReport } from './report.ts';
import { createServableFiles, type ServableFile } from './servable-files.ts';
import type { ValidationReport } from './types.ts';
import type { VersionCache } from './version-cache.ts';
import type { PackageLimits } from './zip-inspect.ts';

/** Decides whether a token (a player's launch, an author's view) opens a version's files. */
export type LaunchTokenVerifier = (token: string, versionId: string) => Promise<boolean>;

/** What an import came to, for callers that present a refusal themselves. */
export type ImportOutcome = { ok: true; imported: ImportResult } | { ok: false; refusal: DomainError; report: ValidationReport };

/** How long an accepted launch token is trusted without asking the verifiers again. */
const TOKEN_MEMORY_MS = 30_000;

const notFound = (key = 'content:errors.versionNotFound') => new DomainError('not-found', key);

/** Modules and their versions: import, publication, deletion, export, files and access. */
export function createContentService(deps: {
  repo: ContentRepository;
  blobs: PackageBlobs;
  cache: VersionCache;
  notes: ImportNotes;
  recovery: ImportRecovery;
  limits: PackageLimits;
  clock: Clock;
  logger: Logger;
}) {
  const { repo, blobs, cache, recovery, clock, logger } = deps;
  const importer = createImporter(deps);
  const files = createServableFiles({ repo, cache, logger });
  const verifiers: LaunchTokenVerifier[] = [];
  const accepted = new Map<string, number>();

  async function requireModule(idOrSlug: string): Promise<ContentModule> {
    const m = await repo.findModule(idOrSlug);
    if (!m) throw new DomainError('not-found', 'content:errors.moduleNotFound');
    return m;
  }

  const service = {
    /** Imports a package (or a module archive); throws a validation error carrying the report when refused. */
    importPackage: (filePath: string, opts: ImportOptions = {}): Promise<ImportResult> => importer.importPackage(filePath, opts),
    /**
     * importPackage for callers that show a refused package's report themselves (the author's page,
     * the CLI): the refusal comes back as a value with its report; every other failure is thrown.
     */
    async importPackageOrRefusal(filePath: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
      return importer.importPackage(filePath, opts).then(
        (imported): ImportOutcome => ({ ok: true, imported }),
        (err: unknown): ImportOutcome => {
          const report = refusalReport(err);
          if (!report) throw err;
          return { ok: false, refusal: err as DomainError, report };
        },
      );
    },

    listModules: (opts: { publishedOnly?: boolean } = {}) => repo.listModules(Boolean(opts.publishedOnly)),
    getModule: (idOrSlug: string) => repo.findModule(idOrSlug),
    listVersions: (moduleId: string): Promise<VersionSummary[]> => repo.listVersions(moduleId),
    /** Every module with its versions, for the author's list: two queries however many modules there are. */
    async listModulesWithVersions(): Promise<Array<{ module: ContentModule; versions: VersionSummary[] }>> {
      const modules = await repo.listModules(false);
      const versions = await repo.listVersionsOf(modules.map((m) => m.id));
      return modules.map((m) => ({ module: m, versions: versions.get(m.id) ?? [] }));
    },
    /** Modules by slug in one query (other components show titles by slug). */
    findModulesBySlugs: (slugs: string[]): Promise<ContentModule[]> => repo.findModulesBySlugs(slugs),
    /** The published modules with the version each launches, in two queries. */
    async listPublishedVersions(): Promise<Array<{ module: ContentModule; version: ContentVersion }>> {
      const modules = await repo.listModules(true);
      const versions = indexBy(await repo.findVersions(modules.map((m) => m.publishedVersionId!)), (v) => v.id);
      return modules.flatMap((module) => {
        const version = versions.get(module.publishedVersionId!);
        return version ? [{ module, version }] : [];
      });
    },

    /** The version new attempts launch, with its launch model; undefined while unpublished. */
    async getPublishedVersion(moduleId: string): Promise<ContentVersion | undefined> {
      const m = await repo.findModule(moduleId);
      return m?.publishedVersionId ? repo.findVersion(m.publishedVersionId) : undefined;
    },
    getVersion: (versionId: string): Promise<ContentVersion | undefined> => repo.findVersion(versionId),
    /** A module with its versions, for the author's page of it. */
    async moduleOverview(idOrSlug: string): Promise<{ module: ContentModule; versions: VersionSummary[] }> {
      const module = await requireModule(idOrSlug);
      return { module, versions: await repo.listVersions(module.id) };
    },
    /** A version with its module, for the author's page of it. */
    async versionOverview(versionId: string): Promise<{ version: ContentVersion; module: ContentModule | undefined }> {
      const version = await repo.findVersion(versionId);
      if (!version) throw notFound();
      return { version, module: await repo.findModule(version.moduleId) };
    },

    /** Called by the player on a launch: from then on the version cannot be deleted. */
    async markLaunched(versionId: string): Promise<void> {
      if (!(await repo.markLaunched(versionId, clock.now()))) throw notFound();
    },

    async publish(moduleIdOrSlug: string, versionId: string): Promise<VersionSummary> {
      const m = await requireModule(moduleIdOrSlug);
      const v = await repo.findVersionSummary(versionId);
      if (!v || v.moduleId !== m.id) throw notFound();
      requireStored(v);
      await repo.setPublished(m.id, v.id);
      return v;
    },
    async unpublish(moduleIdOrSlug: string): Promise<void> {
      const m = await requireModule(moduleIdOrSlug);
      await repo.setPublished(m.id, null);
    },

    /** Deletes a version no learner ever launched and that is not the published one. */
    async deleteVersion(versionId: string): Promise<VersionSummary> {
      const v = await repo.findVersionSummary(versionId);
      if (!v) throw notFound();
      if (v.launchedAt) throw conflict('content:errors.versionLaunched');
      const m = await repo.findModule(v.moduleId);
      if (m?.publishedVersionId === v.id) throw conflict('content:errors.versionPublished');
      await recovery.cancel(v.id);
      if (!(await repo.deleteUnlaunchedVersion(v.id))) throw conflict('content:errors.versionLaunched');
      files.forget(v.id);
      await cache.discard(v);
      return v;
    },

    /** The original zip of a version, as uploaded. */
    async exportVersion(versionId: string): Promise<{ stream: Readable; filename: string; size: number }> {
      const v = await repo.findVersionSummary(versionId);
      if (!v) throw notFound();
      requireStored(v);
      const m = await repo.findModule(v.moduleId);
      return { stream: blobs.open(v), filename: `${m?.slug ?? 'modul'}-v${v.number}.zip`, size: v.packageSize };
    },
    /** The whole module (metadata and every version) as one zip that importPackage reads back. */
    async exportModule(moduleIdOrSlug: string): Promise<{ stream: Readable; filename: string }> {
      const m = await requireModule(moduleIdOrSlug);
      const versions = await repo.listVersions(m.id);
      versions.forEach(requireStored);
      return { stream: buildModuleArchive(m, versions, blobs), filename: `${m.slug}-modul.zip` };
    },

    /** A package file ready to serve; not-found for anything that is not a file of the version. */
    resolveFile: (versionId: string, filePath: string): Promise<ServableFile> => files.resolve(versionId, filePath),
    /** A stream of one file of a version. */
    openFile: (versionId: string, filePath: string): Promise<Readable> => files.open(versionId, filePath),

    /** The player registers how its per-launch tokens are checked. */
    registerLaunchTokenVerifier(verifier: LaunchTokenVerifier): void {
      verifiers.push(verifier);
    },
    /**
     * True when any registered verifier accepts the token. A yes is remembered for a short while:
     * a page loads dozens of files with the same token, and each check may cost a database query.
     */
    async verifyLaunchToken(token: string, versionId: string): Promise<boolean> {
      const key = `${versionId}/${token}`;
      const now = clock.now().getTime();
      const until = accepted.get(key);
      if (until !== undefined && until > now) return true;
      const answers = await Promise.all(verifiers.map((v) => v(token, versionId).catch(() => false)));
      if (!answers.some(Boolean)) return false;
      if (accepted.size >= 10_000) accepted.clear();
      accepted.set(key, now + TOKEN_MEMORY_MS);
      return true;
    },
  };
  return service;
}
export type ContentService = ReturnType<typeof createContentService>;
