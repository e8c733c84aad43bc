import { constants, createReadStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import mongoose, { type Connection } from 'mongoose';
import { isObjectId } from '../shared/object-id.ts';

/** Where a version's original zip lives; recorded on the version, so a changed setting never strands old ones. */
export type BlobStoreKind = 'gridfs' | 'file';

export interface PutOptions {
  filename: string;
  metadata: Record<string, unknown>;
  /** The file is a temp copy made for this import (an upload): its bytes may be taken over, not copied. */
  tempFile?: boolean;
  signal?: AbortSignal;
}

/**
 * The one interface behind which package zips are kept. `put` resolves only once the bytes are
 * durable and complete under `id` (a reader never sees half a zip); `remove` also removes what an
 * interrupted `put` left. An object store (S3 and the like) would be a third implementation.
 */
export interface BlobStore {
  kind: BlobStoreKind;
  put(filePath: string, id: string, opts: PutOptions): Promise<void>;
  open(id: string): Readable;
  /** The blob as a local file when it is one (the file store): extraction then reads it in place. */
  localPath(id: string): Promise<string | undefined>;
  remove(id: string): Promise<void>;
  /** For tests and checks: how many blobs are stored. */
  count(): Promise<number>;
}

const BUCKET = 'content';
const CHUNK_BYTES = 1024 * 1024;
const CHUNKS_IN_FLIGHT = 4;
const objectId = (id: string) => new mongoose.Types.ObjectId(id);
/** Blob ids become file names: nothing but an ObjectId's 24 hex digits gets that far. */
const checkedId = (id: string) => {
  if (!isObjectId(id)) throw new Error('bad blob id');
  return id;
};
/** "<id>.zip" → the id, for file names that are blobs (and nothing else in the folder). */
const blobIdOf = (name: string) => (name.endsWith('.zip') && isObjectId(name.slice(0, -4)) ? name.slice(0, -4) : undefined);

/**
 * The GridFS bucket "content": shared by every app instance on the database. On FerretDB it is slow
 * (≈ 45 MB/s, binary as base64 inside SQLite JSON); on MongoDB the write is durable under the
 * connection's write concern like any other.
 */
export function createGridFsBlobs(connection: Connection): BlobStore {
  const bucket = () => new mongoose.mongo.GridFSBucket(connection.db!, { bucketName: BUCKET });
  return {
    kind: 'gridfs',
    async put(filePath, id, opts) {
      // FerretDB pays per document: one at a time, 50 MB took 9.9 s in GridFS's default 255 KiB chunks,
      // 6.2 s in 1 MiB and 4.4 s in 4 MiB ones. Reads of four chunks make the driver insert four at a
      // time (it waits for every insert of one write): 1 MiB chunks are then as fast as 4 MiB ones two
      // at a time (100 MB in ≈ 2.4 s), and a first import's peak RSS growth drops from 131 MB to 90 MB.
      const up = bucket().openUploadStreamWithId(objectId(id), opts.filename, { metadata: opts.metadata, chunkSizeBytes: CHUNK_BYTES });
      try {
        await pipeline(createReadStream(filePath, { highWaterMark: CHUNKS_IN_FLIGHT * CHUNK_BYTES }), up, { signal: opts.signal });
      } catch (err) {
        // an aborted or failed copy rejects at once, while chunk inserts already sent are still on their
        // way: wait for them, or one lands after the caller's clean-up and stays behind as an orphan
        const until = Date.now() + 30_000;
        while (up.state.outstandingRequests > 0 && Date.now() < until) await delay(10);
        throw err;
      }
    },
    open: (id) => bucket().openDownloadStream(objectId(id)),
    localPath: async () => undefined,
    async remove(id) {
      // The driver deletes the chunks even when the files document is missing (a partial upload) and
      // only then reports "File not found". A second deleteMany of our own doubled the time: on FerretDB
      // each one scans every stored chunk.
      await bucket()
        .delete(objectId(id))
        .catch((err: unknown) => {
          if (!/file not found/i.test((err as Error).message)) throw err;
        });
    },
    count: () => connection.db!.collection(`${BUCKET}.files`).countDocuments({}),
  };
}

/** Flushes a file (or directory entry) to the disk: an answered import must survive a power cut. */
async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Zips as files under one directory (DATA_DIR/packages by default): for one instance, e.g. on the
 * embedded database, where GridFS on FerretDB would cost most of an import's time. Several instances
 * need a directory they all share, or GridFS. A blob appears under its final name only complete
 * (written under a temp name, flushed, renamed).
 */
export function createFileBlobs(dir: string): BlobStore {
  const root = path.resolve(dir);
  const tmpRoot = path.join(root, '.tmp');
  const file = (id: string) => path.join(root, `${checkedId(id)}.zip`);
  let seq = 0;
  return {
    kind: 'file',
    async put(filePath, id, opts) {
      await mkdir(tmpRoot, { recursive: true });
      seq += 1;
      const tmp = path.join(tmpRoot, `${checkedId(id)}-${process.pid}-${seq}`);
      try {
        // a hard link takes an upload's bytes over without copying them; any other file is copied
        // (a link would share bytes the user may later overwrite in place); a clone where the file
        // system can make one
        if (opts.tempFile) await link(filePath, tmp).catch(() => copyFile(filePath, tmp, constants.COPYFILE_FICLONE));
        else await copyFile(filePath, tmp, constants.COPYFILE_FICLONE);
        opts.signal?.throwIfAborted();
        await fsyncPath(tmp);
        await rename(tmp, file(id));
        await fsyncPath(root);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },
    open: (id) => createReadStream(file(id)),
    localPath: async (id) =>
      (await stat(file(id)).then(
        () => true,
        () => false,
      ))
        ? file(id)
        : undefined,
    async remove(id) {
      await rm(file(id), { force: true });
      // what a put of this id left when its process was killed half way
      const prefix = `${checkedId(id)}-`;
      for (const n of await readdir(tmpRoot).catch(() => [] as string[])) if (n.startsWith(prefix)) await rm(path.join(tmpRoot, n), { force: true });
    },
    async count() {
      return (await readdir(root).catch(() => [] as string[])).filter((n) => blobIdOf(n) !== undefined).length;
    },
  };
}

/** Where a version's zip is: its blob id and the store it was put into (absent on an earlier release's versions: GridFS). */
export interface StoredPackage {
  packageFileId: string;
  packageStore: BlobStoreKind | undefined;
}

/**
 * The original zip of every version, kept once (the source of truth): new versions go to the
 * configured store (PACKAGE_STORE); each version records its own, so reads find the zip wherever it
 * was put and a changed setting never strands old ones.
 */
export function createPackageBlobs(opts: { connection: Connection; blobDir: string; writeTo: BlobStoreKind }) {
  const stores: Record<BlobStoreKind, BlobStore> = { gridfs: createGridFsBlobs(opts.connection), file: createFileBlobs(opts.blobDir) };
  const storeOf = (kind: BlobStoreKind | undefined) => stores[kind ?? 'gridfs'];
  return {
    /** The store new versions are put into. */
    writeTo: opts.writeTo,
    /** Puts a zip where `pkg` says; complete and durable once it resolves. */
    put: (filePath: string, pkg: StoredPackage, put: PutOptions): Promise<void> => storeOf(pkg.packageStore).put(filePath, pkg.packageFileId, put),
    open: (pkg: StoredPackage): Readable => storeOf(pkg.packageStore).open(pkg.packageFileId),
    /** The zip as a local file when its store keeps files (it is then read in place). */
    localPath: (pkg: StoredPackage): Promise<string | undefined> => storeOf(pkg.packageStore).localPath(pkg.packageFileId),
    /** Removes a stored zip and what an interrupted put of it left; nothing there is no error. */
    remove: (pkg: StoredPackage): Promise<void> => storeOf(pkg.packageStore).remove(pkg.packageFileId),
  };
}
export type PackageBlobs = ReturnType<typeof createPackageBlobs>;
