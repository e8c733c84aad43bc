import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAllPackages, loadModule, findModuleDirs } from '../../scripts/build-content/index.ts';
import type { ContentService } from '../content/component.ts';
import type { Logger } from '../shared/logger.ts';

export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url));

/** The format the platform itself launches; SCORM builds are for other LMSs. */
const PLATFORM_FORMAT = 'cmi5';

/**
 * First start: builds the Q1 modules from content/ and imports + publishes the cmi5 package of each
 * module the database does not have yet, so a fresh `npm start` shows them to the demo learner.
 * A module that exists (seeded earlier or uploaded by an author) is never touched.
 */
export async function seedQ1Modules(content: ContentService, logger: Logger, contentDir = CONTENT_DIR): Promise<string[]> {
  const sources = await Promise.all((await findModuleDirs(contentDir)).map(async (dir) => (await loadModule(dir)).meta));
  const existing = new Set((await content.findModulesBySlugs(sources.map((m) => m.slug))).map((m) => m.slug));
  const wanted = sources.filter((m) => !existing.has(m.slug));
  if (wanted.length === 0) return [];
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-q1-'));
  try {
    const built = await buildAllPackages({ contentDir, outDir });
    const seeded: string[] = [];
    for (const source of wanted) {
      const pkg = built.find((b) => b.module === source.slug && b.format === PLATFORM_FORMAT);
      if (!pkg) continue;
      await content.importPackage(pkg.path, { moduleSlug: source.slug, moduleTitle: source.title, publish: true, originalName: path.basename(pkg.path) });
      seeded.push(source.slug);
    }
    logger.info({ modules: seeded }, 'Q1-Module importiert und veröffentlicht');
    return seeded;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The curriculum's part in the app: seeding at start, when the configuration asks for it. */
export function curriculumComponent(opts: { enabled: boolean; content: ContentService; logger: Logger }) {
  return {
    async start(): Promise<void> {
      if (opts.enabled) await seedQ1Modules(opts.content, opts.logger);
    },
  };
}
