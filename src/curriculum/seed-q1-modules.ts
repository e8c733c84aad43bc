import path from 'node:path';
import type { ContentService } from '../content/component.ts';
import type { Logger } from '../shared/logger.ts';
import { BUILT_PACKAGES_DIR, PACKAGE_INDEX_FILE, readBuiltPackages } from './built-packages.ts';

/** The format the platform itself launches; SCORM builds are for other LMSs. */
const PLATFORM_FORMAT = 'cmi5';

/**
 * First start: imports and publishes, through the content importer like any upload, the built cmi5
 * package of each Q1 module the database does not have yet, so a fresh `npm start` shows them to the
 * demo learner. The packages are the build's output (`npm run build:content`, run by `npm start`
 * before the server starts); the app never runs the build tool itself. A module that exists (seeded
 * earlier or uploaded by an author) is never touched.
 */
export async function seedQ1Modules(content: ContentService, logger: Logger, packagesDir = BUILT_PACKAGES_DIR): Promise<string[]> {
  const built = await readBuiltPackages(packagesDir);
  if (!built) {
    logger.warn({ dir: packagesDir, index: PACKAGE_INDEX_FILE }, 'Q1 packages not built: run `npm run build:content` (npm start does) to seed the Q1 modules');
    return [];
  }
  const platform = built.filter((p) => p.format === PLATFORM_FORMAT);
  const existing = new Set((await content.findModulesBySlugs(platform.map((p) => p.module))).map((m) => m.slug));
  const seeded: string[] = [];
  for (const pkg of platform.filter((p) => !existing.has(p.module))) {
    await content.importPackage(pkg.path, { moduleSlug: pkg.module, moduleTitle: pkg.title, publish: true, originalName: path.basename(pkg.path) });
    seeded.push(pkg.module);
  }
  if (seeded.length) logger.info({ modules: seeded }, 'Q1 modules imported and published');
  return seeded;
}

/** The curriculum's part in the app: seeding at start, when the configuration asks for it. */
export function curriculumComponent(opts: { enabled: boolean; content: ContentService; logger: Logger }) {
  return {
    async start(): Promise<void> {
      if (opts.enabled) await seedQ1Modules(opts.content, opts.logger);
    },
  };
}
