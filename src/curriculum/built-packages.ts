import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sources of the Q1 modules (content/): what `npm run build:content` builds from. */
export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url));

/**
 * Where `npm run build:content` puts the built packages (`npm start` builds them first, see
 * package.json "prestart"); the seeding imports the platform's packages from here.
 */
export const BUILT_PACKAGES_DIR = fileURLToPath(new URL('../../dist/content/', import.meta.url));

/** The index the build writes beside the zips: which file is which module's package in which format. */
export const PACKAGE_INDEX_FILE = 'packages.json';

export interface BuiltPackageEntry {
  /** The module's slug (content/<module>/module.yaml). */
  module: string;
  title: string;
  format: 'cmi5' | 'scorm2004' | 'scorm12';
  /** The zip's name in the same directory. */
  file: string;
}

/** The packages built into `dir` with their absolute paths, or undefined when nothing was built there yet. */
export async function readBuiltPackages(dir: string): Promise<Array<BuiltPackageEntry & { path: string }> | undefined> {
  const text = await readFile(path.join(dir, PACKAGE_INDEX_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  return (JSON.parse(text) as BuiltPackageEntry[]).map((p) => ({ ...p, path: path.join(dir, p.file) }));
}
