import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isObjectId } from '../shared/object-id.ts';
import type { PackageBlobs, StoredPackage } from './package-blobs.ts';
import { ReportBuilder } from './report.ts';
import { extractZip } from './zip-extract.ts';
import { inspectZip, type OpenedZip, type PackageLimits } from './zip-inspect.ts';

/** A version as the cache needs it: its id (the directory's name) and where its zip is stored. */
export interface CachedVersion extends StoredPackage {
  id: string;
}

/**
 * The extracted files of each version on this instance's disk, under DATA_DIR/content-cache/<versionId>,
 * to serve from. The zip in the blob store (package-blobs.ts) is the source of truth: a copy is made at
 * import, or on the first request after a restart or on another instance, from the blob, through the
 * importer's own checks (inspectZip, then extractZip in a worker). Directories appear only complete
 * (extracted into .tmp, then renamed). .pending holds zips an earlier release left waiting for their
 * copy into GridFS (import-recovery.ts finishes them).
 *
 * `discard` is the one way a version's files go: its blob, its copy, its temp files, its waiting zip.
 */
export function createVersionCache(opts: { root: string; blobs: PackageBlobs; limits: PackageLimits }) {
  const { blobs, limits } = opts;
  const root = path.resolve(opts.root);
  const tmpRoot = path.join(root, '.tmp');
  const pendingRoot = path.join(root, '.pending');
  const extracting = new Map<string, Promise<string>>();
  /** Versions known to be extracted here: the hot path then needs no stat. */
  const ready = new Set<string>();
  let seq = 0;

  /** Version ids become file names: nothing but an ObjectId's 24 hex digits gets that far. */
  const checkedId = (versionId: string) => {
    if (!isObjectId(versionId)) throw new Error('bad version id');
    return versionId;
  };
  const dirOf = (versionId: string) => path.join(root, checkedId(versionId));
  const pendingPath = (versionId: string) => path.join(pendingRoot, `${checkedId(versionId)}.zip`);

  /** A fresh temp path inside the cache (same file system, so the final rename is atomic). */
  async function tempPath(label: string): Promise<string> {
    await mkdir(tmpRoot, { recursive: true });
    seq += 1;
    return path.join(tmpRoot, `${label}-${process.pid}-${Date.now()}-${seq}`);
  }

  /** Inflates an inspected zip into a temp directory for the version; nothing stays behind when that fails. */
  async function stage(versionId: string, opened: OpenedZip, label = 'x'): Promise<string> {
    const dir = await tempPath(`${label}-${checkedId(versionId)}`);
    try {
      await extractZip(opened, dir, { maxTotalBytes: limits.maxTotalBytes });
      return dir;
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Moves a completely extracted temp directory into place as the version's copy. */
  async function adopt(tmpDir: string, versionId: string): Promise<void> {
    await rename(tmpDir, dirOf(versionId)).catch(async (err: NodeJS.ErrnoException) => {
      // another request extracted it meanwhile: theirs is as good as ours
      if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') await rm(tmpDir, { recursive: true, force: true });
      else throw err;
    });
  }

  /** Makes the version's copy from its stored zip: read in place from the file store, fetched first from GridFS. */
  async function extractFromBlob(v: CachedVersion): Promise<void> {
    const local = await blobs.localPath(v);
    const zipPath = local ?? (await tempPath(`dl-${checkedId(v.id)}`));
    try {
      if (!local) await pipeline(blobs.open(v), createWriteStream(zipPath));
      const opened = await inspectZip(zipPath, limits, new ReportBuilder());
      if (!opened) throw new Error(`stored package ${v.packageFileId} cannot be opened`);
      try {
        await adopt(await stage(v.id, opened), v.id);
      } finally {
        opened.close();
      }
    } finally {
      if (!local) await rm(zipPath, { force: true });
    }
  }

  /** Forgets that a version is extracted here, so the next `ensure` looks at the disk again. */
  const evict = (versionId: string) => {
    ready.delete(versionId);
  };

  const cache = {
    root,
    dirOf,
    tempPath,
    stage,
    adopt,
    evict,

    /** The version's extracted directory, made from its stored zip when this instance has none yet. */
    ensure(v: CachedVersion): Promise<string> {
      const dir = dirOf(v.id);
      if (ready.has(v.id)) return Promise.resolve(dir);
      const running = extracting.get(v.id);
      if (running) return running;
      const job = (async () => {
        if (
          !(await stat(dir).then(
            () => true,
            () => false,
          ))
        )
          await extractFromBlob(v);
        return dir;
      })();
      extracting.set(v.id, job);
      job
        .then(
          () => ready.add(v.id),
          () => {},
        )
        .finally(() => extracting.delete(v.id))
        .catch(() => {});
      return job;
    },

    /**
     * Removes everything stored of a version's package: the zip in its blob store, the extracted copy,
     * temp files an import or extraction of it left, an earlier release's zip waiting for GridFS.
     * Idempotent: what is already gone is no error.
     */
    async discard(v: CachedVersion): Promise<void> {
      evict(v.id);
      await blobs.remove(v);
      await rm(dirOf(v.id), { recursive: true, force: true });
      await cache.removeTemp(v.id);
      await cache.removePending(v.id);
    },

    /** Removes the temp files a crashed import or extraction of this version left. */
    async removeTemp(versionId: string): Promise<void> {
      const mark = `-${checkedId(versionId)}-`;
      for (const n of await readdir(tmpRoot).catch(() => [] as string[]))
        if (n.includes(mark)) await rm(path.join(tmpRoot, n), { recursive: true, force: true });
    },

    /** Where an earlier release's zip waits for its copy into GridFS (kept there across restarts). */
    pendingPath,
    async removePending(versionId: string): Promise<void> {
      await rm(pendingPath(versionId), { recursive: true, force: true });
    },
    /** The versions whose zip still waits here, e.g. after a restart during a copy. */
    async listPending(): Promise<string[]> {
      const names = await readdir(pendingRoot).catch(() => [] as string[]);
      return names.filter((n) => n.endsWith('.zip') && isObjectId(n.slice(0, -4))).map((n) => n.slice(0, -4));
    },
  };
  return cache;
}
export type VersionCache = ReturnType<typeof createVersionCache>;
