import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { z } from 'zod';
import type { PackageBlobs } from './package-blobs.ts';
import { ReportBuilder, refused } from './report.ts';
import type { ContentModule, VersionSummary } from './repository.ts';
import type { VersionCache } from './version-cache.ts';
import { extractZip } from './zip-extract.ts';
import { inspectZip, readEntryBuffer, type PackageLimits } from './zip-inspect.ts';

/**
 * A whole module as one zip: lotse-module.json (metadata) and versions/NNN.zip (each version's
 * original package, stored uncompressed). The import recognises it by the metadata file.
 */
export const MODULE_ARCHIVE_FILE = 'lotse-module.json';

const metaSchema = z.object({
  format: z.literal('lotse-module'),
  formatVersion: z.literal(1),
  module: z.object({ slug: z.string().min(1).max(100), title: z.string().min(1).max(300), description: z.string().max(5000).default('') }),
  versions: z
    .array(
      z.object({
        number: z.number().int().min(1).max(100_000),
        file: z.string().regex(/^versions\/[0-9]{3,6}\.zip$/),
        published: z.boolean(),
        originalName: z.string().max(300).default(''),
        format: z.string(),
        createdAt: z.string(),
      }),
    )
    .min(1)
    .max(1000),
});
export type ModuleArchiveMeta = z.infer<typeof metaSchema>;

const invalid = (detail: string) => {
  const report = new ReportBuilder();
  report.error('module-archive-invalid', { detail }, MODULE_ARCHIVE_FILE);
  return refused(report.build());
};

/** Builds the module archive as a stream; the versions come straight from their blob store. */
export function buildModuleArchive(module: ContentModule, versions: VersionSummary[], blobs: PackageBlobs): Readable {
  const zip = new ZipArchive({ store: true });
  const file = (n: number) => `versions/${String(n).padStart(3, '0')}.zip`;
  const meta: ModuleArchiveMeta = {
    format: 'lotse-module',
    formatVersion: 1,
    module: { slug: module.slug, title: module.title, description: module.description },
    versions: versions.map((v) => ({
      number: v.number,
      file: file(v.number),
      published: v.id === module.publishedVersionId,
      originalName: v.originalName,
      format: v.format,
      createdAt: v.createdAt.toISOString(),
    })),
  };
  zip.append(JSON.stringify(meta, null, 2), { name: MODULE_ARCHIVE_FILE });
  for (const v of versions) zip.append(blobs.open(v), { name: file(v.number), store: true });
  void zip.finalize().catch((err: unknown) => zip.destroy(err as Error));
  return zip;
}

/** Reads a module archive: its metadata, and each version's zip extracted to a temp file. */
export async function readModuleArchive(filePath: string, limits: PackageLimits, cache: VersionCache) {
  const report = new ReportBuilder();
  const opened = await inspectZip(filePath, limits, report);
  if (!opened) throw refused(report.build());
  const dir = await cache.tempPath('module-archive');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const metaEntry = opened.byPath.get(MODULE_ARCHIVE_FILE)!;
    let meta: ModuleArchiveMeta;
    try {
      meta = metaSchema.parse(JSON.parse((await readEntryBuffer(opened, metaEntry, 1024 ** 2)).toString('utf8')));
    } catch {
      throw invalid(MODULE_ARCHIVE_FILE);
    }
    const wanted = meta.versions.map((v) => {
      const entry = opened.byPath.get(v.file);
      if (!entry) throw invalid(v.file);
      return entry;
    });
    await mkdir(dir, { recursive: true });
    await extractZip({ ...opened, files: wanted }, dir, { maxTotalBytes: limits.maxTotalBytes });
    return {
      meta,
      versions: [...meta.versions].sort((a, b) => a.number - b.number).map((v) => ({ ...v, file: path.join(dir, ...v.file.split('/')) })),
      cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  } finally {
    opened.close();
  }
}
