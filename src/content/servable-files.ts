import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DomainError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { requireStored } from './import-recovery.ts';
import type { ContentRepository, ContentVersion } from './repository.ts';
import { createSmallFileCache } from './small-file-cache.ts';
import type { PackageFile, PackageFormat } from './types.ts';
import type { CachedVersion, VersionCache } from './version-cache.ts';

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

const notFound = () => new DomainError('not-found', 'content:errors.versionNotFound');

/** Caches each version's file index in memory: versions never change, so entries never go stale. */
type IndexEntry = CachedVersion & { moduleId: string; format: PackageFormat; createdAt: Date; files: Map<string, PackageFile> };
function createIndexCache(max = 100) {
  const map = new Map<string, IndexEntry>();
  return {
    get: (id: string) => map.get(id),
    set(id: string, v: ContentVersion) {
      if (map.size >= max) map.delete(map.keys().next().value!);
      const entry: IndexEntry = {
        id: v.id,
        moduleId: v.moduleId,
        format: v.format,
        packageFileId: v.packageFileId,
        packageStore: v.packageStore,
        createdAt: v.createdAt,
        files: new Map(v.files.map((f) => [f.path, f])),
      };
      map.set(id, entry);
      return entry;
    },
    delete: (id: string) => map.delete(id),
  };
}

/**
 * The files of versions as the content origin serves them: looked up in the version's file index
 * (nothing that is not a file of the package reaches the disk), read from this instance's copy
 * (version-cache.ts), small ones from memory.
 */
export function createServableFiles(deps: { repo: ContentRepository; cache: VersionCache; logger: Logger }) {
  const { repo, cache, logger } = deps;
  const index = createIndexCache();
  // pages, scripts and styles are answered from memory; large files (video) always stream from disk
  const smallFiles = createSmallFileCache({ maxFileBytes: 128 * 1024, maxTotalBytes: 32 * 1024 ** 2 });

  async function versionIndex(versionId: string) {
    const cached = index.get(versionId);
    if (cached) return cached;
    const v = await repo.findVersion(versionId);
    if (!v) throw notFound();
    return index.set(versionId, v);
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

  const files = {
    /** A package file ready to serve; not-found for anything that is not a file of the version. */
    async resolve(versionId: string, filePath: string): Promise<ServableFile> {
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
    async open(versionId: string, filePath: string): Promise<Readable> {
      const f = await files.resolve(versionId, filePath);
      const body = f.size === 0 ? Buffer.alloc(0) : await f.read(0, f.size - 1);
      return Buffer.isBuffer(body) ? Readable.from([body]) : body;
    },
    /** Forgets a version's file index (it is being deleted). */
    forget: (versionId: string) => {
      index.delete(versionId);
    },
  };
  return files;
}
