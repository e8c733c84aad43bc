// Bundles the browser runtime with esbuild at build time, once per package
// format, so every package carries its own script and works offline (no CDN).
// esbuild output is deterministic for the same input, which keeps zips stable.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageFormat } from './types.ts';

const RUNTIME_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runtime');

const ENTRY: Record<PackageFormat, string> = {
  cmi5: 'entry-cmi5.ts',
  scorm2004: 'entry-scorm2004.ts',
  scorm12: 'entry-scorm12.ts',
};

export async function bundleRuntime(format: PackageFormat): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(RUNTIME_DIR, ENTRY[format])],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    // LMS users include older managed browsers; ES2019 keeps optional chaining etc. transpiled.
    target: ['es2019'],
    // Prefer the ES module build of @xapi/cmi5 over its UMD "browser" build so unused parts can be dropped.
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    absWorkingDir: RUNTIME_DIR,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild lieferte kein Bundle für ${format}`);
  return Buffer.from(output.contents);
}

/** Bundles each format once per build and reuses it for every module. */
export function createRuntimeCache(): (format: PackageFormat) => Promise<Buffer> {
  const cache = new Map<PackageFormat, Promise<Buffer>>();
  return (format) => {
    let bundle = cache.get(format);
    if (!bundle) {
      bundle = bundleRuntime(format);
      cache.set(format, bundle);
    }
    return bundle;
  };
}
