import { createWriteStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import type { ReportBuilder } from './report.ts';
import { parseXml } from './xml.ts';

/** What an uploaded file is: a zip to import as it is, or a bare cmi5 course structure wrapped into one. */
export type UploadedPackage = { zipPath: string; bare: boolean };

// local file header, empty archive (end of central directory), spanned archive marker (APPNOTE 4.3)
const ZIP_SIGNATURES = ['504b0304', '504b0506', '504b0708'];

async function head(filePath: string, bytes: number): Promise<Buffer> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * cmi5 §14 (14.0.0.0-1): a course comes as a Zip32 or Zip64 package, or as a course structure XML file
 * alone (§14.2: its AUs live on other servers). A zip goes on as it is. A bare cmi5.xml is wrapped
 * into a zip holding only cmi5.xml, so storing, export and serving stay the same for both; `bare`
 * makes the course reader insist on fully qualified AU URLs (14.2.0.0-1). Anything else is refused
 * here, for the reason that applies: not a zip though named one (14.1.0.0-1), an XML file that is not
 * a course structure, or neither (14.0.0.0-1). Returns undefined with the errors in the report.
 */
export async function asPackageZip(
  filePath: string,
  opts: { originalName?: string; contentType?: string; maxManifestBytes: number; tempFile: () => Promise<string> },
  report: ReportBuilder,
): Promise<UploadedPackage | undefined> {
  const start = await head(filePath, 512);
  if (ZIP_SIGNATURES.includes(start.subarray(0, 4).toString('hex'))) return { zipPath: filePath, bare: false };
  const name = (opts.originalName ?? filePath).toLowerCase();
  const looksXml = /^\s*</.test(start.toString('utf8').replace(/^\uFEFF/, ''));
  if (!looksXml) {
    const namedZip = name.endsWith('.zip') || /zip/i.test(opts.contentType ?? '');
    if (namedZip) report.error('not-zip', {}, undefined, 'cmi5 14.1.0.0-1');
    else report.error('not-a-package', {}, undefined, 'cmi5 14.0.0.0-1');
    return undefined;
  }
  if ((await stat(filePath)).size > opts.maxManifestBytes) {
    report.error('manifest-too-large', { max: `${Math.round(opts.maxManifestBytes / 1024 ** 2)} MB` }, 'cmi5.xml');
    return undefined;
  }
  const buf = await readFile(filePath);
  const xml = parseXml(buf);
  if (!xml.ok) {
    if (xml.problem === 'doctype') report.error('doctype', {}, 'cmi5.xml');
    else report.error('malformed-xml', { detail: xml.detail ?? 'leer', line: xml.line ?? 1 }, 'cmi5.xml');
    return undefined;
  }
  if (xml.root.name !== 'courseStructure') {
    report.error('xml-not-course-structure', { root: xml.root.name }, path.basename(opts.originalName ?? filePath), 'cmi5 14.0.0.0-1');
    return undefined;
  }
  const zipPath = await opts.tempFile();
  const zip = new ZipArchive({ zlib: { level: 9 } });
  zip.append(buf, { name: 'cmi5.xml' });
  await Promise.all([pipeline(zip, createWriteStream(zipPath)), zip.finalize()]);
  return { zipPath, bare: true };
}
