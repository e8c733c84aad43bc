import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ReportBuilder } from './report.ts';
import { openZipFile } from './zip-reader.ts';

/** How big and how deep a package may be. The defaults fit every real package we have seen, by far. */
export interface PackageLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Uncompressed : compressed, checked for entries (and the total) above ratioMinBytes. */
  maxRatio: number;
  ratioMinBytes: number;
  /** Folder levels of a path (a/b/c.html has depth 3). */
  maxDepth: number;
  maxPathLength: number;
  maxManifestBytes: number;
}

export const DEFAULT_LIMITS: PackageLimits = {
  maxEntries: 20_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxEntryBytes: 2 * 1024 ** 3,
  maxRatio: 200,
  ratioMinBytes: 1024 ** 2,
  maxDepth: 24,
  maxPathLength: 1024,
  maxManifestBytes: 8 * 1024 ** 2,
};

export interface ZipFileEntry {
  /** Normalised path inside the package ("a/b.html"). */
  path: string;
  size: number;
  compressedSize: number;
  crc32: number;
  entry: Entry;
}

export interface OpenedZip {
  /** The package file on disk. */
  file: string;
  zip: ZipFile;
  files: ZipFileEntry[];
  byPath: Map<string, ZipFileEntry>;
  totalBytes: number;
  close(): void;
}

// getFileNameLowLevel is exported by yauzl but missing from its types
const decodeName = (yauzl as unknown as { getFileNameLowLevel: (flag: number, raw: Buffer, extra: unknown, strict: boolean) => string }).getFileNameLowLevel;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Reads the central directory only: entries are described, never inflated. */
function readEntries(zip: ZipFile, onEntry: (e: Entry) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.on('entry', (e: Entry) => {
      if (onEntry(e)) zip.readEntry();
      else resolve();
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * Opens a package and checks every entry the central directory declares, before a byte is inflated:
 * count, names (zip-slip, absolute, nesting), symlinks, encryption, declared sizes and ratios. A
 * 10 GB bomb is refused here from its declaration. Sizes can lie; extraction enforces them again.
 * Returns undefined (with errors in the report) when the package must be refused.
 */
export async function inspectZip(file: string, limits: PackageLimits, report: ReportBuilder): Promise<OpenedZip | undefined> {
  let zip: ZipFile;
  try {
    zip = await openZipFile(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch {
    report.error('not-zip');
    return undefined;
  }
  const close = () => zip.close();
  if (zip.entryCount > limits.maxEntries) {
    report.error('too-many-files', { count: zip.entryCount, max: limits.maxEntries });
    close();
    return undefined;
  }
  const files: ZipFileEntry[] = [];
  const byPath = new Map<string, ZipFileEntry>();
  const dirs = new Set<string>();
  let totalBytes = 0;
  let totalCompressed = 0;
  try {
    await readEntries(zip, (entry) => {
      const name = decodeName(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      checkEntry(entry, name);
      return true;
    });
  } catch {
    report.error('zip-corrupt');
  }
  if (!report.hasErrors) {
    if (totalBytes > limits.maxTotalBytes) report.error('too-large', { size: mb(totalBytes), max: mb(limits.maxTotalBytes) });
    else if (totalBytes >= limits.ratioMinBytes && totalBytes / Math.max(totalCompressed, 1) > limits.maxRatio) {
      report.error('ratio-bomb', { ratio: Math.round(totalBytes / Math.max(totalCompressed, 1)), max: limits.maxRatio });
    }
    // a file "a" and a file "a/b" cannot both exist on disk
    for (const f of files) {
      const segs = f.path.split('/');
      for (let i = 1; i < segs.length; i++) {
        const prefix = segs.slice(0, i).join('/');
        if (byPath.has(prefix)) report.error('duplicate-entry', {}, f.path);
      }
    }
  }
  if (report.hasErrors) {
    close();
    return undefined;
  }
  return { file, zip, files, byPath, totalBytes, close };

  function checkEntry(entry: Entry, rawName: string): void {
    const where = rawName.length > 200 ? `${rawName.slice(0, 200)}…` : rawName;
    if ([...rawName].some((c) => c.charCodeAt(0) < 0x20) || rawName.length > limits.maxPathLength) return report.error('bad-name', {}, where);
    if (rawName.startsWith('/') || /^[a-zA-Z]:/.test(rawName)) return report.error('absolute-path', {}, where);
    const segments = rawName.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.includes('..')) return report.error('zip-slip', {}, where);
    const isDir = rawName.endsWith('/');
    const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) return report.error('symlink', {}, where);
    if (entry.generalPurposeBitFlag & 0x1) return report.error('encrypted', {}, where);
    const depth = isDir ? segments.length : segments.length - 1;
    if (depth > limits.maxDepth) return report.error('too-deep', { depth, max: limits.maxDepth }, where);
    if (segments.length === 0) return;
    const path = segments.join('/');
    if (isDir) {
      dirs.add(path);
      return;
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      return report.error('unsupported-compression', { method: entry.compressionMethod }, where);
    }
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      return report.error('too-large', { size: mb(entry.uncompressedSize), max: mb(limits.maxEntryBytes) }, where);
    }
    if (entry.uncompressedSize >= limits.ratioMinBytes && entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
      return report.error('ratio-bomb', { ratio: Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1)), max: limits.maxRatio }, where);
    }
    if (byPath.has(path)) return report.error('duplicate-entry', {}, where);
    totalBytes += entry.uncompressedSize;
    totalCompressed += entry.compressedSize;
    const f: ZipFileEntry = { path, size: entry.uncompressedSize, compressedSize: entry.compressedSize, crc32: entry.crc32, entry };
    files.push(f);
    byPath.set(path, f);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;

/** Reads one (small) entry into memory, refusing more than `max` bytes whatever the header says. */
export async function readEntryBuffer(opened: OpenedZip, file: ZipFileEntry, max: number): Promise<Buffer> {
  if (file.size > max) throw new Error('entry too large');
  const stream = await opened.zip.openReadStreamPromise(file.entry);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) {
      stream.destroy();
      throw new Error('entry too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
