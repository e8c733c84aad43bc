// Public entry of the content build: turns every module under contentDir into
// cmi5, SCORM 2004 and SCORM 1.2 packages in outDir, with an index of them
// (packages.json) that the server's seeding reads. Used by the CLI
// (scripts/build-content.ts) and by tests that need the packages.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_INDEX_FILE, type BuiltPackageEntry } from '../../src/curriculum/built-packages.ts';
import { createRuntimeCache } from './bundle-runtime.ts';
import { contentWarnings } from './content-rules.ts';
import { writeDeterministicZip } from './deterministic-zip.ts';
import { findModuleDirs, loadModule } from './load-module.ts';
import { packageEntries } from './package-files.ts';
import { renderModule } from './render-module.ts';
import { PACKAGE_FORMATS, type BuiltPackage, type PackageFormat } from './types.ts';

export type { BuiltPackage, PackageFormat } from './types.ts';
export { loadModule, findModuleDirs } from './load-module.ts';
export { renderModule } from './render-module.ts';

const STYLES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'styles.css');

export interface BuildOptions {
  contentDir: string;
  outDir: string;
  /** Receives editorial warnings (lesson length etc.); default: ignore. */
  onWarning?: (message: string) => void;
}

export function packageFileName(moduleSlug: string, format: PackageFormat): string {
  return `${moduleSlug}-${format}.zip`;
}

export async function buildAllPackages({ contentDir, outDir, onWarning }: BuildOptions): Promise<BuiltPackage[]> {
  const moduleDirs = await findModuleDirs(contentDir);
  if (moduleDirs.length === 0) throw new Error(`${contentDir}: keine Module gefunden (Ordner mit module.yaml)`);
  const runtimeFor = createRuntimeCache();
  const css = await readFile(STYLES);

  const built: BuiltPackage[] = [];
  const index: BuiltPackageEntry[] = [];
  for (const dir of moduleDirs) {
    const source = await loadModule(dir);
    const rendered = renderModule(source);
    for (const warning of contentWarnings(source, rendered.lessons)) onWarning?.(warning);
    for (const format of PACKAGE_FORMATS) {
      const target = path.join(outDir, packageFileName(source.meta.slug, format));
      await writeDeterministicZip(target, packageEntries(format, rendered, css, await runtimeFor(format)));
      built.push({ module: source.meta.slug, format, path: target });
      index.push({ module: source.meta.slug, title: source.meta.title, format, file: path.basename(target) });
    }
  }
  // written last: an index names only packages that are complete
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, PACKAGE_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  return built;
}
