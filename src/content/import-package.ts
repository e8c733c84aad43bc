import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../shared/clock.ts';
import { analysePackage } from './analyse-package.ts';
import { asPackageZip } from './course-structure-file.ts';
import { MODULE_ARCHIVE_FILE, readModuleArchive } from './module-archive.ts';
import type { ImportNotes } from './import-notes.ts';
import type { PackageBlobs } from './package-blobs.ts';
import { ReportBuilder, refused } from './report.ts';
import type { ContentModule, ContentRepository, ContentVersion } from './repository.ts';
import type { ValidationReport } from './types.ts';
import type { VersionCache } from './version-cache.ts';
import { ExtractError } from './zip-extract.ts';
import { inspectZip, type PackageLimits } from './zip-inspect.ts';

export interface ImportOptions {
  /** An existing module (id or slug), or the name of a new one. */
  moduleSlug?: string;
  moduleTitle?: string;
  publish?: boolean;
  actorId?: string;
  /** The uploaded file's name, kept for the author. */
  originalName?: string;
  /**
   * The file is a temp copy made for this import (an upload) that the caller removes afterwards: the
   * file store may take its bytes over (a hard link) instead of copying them.
   */
  tempFile?: boolean;
}
export interface ImportResult {
  module: ContentModule;
  version: ContentVersion;
  report: ValidationReport;
}

/** "Q1 · Technik" → "q1-technik": German letters spelled out, the rest reduced to a-z, 0-9 and "-". */
export function slugify(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'modul';
}

interface Deps {
  repo: ContentRepository;
  blobs: PackageBlobs;
  cache: VersionCache;
  notes: ImportNotes;
  limits: PackageLimits;
  clock: Clock;
}

/**
 * Import: inspect the zip's central directory (nothing inflated) → read and check the descriptor →
 * inflate into a temp cache directory (a worker thread) while the original zip goes into the blob
 * store → record the version as stored (and published, when asked) → answer. So whatever the answer
 * says holds at once on every instance: a published version launches, a stored one exports. Any
 * refusal or failure removes everything this import made.
 */
