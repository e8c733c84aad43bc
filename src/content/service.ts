import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { indexBy } from '../shared/batch.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { DomainError, conflict } from '../shared/errors.ts';
import { createImporter, type ImportOptions, type ImportResult } from './import-package.ts';
import type { ImportNotes } from './import-notes.ts';
import type { ImportRecovery } from './import-recovery.ts';
import { buildModuleArchive } from './module-archive.ts';
import type { PackageBlobs } from './package-blobs.ts';
import type { ContentModule, ContentRepository, ContentVersion, VersionSummary } from './repository.ts';
import { createSmallFileCache } from './small-file-cache.ts';
import { refusalReport } from './report.ts';
import type { PackageFile, PackageFormat, ValidationReport } from './types.ts';
import type { CachedVersion, VersionCache } from './version-cache.ts';
import type { PackageLimits } from './zip-inspect.ts';

/** Decides whether a token (a player's launch, an author's view) opens a version's files. */
export type LaunchTokenVerifier = (token: string, versionId: string) => Promise<boolean>;

/** A file ready to be served: what identifies its bytes, and its bytes. */
export interface ServableFile {
  /** Where the file is in this instance's copy of the version. */
  absPath: string;
  size: number;
  /** Strong ETag from the zip's CRC-32 and size: versions are immutable, so this never changes. */
  etag: string;
  lastModified: Date;
  /** The version's package format (the sandbox fallback gives SCORM launch pages the adapter). */
  format: PackageFormat;
  /** The whole file (pages that get scripts put in); small files come from memory. */
  readAll(): Promise<Buffer>;
  /**
   * Bytes start..end (inclusive): small files from memory, others as a stream that is open already
   * (a missing file fails here, while the request can still be answered).
   */
  read(start: number, end: number): Promise<Buffer | Readable>;
}

/** What an import came to, for callers that present a refusal themselves. */
export type ImportOutcome = { ok: true; imported: ImportResult } | { ok: false; refusal: DomainError; report: ValidationReport };

/** How long an accepted launch token is trusted without asking the verifiers again. */
const TOKEN_MEMORY_MS = 30_000;

const notFound = (key = 'content:errors.versionNotFound') => new DomainError('not-found', key);

/** Caches each version's file index in memory: versions never change, so entries never go stale. */
type IndexEntry = CachedVersion & { moduleId: string; format: PackageFormat; createdAt: Date; files: Map<string, PackageFile> };
function createIndexCache(max = 100) {
  const map = new Map<string, IndexEntry>();
  return {
    get: (id: string) => map.get(id),
    set(id: string, v: ContentVersion) {
      if (map.size >= max) map.delete(map.keys().next().value!);
      const entry: IndexEntry = { id: v.id, moduleId: v.moduleId, format: v.format, packageFileId: v.packageFileId, packageStore: v.packageStore, createdAt: v.createdAt, files: new Map(v.files.map((f) => [f.path, f])) };
      map.set(id, entry);
      return entry;
    },
    delete: (id: string) => map.delete(id),
  };
}

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
  const index = createIndexCache();
  // pages, scripts and styles are answered from memory; large files (video) always stream from disk
  const smallFiles = createSmallFileCache({ maxFileBytes: 128 * 1024, maxTotalBytes: 32 * 1024 ** 2 });
  const verifiers: LaunchTokenVerifier[] = [];
  const accepted = new Map<string, number>();

  async function versionIndex(versionId: string) {
    const cached = index.get(versionId);
    if (cached) return cached;
    const v = await repo.findVersion(versionId);
    if (!v) throw notFound();
    return index.set(versionId, v);
  }

  /** Publication and export need the zip stored (an earlier release's import may still be copying it). */
  function requireStored(v: VersionSummary): void {
    if (v.storage === 'storing') throw conflict('content:errors.versionStoring');
    if (v.storage === 'failed') throw conflict('content:errors.versionStoreFailed');
  }

  /** This instance's copy of the version; a zip that cannot be read from here is "unavailable", not an error. */
  function extractedCopy(idx: IndexEntry): Promise<string> {
    return cache.ensure(idx).catch(async (err: unknown) => {
      // an earlier release's copy into GridFS still runs (or failed): say so, not "error"
      const v = await repo.findVersionSummary(idx.id);
      if (v) requireStored(v);
      // stored, but not reachable from here: e.g. PACKAGE_STORE=file on another instance's disk
      logger.error({ err, versionId: idx.id, packageStore: idx.packageStore }, 'stored content package cannot be read');
      throw new DomainError('unavailable', 'content:errors.packageUnavailable');
    });
  }

  /** Runs `use` on a file of the copy. A copy that vanished meanwhile (removed by hand) is made again from the blob, once. */
  async function withFile<T>(idx: IndexEntry, file: PackageFile, use: (absPath: string) => Promise<T>): Promise<T> {
    const absPath = async () => path.join(await extractedCopy(idx), ...file.path.split('/'));
    return use(await absPath()).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      cache.evict(idx.id);
      return use(await absPath());
    });
  }

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
      index.delete(v.id);
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
    async resolveFile(versionId: string, filePath: string): Promise<ServableFile> {
      const idx = await versionIndex(versionId);
      const f = idx.files.get(filePath);
      if (!f) throw notFound();
      const absPath = path.join(await extractedCopy(idx), ...f.path.split('/'));
      const small = smallFiles.fits(f.size);
      return {
        absPath,
        size: f.size,
        etag: `"${(f.crc32 >>> 0).toString(16)}-${f.size.toString(16)}"`,
        lastModified: idx.createdAt,
        format: idx.format,
        readAll: () => withFile(idx, f, (p) => (small ? smallFiles.get(p) : readFile(p))),
        read: (start, end) =>
          withFile(idx, f, async (p): Promise<Buffer | Readable> => {
            if (!small) return (await open(p, 'r')).createReadStream({ start, end });
            const bytes = await smallFiles.get(p);
            return start === 0 && end === bytes.length - 1 ? bytes : bytes.subarray(start, end + 1);
          }),
      };
    },
    /** A stream of one file of a version. */
    async openFile(versionId: string, filePath: string): Promise<Readable> {
      const f = await service.resolveFile(versionId, filePath);
      const body = f.size === 0 ? Buffer.alloc(0) : await f.read(0, f.size - 1);
      return Buffer.isBuffer(body) ? Readable.from([body]) : body;
    },

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
