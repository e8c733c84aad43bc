import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { analysePackage } from './analyse-package.ts';
import { MODULE_ARCHIVE_FILE, readModuleArchive } from './module-archive.ts';
import type { PackageStore } from './package-store.ts';
import type { PackageStorer, StorageOutcome } from './package-storing.ts';
import { ReportBuilder } from './report.ts';
import type { ContentModule, ContentRepository, ContentVersion } from './repository.ts';
import type { ValidationReport } from './types.ts';
import { ExtractError, extractZip } from './zip-extract.ts';
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
   * 'wait' (the default) returns once the zip is stored in GridFS, and published when asked;
   * 'background' as soon as the version is checked, extracted and recorded: the author's upload
   * answers while the copy into GridFS follows (see package-storing.ts).
   */
  storage?: 'wait' | 'background';
}
export interface ImportResult {
  module: ContentModule;
  version: ContentVersion;
  report: ValidationReport;
  /** How the copy into GridFS ended (already settled with storage 'wait'). */
  stored: Promise<StorageOutcome>;
}

/** The refusal every caller sees: a validation error that carries the report. */
export const refused = (report: ValidationReport) => new DomainError('validation', 'content:errors.refused', { report });

/** "Q1 · Technik" → "q1-technik": German letters spelled out, the rest reduced to a-z, 0-9 and "-". */
export function slugify(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
    .slice(0, 60).replace(/-+$/, '');
  return s || 'modul';
}

interface Deps {
  repo: ContentRepository;
  store: PackageStore;
  storer: PackageStorer;
  limits: PackageLimits;
  clock: Clock;
}

/**
 * Import: inspect the zip's central directory (nothing inflated) → read and check the descriptor →
 * inflate into a temp cache directory (a worker thread) → record the version → copy the original zip
 * into GridFS (package-storing.ts). Any refusal or failure removes everything this import made.
 */
export function createImporter(deps: Deps) {
  const { repo, store, storer, limits } = deps;

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

  async function importOne(filePath: string, opts: ImportOptions & { preferredNumber?: number }): Promise<ImportResult> {
    const report = new ReportBuilder();
    const opened = await inspectZip(filePath, limits, report);
    if (!opened) throw refused(report.build());
    if (opened.byPath.has(MODULE_ARCHIVE_FILE)) {
      opened.close();
      return importModuleArchive(filePath, opts);
    }
    const fileId = store.newFileId();
    let tmpDir: string | undefined;
    let createdModule: ContentModule | undefined;
    let versionId: string | undefined;
    try {
      const analysed = await analysePackage(opened, report, limits.maxManifestBytes);
      if (!analysed) throw refused(report.build());
      versionId = repo.newId().toString();
      tmpDir = await store.tempPath(`import-${versionId}`);
      const originalName = path.basename(opts.originalName ?? filePath);
      // the zip is kept for its copy into GridFS while every file is inflated and checked against its declared size and CRC
      const [kept, ex] = await Promise.allSettled([
        store.keepPending(filePath, versionId),
        extractZip(opened, tmpDir, { maxTotalBytes: limits.maxTotalBytes }),
      ]);
      if (ex.status === 'rejected') {
        if (ex.reason instanceof ExtractError) {
          report.error(ex.reason.code, {}, ex.reason.where);
          throw refused(report.build());
        }
        throw ex.reason;
      }
      if (kept.status === 'rejected') throw kept.reason;

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
          packageFileId: fileId,
          packageSize: (await stat(filePath)).size,
          publishWhenStored: Boolean(opts.publish),
          originalName,
          fileCount: opened.files.length,
          totalBytes: opened.totalBytes,
          createdBy: opts.actorId ?? null,
        });
        if (r === 'ok') break;
        if (attempt > 10) throw new Error('could not allocate a version number');
      }
      await store.adopt(tmpDir, versionId);
      tmpDir = undefined;
      let version = (await repo.findVersion(versionId))!;
      const stored = storer.start(version);
      if (opts.storage !== 'background') {
        if ((await stored) === 'failed') throw new Error('the package could not be stored in GridFS');
        version = (await repo.findVersion(versionId))!;
      }
      return { module: (await repo.findModule(module.id))!, version, report: built, stored };
    } catch (err) {
      if (versionId) {
        await repo.deleteUnlaunchedVersion(versionId).catch(() => false);
        await store.removeCache(versionId).catch(() => {});
        await store.removePending(versionId).catch(() => {});
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
    const archive = await readModuleArchive(filePath, limits, store);
    const done: ImportResult[] = [];
    try {
      let moduleSlug = opts.moduleSlug;
      const moduleTitle = opts.moduleTitle ?? archive.meta.module.title;
      for (const v of archive.versions) {
        const r = await importOne(v.file, {
          ...opts,
          // the archive's publication is settled below, once every version is stored
          storage: 'wait',
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
        await store.remove(r.version.packageFileId);
        await store.removeCache(r.version.id);
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
    return { module: (await repo.findModule(module.id))!, version: chosen.version, report: chosen.report, stored: chosen.stored };
  }

  return { importPackage: (filePath: string, opts: ImportOptions = {}) => importOne(filePath, opts) };
}
