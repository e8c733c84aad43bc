import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose, { type Connection } from 'mongoose';
import { BUCKET, createFileBlobs, createGridFsBlobs, type BlobStore, type BlobStoreKind, type PutOptions } from './package-blobs.ts';
import { ReportBuilder } from './report.ts';
import { extractZip } from './zip-extract.ts';
import { inspectZip, type PackageLimits } from './zip-inspect.ts';


/**
 * Where package files live. The original zip of every version is kept once in a blob store (the
 * source of truth; package-blobs.ts): GridFS, shared by every app instance on the database, or files
 * under DATA_DIR/packages for a single instance. New versions go to the configured one; each version
 * records its own, so reads find the zip wherever it was put. Each instance keeps an extracted copy
 * under DATA_DIR/content-cache/<versionId> to serve from; it is made at import, or on the first
 * request after a restart or on another instance, from the blob. Directories appear only complete
 * (extracted into a temp name, then renamed). content-cache/.pending holds zips an earlier release
 * left waiting for their copy into GridFS (package-storing.ts).
 */
export function createPackageStore(opts: { connection: Connection; cacheDir: string; blobDir: string; writeTo: BlobStoreKind; limits: PackageLimits }) {
  const blobs: Record<BlobStoreKind, BlobStore> = { gridfs: createGridFsBlobs(opts.connection), file: createFileBlobs(opts.blobDir) };
  const blobsOf = (kind: BlobStoreKind | undefined) => blobs[kind ?? 'gridfs'];
  const cacheRoot = path.resolve(opts.cacheDir);
  const tmpRoot = path.join(cacheRoot, '.tmp');
  const pendingRoot = path.join(cacheRoot, '.pending');
  const importingRoot = path.join(cacheRoot, '.importing');
  const extracting = new Map<string, Promise<string>>();
  /** Imports of this process now running (their notes are not a crashed process's). */
  const importing = new Set<string>();
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
    /** The store new versions are put into (PACKAGE_STORE). */
    writeTo: opts.writeTo,
    /** A fresh temp path inside the cache (same file system, so the final rename is atomic). */
    async tempPath(label: string): Promise<string> {
      await mkdir(tmpRoot, { recursive: true });
      seq += 1;
      return path.join(tmpRoot, `${label}-${process.pid}-${Date.now()}-${seq}`);
    },

    /** Where an earlier release's zip waits for its copy into GridFS (kept there across restarts). */
    pendingPath: (versionId: string) => path.join(pendingRoot, `${checkedId(versionId)}.zip`),
    async removePending(versionId: string): Promise<void> {
      await rm(this.pendingPath(versionId), { recursive: true, force: true });
    },
    /** The versions whose zip still waits here, e.g. after a restart during a copy. */
    async listPending(): Promise<string[]> {
      const names = await readdir(pendingRoot).catch(() => [] as string[]);
      return names.filter((n) => /^[a-f0-9]{24}\.zip$/.test(n)).map((n) => n.slice(0, 24));
    },

    /**
     * Notes that this process is putting a version's zip into the store `kind`, until done: after a
     * crash the next start removes what such an import left half-stored (package-storing.ts).
     */
    async beginImport(versionId: string, kind: BlobStoreKind): Promise<void> {
      importing.add(versionId);
      await mkdir(importingRoot, { recursive: true });
      await writeFile(path.join(importingRoot, `${checkedId(versionId)}.${kind}.${process.pid}`), '');
    },
    async endImport(versionId: string, kind: BlobStoreKind, pid = process.pid): Promise<void> {
      if (pid === process.pid) importing.delete(versionId);
      await rm(path.join(importingRoot, `${checkedId(versionId)}.${kind}.${pid}`), { force: true });
    },
    isImportingHere: (versionId: string) => importing.has(versionId),
    /** The imports noted as running (by any process on this DATA_DIR, the CLI's too). */
    async listImports(): Promise<Array<{ versionId: string; kind: BlobStoreKind; pid: number }>> {
      const names = await readdir(importingRoot).catch(() => [] as string[]);
      return names.flatMap((n) => {
        const m = /^([a-f0-9]{24})\.(gridfs|file)\.(\d+)$/.exec(n);
        return m ? [{ versionId: m[1]!, kind: m[2] as BlobStoreKind, pid: Number(m[3]) }] : [];
      });
    },

    /** Puts a version's zip into the store `kind` (new versions: writeTo); complete and durable once it resolves. */
    upload(filePath: string, fileId: string | mongoose.Types.ObjectId, kind: BlobStoreKind | undefined, put: PutOptions): Promise<void> {
      return blobsOf(kind).put(filePath, fileId.toString(), put);
    },
    /** Removes a stored package; what an interrupted upload left goes too. */
    remove(fileId: string | mongoose.Types.ObjectId, kind: BlobStoreKind | undefined): Promise<void> {
      return blobsOf(kind).remove(fileId.toString());
    },
    download(fileId: string, kind: BlobStoreKind | undefined): Readable {
      return blobsOf(kind).open(fileId);
    },
    /** How many zips each store holds, and GridFS's chunks (tests check that nothing stays behind). */
    async countStored(): Promise<{ files: number; chunks: number; onDisk: number }> {
      return {
        files: await blobs.gridfs.count(),
        chunks: await opts.connection.db!.collection(`${BUCKET}.chunks`).countDocuments({}),
        onDisk: await blobs.file.count(),
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
    /** Removes the temp files a crashed import of this version left in the cache. */
    async removeTemp(versionId: string): Promise<void> {
      const names = await readdir(tmpRoot).catch(() => [] as string[]);
      for (const n of names) if (n.includes(`-${checkedId(versionId)}-`)) await rm(path.join(tmpRoot, n), { recursive: true, force: true });
    },
    /** Forgets that a version is extracted here, so the next request checks the disk again. */
    forget(versionId: string): void {
      ready.delete(versionId);
    },
    async removeCache(versionId: string): Promise<void> {
      ready.delete(versionId);
      await rm(versionDir(versionId), { recursive: true, force: true });
    },

    /** The version's extracted directory, made from its stored zip when this instance has none yet. */
    ensureExtracted(versionId: string, packageFileId: string, kind: BlobStoreKind | undefined): Promise<string> {
      const dir = versionDir(versionId);
      if (ready.has(versionId)) return Promise.resolve(dir);
      const running = extracting.get(versionId);
      if (running) return running;
      const job = (async () => {
        if (await stat(dir).then(() => true, () => false)) return dir;
        const blobs = blobsOf(kind);
        // a zip on the local disk is read where it is; one in the database is fetched first
        const local = await blobs.localPath(packageFileId);
        const zipPath = local ?? (await this.tempPath(`dl-${versionId}`));
        const outDir = await this.tempPath(`x-${versionId}`);
        try {
          if (!local) await pipeline(blobs.open(packageFileId), createWriteStream(zipPath));
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
          if (!local) await rm(zipPath, { force: true });
        }
      })();
      extracting.set(versionId, job);
      job.then(() => ready.add(versionId), () => {}).finally(() => extracting.delete(versionId)).catch(() => {});
      return job;
    },
  };
}
export type PackageStore = ReturnType<typeof createPackageStore>;
