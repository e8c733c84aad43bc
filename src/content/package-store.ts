import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import { ReportBuilder } from './report.ts';
import { extractZip } from './zip-extract.ts';
import { inspectZip, type PackageLimits } from './zip-inspect.ts';

export const BUCKET = 'content';

/**
 * Where package files live. The original zip of every version is stored once in the GridFS bucket
 * "content": the source of truth that every app instance shares. Each instance keeps an extracted
 * copy under DATA_DIR/content-cache/<versionId> to serve from; it is made at import, or on the first
 * request after a restart or on another instance, from GridFS. Directories appear only complete
 * (extracted into a temp name, then renamed). A freshly imported zip waits in content-cache/.pending
 * until its copy into GridFS is complete (package-storing.ts).
 */
const CHUNK_BYTES = 1024 * 1024;
const CHUNKS_IN_FLIGHT = 4;
const objectId = (id: string | mongoose.Types.ObjectId) => (typeof id === 'string' ? new mongoose.Types.ObjectId(id) : id);

export function createPackageStore(opts: { connection: Connection; cacheDir: string; limits: PackageLimits }) {
  const bucket = () => new mongoose.mongo.GridFSBucket(opts.connection.db!, { bucketName: BUCKET });
  const cacheRoot = path.resolve(opts.cacheDir);
  const tmpRoot = path.join(cacheRoot, '.tmp');
  const pendingRoot = path.join(cacheRoot, '.pending');
  const extracting = new Map<string, Promise<string>>();
  /** Versions known to be extracted here: the hot path then needs no stat. */
  const ready = new Set<string>();
  let seq = 0;

  /** Version ids become file names: nothing but 24 hex digits gets that far. */
  const checkedId = (versionId: string) => {
    if (!/^[a-f0-9]{24}$/.test(versionId)) throw new Error('bad version id');
    return versionId;
  };
  const versionDir = (versionId: string) => path.join(cacheRoot, checkedId(versionId));

  return {
    cacheRoot,
    versionDir,
    /** A fresh temp path inside the cache (same file system, so the final rename is atomic). */
    async tempPath(label: string): Promise<string> {
      await mkdir(tmpRoot, { recursive: true });
      seq += 1;
      return path.join(tmpRoot, `${label}-${process.pid}-${Date.now()}-${seq}`);
    },
    newFileId: () => new mongoose.Types.ObjectId(),

    /** Where a version's zip waits until its copy in GridFS is complete (kept there across restarts). */
    pendingPath: (versionId: string) => path.join(pendingRoot, `${checkedId(versionId)}.zip`),
    /** Keeps the zip for the GridFS copy: a hard link when it can (no bytes copied), else a copy. */
    async keepPending(filePath: string, versionId: string): Promise<string> {
      await mkdir(pendingRoot, { recursive: true });
      const target = this.pendingPath(versionId);
      await link(filePath, target).catch(() => copyFile(filePath, target));
      return target;
    },
    async removePending(versionId: string): Promise<void> {
      await rm(this.pendingPath(versionId), { recursive: true, force: true });
    },
    /** The versions whose zip still waits here, e.g. after a restart during a copy. */
    async listPending(): Promise<string[]> {
      const names = await readdir(pendingRoot).catch(() => [] as string[]);
      return names.filter((n) => /^[a-f0-9]{24}\.zip$/.test(n)).map((n) => n.slice(0, 24));
    },

    async upload(filePath: string, fileId: string | mongoose.Types.ObjectId, filename: string, metadata: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
      // FerretDB pays per document: one at a time, 50 MB took 9.9 s in GridFS's default 255 KiB chunks,
      // 6.2 s in 1 MiB and 4.4 s in 4 MiB ones. Reads of four chunks make the driver insert four at a
      // time (it waits for every insert of one write): 1 MiB chunks are then as fast as 4 MiB ones two
      // at a time (100 MB in ≈ 2.4 s), and a first import's peak RSS growth drops from 131 MB to 90 MB.
      const up = bucket().openUploadStreamWithId(objectId(fileId), filename, { metadata, chunkSizeBytes: CHUNK_BYTES });
      try {
        await pipeline(createReadStream(filePath, { highWaterMark: CHUNKS_IN_FLIGHT * CHUNK_BYTES }), up, { signal });
      } catch (err) {
        // an aborted or failed copy rejects at once, while chunk inserts already sent are still on their
        // way: wait for them, or one lands after the caller's clean-up and stays behind as an orphan
        const until = Date.now() + 30_000;
        while (up.state.outstandingRequests > 0 && Date.now() < until) await delay(10);
        throw err;
      }
    },
    /** Removes a stored package; a partial upload (chunks without a files document) goes too. */
    async remove(fileId: string | mongoose.Types.ObjectId): Promise<void> {
      // The driver deletes the chunks even when the files document is missing (a partial upload) and
      // only then reports "File not found". A second deleteMany of our own doubled the time: on FerretDB
      // each one scans every stored chunk.
      await bucket().delete(objectId(fileId)).catch((err: unknown) => {
        if (!/file not found/i.test((err as Error).message)) throw err;
      });
    },
    download(fileId: string): Readable {
      return bucket().openDownloadStream(objectId(fileId));
    },
    async countStored(filter: Record<string, unknown> = {}): Promise<{ files: number; chunks: number }> {
      const db = opts.connection.db!;
      return {
        files: await db.collection(`${BUCKET}.files`).countDocuments(filter),
        chunks: await db.collection(`${BUCKET}.chunks`).countDocuments({}),
      };
    },

    /** Moves a completely extracted temp directory into place as the version's cache. */
    async adopt(tmpDir: string, versionId: string): Promise<void> {
      const dir = versionDir(versionId);
      await rename(tmpDir, dir).catch(async (err: NodeJS.ErrnoException) => {
        // another request extracted it meanwhile: theirs is as good as ours
        if (err.code === 'ENOTEMPTY' || err.code === 'EEXIST') await rm(tmpDir, { recursive: true, force: true });
        else throw err;
      });
    },
    /** Forgets that a version is extracted here, so the next request checks the disk again. */
    forget(versionId: string): void {
      ready.delete(versionId);
    },
    async removeCache(versionId: string): Promise<void> {
      ready.delete(versionId);
      await rm(versionDir(versionId), { recursive: true, force: true });
    },

    /** The version's extracted directory, made from GridFS when this instance has none yet. */
    ensureExtracted(versionId: string, packageFileId: string): Promise<string> {
      const dir = versionDir(versionId);
      if (ready.has(versionId)) return Promise.resolve(dir);
      const running = extracting.get(versionId);
      if (running) return running;
      const job = (async () => {
        if (await stat(dir).then(() => true, () => false)) return dir;
        const zipPath = await this.tempPath(`dl-${versionId}`);
        const outDir = await this.tempPath(`x-${versionId}`);
        try {
          await pipeline(this.download(packageFileId), createWriteStream(zipPath));
          const report = new ReportBuilder();
          const opened = await inspectZip(zipPath, opts.limits, report);
          if (!opened) throw new Error(`stored package ${packageFileId} cannot be opened`);
          try {
            await extractZip(opened, outDir, { maxTotalBytes: opts.limits.maxTotalBytes });
          } finally {
            opened.close();
          }
          await this.adopt(outDir, versionId);
          return dir;
        } catch (err) {
          await rm(outDir, { recursive: true, force: true });
          throw err;
        } finally {
          await rm(zipPath, { force: true });
        }
      })();
      extracting.set(versionId, job);
      job.then(() => ready.add(versionId), () => {}).finally(() => extracting.delete(versionId)).catch(() => {});
      return job;
    },
  };
}
export type PackageStore = ReturnType<typeof createPackageStore>;
