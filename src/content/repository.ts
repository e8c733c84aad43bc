import { Types, type Connection } from 'mongoose';
import { distinct, groupBy, objectIdsIn } from '../shared/batch.ts';
import { isObjectId } from '../shared/object-id.ts';
import { contentModels, type ModuleDoc, type VersionDoc, type VersionStorage } from './model.ts';
import type { BlobStoreKind } from './package-blobs.ts';
import type { Launchable, PackageFile, PackageFormat, PackageManifest, ValidationReport } from './types.ts';

export interface ContentModule {
  id: string;
  slug: string;
  title: string;
  description: string;
  publishedVersionId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionSummary {
  id: string;
  moduleId: string;
  number: number;
  format: PackageFormat;
  edition?: number;
  title: string;
  fileCount: number;
  totalBytes: number;
  packageSize: number;
  originalName: string;
  packageFileId: string;
  /** The blob store that holds the zip (package-blobs.ts). */
  packageStore: BlobStoreKind;
  storage: VersionStorage;
  launchedAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
}

/** A version with its launch model: what the player needs to start it. */
export interface ContentVersion extends VersionSummary {
  manifest: PackageManifest;
  launchables: Launchable[];
  files: PackageFile[];
  report: ValidationReport;
}

const toModule = (d: ModuleDoc): ContentModule => ({
  id: d._id.toString(),
  slug: d.slug,
  title: d.title,
  description: d.description ?? '',
  publishedVersionId: d.publishedVersionId ?? null,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

type SummaryDoc = Omit<VersionDoc, 'manifestJson' | 'launchablesJson' | 'filesJson' | 'reportJson'>;
const toSummary = (d: SummaryDoc): VersionSummary => ({
  id: d._id.toString(),
  moduleId: d.moduleId,
  number: d.number,
  format: d.format,
  ...(d.edition ? { edition: d.edition } : {}),
  title: d.title,
  fileCount: d.fileCount,
  totalBytes: d.totalBytes,
  packageSize: d.packageSize,
  originalName: d.originalName,
  packageFileId: d.packageFileId.toString(),
  packageStore: d.packageStore ?? 'gridfs',
  // versions recorded before the storage state existed were stored before they were recorded
  storage: d.storage ?? 'stored',
  launchedAt: d.launchedAt ?? null,
  createdBy: d.createdBy ?? null,
  createdAt: d.createdAt,
});
const toVersion = (d: VersionDoc): ContentVersion => ({
  ...toSummary(d),
  manifest: JSON.parse(d.manifestJson) as PackageManifest,
  launchables: JSON.parse(d.launchablesJson) as Launchable[],
  files: JSON.parse(d.filesJson) as PackageFile[],
  report: JSON.parse(d.reportJson) as ValidationReport,
});
const SUMMARY = { manifestJson: 0, launchablesJson: 0, filesJson: 0, reportJson: 0 };

/** The only place that touches content_modules and content_versions. */
export function createContentRepository(connection: Connection) {
  const { Module, Version } = contentModels(connection);
  return {
    async findModule(idOrSlug: string): Promise<ContentModule | undefined> {
      const d = isObjectId(idOrSlug)
        ? ((await Module.findById(idOrSlug).lean<ModuleDoc>()) ?? (await Module.findOne({ slug: idOrSlug }).lean<ModuleDoc>()))
        : await Module.findOne({ slug: idOrSlug }).lean<ModuleDoc>();
      return d ? toModule(d) : undefined;
    },
    /** Modules by slug, in one query; slugs nobody uses are left out. */
    async findModulesBySlugs(slugs: string[]): Promise<ContentModule[]> {
      if (!slugs.length) return [];
      return (await Module.find({ slug: { $in: distinct(slugs) } }).lean<ModuleDoc[]>()).map(toModule);
    },
    async listModules(publishedOnly: boolean): Promise<ContentModule[]> {
      const filter = publishedOnly ? { publishedVersionId: { $ne: null } } : {};
      return (await Module.find(filter).sort({ title: 1 }).lean<ModuleDoc[]>()).map(toModule);
    },
    /** Creates the module or returns 'duplicate' when the slug is taken (a concurrent import). */
    async insertModule(m: { slug: string; title: string; description?: string }): Promise<ContentModule | 'duplicate'> {
      try {
        const d = await Module.create({ ...m, description: m.description ?? '', publishedVersionId: null });
        return toModule(d.toObject());
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return 'duplicate';
        throw err;
      }
    },
    async deleteModule(id: string): Promise<void> {
      await Module.deleteOne({ _id: id });
    },
    async setPublished(moduleId: string, versionId: string | null): Promise<void> {
      await Module.updateOne({ _id: moduleId }, { $set: { publishedVersionId: versionId } });
    },
    async maxVersionNumber(moduleId: string): Promise<number> {
      const d = await Version.findOne({ moduleId }, { number: 1 }).sort({ number: -1 }).lean<{ number: number }>();
      return d?.number ?? 0;
    },
    /** Inserts a version whose zip is stored; 'duplicate' when its number was taken meanwhile (the caller picks the next). */
    async insertVersion(v: Omit<VersionDoc, 'createdAt' | 'launchedAt' | 'storage' | 'publishWhenStored'>): Promise<'ok' | 'duplicate'> {
      try {
        await Version.create({ ...v, storage: 'stored', publishWhenStored: false, launchedAt: null });
        return 'ok';
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return 'duplicate';
        throw err;
      }
    },
    async findVersion(id: string): Promise<ContentVersion | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Version.findById(id).lean<VersionDoc>();
      return d ? toVersion(d) : undefined;
    },
    async findVersionSummary(id: string): Promise<VersionSummary | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Version.findById(id, SUMMARY).lean<SummaryDoc>();
      return d ? toSummary(d) : undefined;
    },
    async listVersions(moduleId: string): Promise<VersionSummary[]> {
      return (await Version.find({ moduleId }, SUMMARY).sort({ number: 1 }).lean<SummaryDoc[]>()).map(toSummary);
    },
    /** The versions of many modules in one query (index moduleId+number), by module id, oldest first. */
    async listVersionsOf(moduleIds: string[]): Promise<Map<string, VersionSummary[]>> {
      const docs = moduleIds.length
        ? await Version.find({ moduleId: { $in: distinct(moduleIds) } }, SUMMARY)
            .sort({ moduleId: 1, number: 1 })
            .lean<SummaryDoc[]>()
        : [];
      return groupBy(docs.map(toSummary), (v) => v.moduleId, moduleIds);
    },
    /** Whole versions (with their launch model) by id, in one query. */
    async findVersions(ids: string[]): Promise<ContentVersion[]> {
      const valid = objectIdsIn(ids);
      if (!valid.length) return [];
      return (await Version.find({ _id: { $in: valid } }).lean<VersionDoc[]>()).map(toVersion);
    },
    /**
     * Ends a 'storing' version's copy (an earlier release's import): 'stored' (published first, when that was asked for, so whoever
     * sees it stored also sees it published) or 'failed'. False when the version is gone or no longer
     * storing, e.g. deleted meanwhile (a publication made for it is taken back).
     */
    async finishStoring(id: string, outcome: 'stored' | 'failed'): Promise<boolean> {
      const pending = await Version.findOne({ _id: id, storage: 'storing' }, { moduleId: 1, publishWhenStored: 1 }).lean<VersionDoc>();
      if (!pending) return false;
      const publish = outcome === 'stored' && pending.publishWhenStored;
      if (publish) await Module.updateOne({ _id: pending.moduleId }, { $set: { publishedVersionId: id } });
      const d = await Version.findOneAndUpdate({ _id: id, storage: 'storing' }, { $set: { storage: outcome } }).lean<VersionDoc>();
      if (!d && publish) await Module.updateOne({ _id: pending.moduleId, publishedVersionId: id }, { $set: { publishedVersionId: null } });
      return Boolean(d);
    },
    async markLaunched(id: string, at: Date): Promise<boolean> {
      if (!isObjectId(id)) return false;
      const found = await Version.findOne({ _id: id }, { launchedAt: 1 }).lean<{ launchedAt: Date | null }>();
      if (!found) return false;
      if (!found.launchedAt) await Version.updateOne({ _id: id, launchedAt: null }, { $set: { launchedAt: at } });
      return true;
    },
    /** Deletes only a never-launched version: the condition is part of the delete itself. */
    async deleteUnlaunchedVersion(id: string): Promise<boolean> {
      const r = await Version.deleteOne({ _id: id, launchedAt: null });
      return r.deletedCount === 1;
    },
    newId: () => new Types.ObjectId(),
    newIdFrom: (id: string) => new Types.ObjectId(id),
  };
}
export type ContentRepository = ReturnType<typeof createContentRepository>;
