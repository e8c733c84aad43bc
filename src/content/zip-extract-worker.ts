/**
 * The extraction worker thread. It inflates an inspected package into a directory with synchronous
 * file and zlib calls, the way `unzip` does: one read and one write per small file, 1 MiB blocks for
 * big ones. Run on the main thread, the same work costs about twice the CPU in stream and thread-pool
 * hand-offs (measured with the 135 MB benchmark package) and would stall every request meanwhile.
 *
 * It trusts nothing but what inspectZip checked in the central directory: each local header is read
 * and bounded again, every file's inflated size and CRC-32 must match its declaration, files are
 * created exclusively inside the destination, and an inflation that outgrows its header stops at once.
 */
import { closeSync, createReadStream, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';

export type ExtractErrorCode = 'size-mismatch' | 'crc-mismatch' | 'zip-corrupt' | 'too-large';

export interface ExtractEntry {
  /** The normalised path inside the package ("a/b.html"). */
  path: string;
  /** 0 = stored, 8 = deflated (inspectZip refuses every other method). */
  method: number;
  localHeaderOffset: number;
  compressedSize: number;
  size: number;
  crc32: number;
}
export interface ExtractJob {
  zipPath: string;
  destDir: string;
  files: ExtractEntry[];
  maxTotalBytes: number;
}
export type ExtractReply = { ok: true } | { ok: false; code: ExtractErrorCode; where: string } | { ok: false; system: string; errno?: string };

class Refusal extends Error {
  constructor(
    readonly code: ExtractErrorCode,
    readonly where: string,
  ) {
    super(code);
  }
}

const BLOCK = 1024 * 1024;
/** Deflated files up to this size are inflated in one call; bigger ones stream (bounded memory). */
const WHOLE_FILE_LIMIT = 8 * 1024 * 1024;
const LOCAL_HEADER = 30;
const LOCAL_SIGNATURE = 0x04034b50;

async function extract(job: ExtractJob): Promise<void> {
  const root = path.resolve(job.destDir);
  mkdirSync(root, { recursive: true });
  const made = new Set<string>([root]);
  const zip = openSync(job.zipPath, 'r');
  const header = Buffer.alloc(LOCAL_HEADER);
  let block = Buffer.allocUnsafe(BLOCK);
  let budget = job.maxTotalBytes;
  try {
    for (const file of job.files) {
      budget -= file.size;
      if (budget < 0) throw new Refusal('too-large', file.path);
      const target = path.resolve(root, ...file.path.split('/'));
      if (!target.startsWith(root + path.sep)) throw new Refusal('zip-corrupt', file.path);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const start = dataStart(zip, header, file);
      const out = openExclusive(target, file.path);
      try {
        if (file.method === 0) {
          if (file.compressedSize !== file.size) throw new Refusal('size-mismatch', file.path);
          let crc = 0;
          for (let done = 0; done < file.size;) {
            const n = readFully(zip, block, Math.min(BLOCK, file.size - done), start + done, file.path);
            crc = crc32(block.subarray(0, n), crc);
            writeFully(out, block.subarray(0, n));
            done += n;
          }
          checkCrc(crc, file);
        } else if (file.size <= WHOLE_FILE_LIMIT && file.compressedSize <= WHOLE_FILE_LIMIT) {
          if (block.length < file.compressedSize) block = Buffer.allocUnsafe(file.compressedSize);
          readFully(zip, block, file.compressedSize, start, file.path);
          const data = inflateWhole(block.subarray(0, file.compressedSize), file);
          checkCrc(crc32(data), file);
          writeFully(out, data);
        } else {
          await inflateStreaming(job.zipPath, start, file, out);
        }
      } finally {
        closeSync(out);
      }
    }
  } finally {
    closeSync(zip);
  }
}

/** Where the entry's data begins: after its local header, whose name and extra field may differ in length from the central directory's. */
function dataStart(zip: number, header: Buffer, file: ExtractEntry): number {
  readFully(zip, header, LOCAL_HEADER, file.localHeaderOffset, file.path);
  if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Refusal('zip-corrupt', file.path);
  return file.localHeaderOffset + LOCAL_HEADER + header.readUInt16LE(26) + header.readUInt16LE(28);
}

function readFully(fd: number, into: Buffer, length: number, position: number, where: string): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, into, got, length - got, position + got);
    if (n === 0) throw new Refusal('zip-corrupt', where); // the package ends inside this entry
    got += n;
  }
  return got;
}

function writeFully(fd: number, data: Buffer): void {
  for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done);
}

function openExclusive(target: string, where: string): number {
  try {
    return openSync(target, 'wx');
  } catch (err) {
    // a second entry for the same file, or a file where a folder must go: the package is malformed
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') throw new Refusal('zip-corrupt', where);
    throw err;
  }
}

function inflateWhole(compressed: Buffer, file: ExtractEntry): Buffer {
  let data: Buffer;
  try {
    // one byte more than declared: an entry that inflates beyond its header is caught, not truncated
    data = inflateRawSync(compressed, { maxOutputLength: file.size + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Refusal('size-mismatch', file.path);
    throw new Refusal('zip-corrupt', file.path);
  }
  if (data.length !== file.size) throw new Refusal('size-mismatch', file.path);
  return data;
}

async function inflateStreaming(zipPath: string, start: number, file: ExtractEntry, out: number): Promise<void> {
  if (file.compressedSize === 0) throw new Refusal('zip-corrupt', file.path);
  const source = createReadStream(zipPath, { start, end: start + file.compressedSize - 1, highWaterMark: BLOCK });
  const inflater = createInflateRaw({ chunkSize: BLOCK });
  source.on('error', (err) => inflater.destroy(err));
  let seen = 0;
  let crc = 0;
  try {
    for await (const chunk of source.pipe(inflater) as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > file.size) throw new Refusal('size-mismatch', file.path);
      crc = crc32(chunk, crc);
      writeFully(out, chunk);
    }
  } catch (err) {
    source.destroy();
    if (err instanceof Refusal) throw err;
    if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new Refusal('zip-corrupt', file.path);
    throw err;
  }
  if (seen !== file.size) throw new Refusal('size-mismatch', file.path);
  checkCrc(crc, file);
}

function checkCrc(crc: number, file: ExtractEntry): void {
  if (crc >>> 0 !== file.crc32 >>> 0) throw new Refusal('crc-mismatch', file.path);
}

parentPort?.on('message', (job: ExtractJob) => {
  extract(job).then(
    () => parentPort!.postMessage({ ok: true } satisfies ExtractReply),
    (err: unknown) => {
      const reply: ExtractReply =
        err instanceof Refusal
          ? { ok: false, code: err.code, where: err.where }
          : { ok: false, system: (err as Error).message, errno: (err as NodeJS.ErrnoException).code };
      parentPort!.postMessage(reply);
    },
  );
});
