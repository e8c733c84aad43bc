import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildAllPackages } from '../../scripts/build-content/index.ts';
import { CONTENT_DIR } from '../../src/curriculum/built-packages.ts';

let built: Promise<string> | undefined;

/**
 * The Q1 packages as `npm run build:content` builds them (zips and their index), built once per test
 * run into a temp directory that goes when the run ends: what seedQ1Modules imports from.
 */
export function builtQ1Packages(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-q1-built-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildAllPackages({ contentDir: CONTENT_DIR, outDir: dir });
    return dir;
  })();
  return built;
}