export function createImporter(deps: Deps) {
  const { repo, blobs, cache, notes, limits } = deps;

  async function resolveModule(opts: ImportOptions, packageTitle: string): Promise<{ module: ContentModule; created: boolean }> {
    const wanted = opts.moduleSlug?.trim();
    if (wanted) {
      const found = (await repo.findModule(wanted)) ?? (await repo.findModule(slugify(wanted)));
      if (found) return { module: found, created: false };
    }
    const title = opts.moduleTitle?.trim() || wanted || packageTitle;
    const base = slugify(wanted || title);
    if (opts.moduleTitle && !wanted) {
      const found = await repo.findModule(base);
      if (found) return { module: found, created: false };
    }
    for (let i = 1; i < 100; i++) {
      const slug = i === 1 ? base : `${base}-${i}`;
      if (wanted && i > 1) {
        // a named module that appeared meanwhile (a concurrent import) is the one we want
        const again = await repo.findModule(base);
        if (again) return { module: again, created: false };
      }
      const made = await repo.insertModule({ slug, title });
      if (made !== 'duplicate') return { module: made, created: true };
    }
    throw new Error('no free module slug');
  }

  /** A zip, or a bare cmi5.xml (cmi5 §14.2) wrapped into one by asPackageZip. */
  async function importOne(filePath: string, opts: ImportOptions & { preferredNumber?: number }): Promise<ImportResult> {
    const report = new ReportBuilder();
    const made: string[] = [];
    const tempFile = async () => {
      const file = await cache.tempPath('course-structure');
      made.push(file);
      return file;
    };
    try {
      const upload = await asPackageZip(filePath, { originalName: opts.originalName, maxManifestBytes: limits.maxManifestBytes, tempFile }, report);
      if (!upload) throw refused(report.build());
      return await importZip(upload.zipPath, { ...opts, bare: upload.bare }, report);
    } finally {
      for (const file of made) await rm(file, { force: true });
    }
  }

  async function importZip(filePath: string, opts: ImportOptions & { preferredNumber?: number; bare: boolean }, report: ReportBuilder): Promise<ImportResult> {
    const opened = await inspectZip(filePath, limits, report);
    if (!opened) throw refused(report.build());
    if (opened.byPath.has(MODULE_ARCHIVE_FILE)) {
      opened.close();
      return importModuleArchive(filePath, opts);
    }
    let tmpDir: string | undefined;
    let createdModule: ContentModule | undefined;
    let versionId: string | undefined;
    const kind = blobs.writeTo;
    const aborted = new AbortController();
    try {
      const analysed = await analysePackage(opened, report, limits.maxManifestBytes, { bare: opts.bare });
      if (!analysed) throw refused(report.build());
      versionId = repo.newId().toString();
      // the zip keeps the version's id in its store: a crashed import's leftovers are found by it
      const stored = { packageFileId: versionId, packageStore: kind };
      const originalName = path.basename(opts.originalName ?? filePath);
      await notes.begin(versionId, kind);
      // the original zip is stored while every file is inflated and checked against its declared size
      // and CRC: the import takes as long as the slower of the two, not both
      const [put, ex] = await Promise.allSettled([
        blobs.put(filePath, stored, { filename: originalName, metadata: { versionId }, tempFile: opts.tempFile, signal: aborted.signal }),
        cache.stage(versionId, opened, 'import').catch((err: unknown) => {
          aborted.abort(); // a refused package need not be stored to the end
          throw err;
        }),
      ]);
      if (ex.status === 'rejected') {
        if (ex.reason instanceof ExtractError) {
          report.error(ex.reason.code, {}, ex.reason.where);
          throw refused(report.build());
        }
        throw ex.reason;
      }
      tmpDir = ex.value;
      if (put.status === 'rejected') throw put.reason;

      const { module, created } = await resolveModule(opts, analysed.title);
      if (created) createdModule = module;
      const built = report.build();
      for (let attempt = 0; ; attempt++) {
        const number = Math.max((await repo.maxVersionNumber(module.id)) + 1, opts.preferredNumber ?? 0);
        const r = await repo.insertVersion({
          _id: repo.newIdFrom(versionId),
          moduleId: module.id,
          number,
          format: analysed.format,
          edition: analysed.manifest.kind === 'scorm' ? (analysed.manifest.edition ?? null) : null,
          title: analysed.title,
          manifestJson: JSON.stringify(analysed.manifest),
          launchablesJson: JSON.stringify(analysed.launchables),
          filesJson: JSON.stringify(opened.files.map((f) => ({ path: f.path, size: f.size, crc32: f.crc32 >>> 0 }))),
          reportJson: JSON.stringify(built),
          packageFileId: repo.newIdFrom(stored.packageFileId),
          packageStore: kind,
          packageSize: (await stat(filePath)).size,
          originalName,
          fileCount: opened.files.length,
          totalBytes: opened.totalBytes,
          createdBy: opts.actorId ?? null,
        });
        if (r === 'ok') break;
        if (attempt > 10) throw new Error('could not allocate a version number');
      }
      await cache.adopt(tmpDir, versionId);
      tmpDir = undefined;
      // published before the answer: whoever reads "published" can launch it, on any instance
      if (opts.publish) await repo.setPublished(module.id, versionId);
      await notes.end(versionId, kind);
      return { module: (await repo.findModule(module.id))!, version: (await repo.findVersion(versionId))!, report: built };
    } catch (err) {
      if (versionId) {
        await repo.deleteUnlaunchedVersion(versionId).catch(() => false);
        // what this import stored (its staged copy among its temp files) goes, then its note
        await cache.discard({ id: versionId, packageFileId: versionId, packageStore: kind }).catch(() => {});
        await notes.end(versionId, kind).catch(() => {});
      }
      if (createdModule) await repo.deleteModule(createdModule.id).catch(() => {});
      throw err;
    } finally {
      opened.close();
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
    }
  }

  /** A module archive (our own export): every version in order, numbers and publication kept. */
  async function importModuleArchive(filePath: string, opts: ImportOptions): Promise<ImportResult> {
    const archive = await readModuleArchive(filePath, limits, cache);
    const done: ImportResult[] = [];
    try {
      let moduleSlug = opts.moduleSlug;
      const moduleTitle = opts.moduleTitle ?? archive.meta.module.title;
      for (const v of archive.versions) {
        const r = await importOne(v.file, {
          ...opts,
          // the archive's versions are its own temp files
          tempFile: true,
          moduleSlug: moduleSlug ?? archive.meta.module.slug,
          moduleTitle,
          originalName: v.originalName,
          publish: v.published || undefined,
          preferredNumber: v.number,
        });
        moduleSlug = r.module.id;
        done.push(r);
      }
    } catch (err) {
      for (const r of done.reverse()) {
        await repo.deleteUnlaunchedVersion(r.version.id);
        await cache.discard(r.version);
      }
      const first = done[done.length - 1];
      if (first && (await repo.listVersions(first.module.id)).length === 0) await repo.deleteModule(first.module.id);
      throw err;
    } finally {
      await archive.cleanup();
    }
    const last = done[done.length - 1]!;
    const module = (await repo.findModule(last.module.id))!;
    if (opts.publish && !module.publishedVersionId) await repo.setPublished(module.id, last.version.id);
    const chosen = done.find((d) => d.version.id === module.publishedVersionId) ?? last;
    return { module: (await repo.findModule(module.id))!, version: chosen.version, report: chosen.report };
  }

  return { importPackage: (filePath: string, opts: ImportOptions = {}) => importOne(filePath, opts) };
}
