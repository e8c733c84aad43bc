import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import type { OpenedZip, ZipFileEntry } from './zip-inspect.ts';

/** Why extraction stopped: the stream broke a limit its header promised to keep, or the data is broken. */
export class ExtractError extends Error {
  constructor(
    readonly code: 'size-mismatch' | 'crc-mismatch' | 'zip-corrupt' | 'too-large',
    readonly where: string,
  ) {
    super(`${code}: ${where}`);
    this.name = 'ExtractError';
  }
}

/** Counts and checksums the inflated bytes; stops the moment they exceed what was declared. */
class Guard extends Transform {
  private seen = 0;
  private crc = 0;
  constructor(
    private readonly file: ZipFileEntry,
    private readonly budget: { left: number },
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    this.budget.left -= chunk.length;
    if (this.seen > this.file.size) return cb(new ExtractError('size-mismatch', this.file.path));
    if (this.budget.left < 0) return cb(new ExtractError('too-large', this.file.path));
    this.crc = crc32(chunk, this.crc);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    if (this.seen !== this.file.size) return cb(new ExtractError('size-mismatch', this.file.path));
    if (this.crc >>> 0 !== this.file.crc32 >>> 0) return cb(new ExtractError('crc-mismatch', this.file.path));
    cb();
  }
}

/**
 * Inflates every file of an inspected package into `destDir` (which must not exist yet or be empty).
 * Each path was checked by inspectZip; it is resolved once more here and must stay inside destDir.
 * Files are created exclusively ('wx'), so nothing outside is ever followed or overwritten.
 */
export async function extractZip(opened: OpenedZip, destDir: string, opts: { maxTotalBytes: number; concurrency?: number }): Promise<void> {
  const root = path.resolve(destDir);
  await mkdir(root, { recursive: true });
  const made = new Set<string>([root]);
  const budget = { left: opts.maxTotalBytes };
  let nextIndex = 0;
  let failed: unknown;

  const ensureDir = async (dir: string) => {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    made.add(dir);
  };

  const one = async (file: ZipFileEntry) => {
    const target = path.resolve(root, ...file.path.split('/'));
    if (!target.startsWith(root + path.sep)) throw new ExtractError('zip-corrupt', file.path);
    await ensureDir(path.dirname(target));
    let source;
    try {
      source = await opened.zip.openReadStreamPromise(file.entry);
    } catch {
      throw new ExtractError('zip-corrupt', file.path);
    }
    try {
      await pipeline(source, new Guard(file, budget), createWriteStream(target, { flags: 'wx' }));
    } catch (err) {
      if (err instanceof ExtractError) throw err;
      // yauzl says "too many bytes in the stream" when a deflate stream outgrows its header
      if (/too many bytes|too few bytes/i.test((err as Error).message)) throw new ExtractError('size-mismatch', file.path);
      if ((err as NodeJS.ErrnoException).code?.startsWith('E') && !(err as NodeJS.ErrnoException).code?.startsWith('Z_')) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ExtractError('zip-corrupt', file.path);
        throw err; // disk full, permissions: not the package's fault
      }
      throw new ExtractError('zip-corrupt', file.path);
    }
  };

  const worker = async () => {
    while (!failed) {
      const next = opened.files[nextIndex++];
      if (!next) return;
      try {
        await one(next);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 6 }, worker));
  if (failed) throw failed;
}
