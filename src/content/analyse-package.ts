import { readCmi5Course, type Cmi5ReadOptions } from './cmi5-course.ts';
import { checkPackageResources } from './package-resources.ts';
import type { ReportBuilder } from './report.ts';
import { readScormManifest } from './scorm-manifest.ts';
import { readTincanPackage } from './tincan-package.ts';
import { reportUnhonouredFeatures } from './unhonoured-features.ts';
import type { Launchable, PackageFormat, PackageManifest } from './types.ts';
import { parseXml } from './xml.ts';
import { readEntryBuffer, type OpenedZip } from './zip-inspect.ts';

export interface AnalysedPackage {
  format: PackageFormat;
  title: string;
  manifest: PackageManifest;
  launchables: Launchable[];
}

/** The descriptor files we know, in the order they win when a package has several. */
const DESCRIPTORS = ['cmi5.xml', 'imsmanifest.xml', 'tincan.xml'] as const;

/**
 * Finds the package's descriptor at the root (cmi5.xml, imsmanifest.xml or tincan.xml), parses it
 * with the hardened parser and reads it into the typed model. Errors and warnings go to the report,
 * with what the player does not honour and what the package loads from elsewhere.
 * `bare`: the zip only wraps a course structure uploaded on its own (cmi5 §14.2).
 */
export async function analysePackage(
  opened: OpenedZip,
  report: ReportBuilder,
  maxManifestBytes: number,
  opts: Cmi5ReadOptions = {},
): Promise<AnalysedPackage | undefined> {
  const present = DESCRIPTORS.filter((d) => opened.byPath.has(d));
  const descriptor = present[0];
  if (!descriptor) {
    // the most common mistake: the folder was zipped instead of its contents
    const nested = opened.files.find((f) => DESCRIPTORS.some((d) => f.path.endsWith(`/${d}`)) && f.path.split('/').length === 2);
    if (nested) report.error('manifest-in-folder', { folder: nested.path.split('/')[0] ?? '' }, nested.path);
    else report.error('no-manifest');
    return undefined;
  }
  if (present.length > 1) report.warn('several-descriptors', { used: descriptor, ignored: present.slice(1).join(', ') });
  const entry = opened.byPath.get(descriptor)!;
  let buf: Buffer;
  try {
    buf = await readEntryBuffer(opened, entry, maxManifestBytes);
  } catch {
    report.error('manifest-too-large', { max: `${Math.round(maxManifestBytes / 1024 ** 2)} MB` }, descriptor);
    return undefined;
  }
  const xml = parseXml(buf);
  if (!xml.ok) {
    if (xml.problem === 'doctype') report.error('doctype', {}, descriptor);
    else report.error('malformed-xml', { detail: xml.detail ?? 'leer', line: xml.line ?? 1 }, descriptor);
    return undefined;
  }
  const files = new Set(opened.byPath.keys());
  const read =
    descriptor === 'cmi5.xml'
      ? readCmi5Course(xml.root, report, files, opts)
      : descriptor === 'imsmanifest.xml'
        ? readScormManifest(xml.root, xml.namespaces, report, files)
        : readTincanPackage(xml.root, report, files);
  if (!read || report.hasErrors) return undefined;
  // warnings only: what the player will not do, and what the package loads that will not arrive
  reportUnhonouredFeatures(read.manifest, report);
  await checkPackageResources(opened, read.launchables, report);
  return { format: read.manifest.format, title: read.manifest.title, manifest: read.manifest, launchables: read.launchables };
}
