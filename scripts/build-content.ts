// CLI for `npm run build:content`: builds the cmi5 and SCORM packages of every
// module under content/ into dist/content/ (or --out DIR, --content DIR), where
// the server's seeding finds them. `npm start` runs it first ("prestart").
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILT_PACKAGES_DIR, CONTENT_DIR } from '../src/curriculum/built-packages.ts';
import { buildAllPackages } from './build-content/index.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: BUILT_PACKAGES_DIR },
    content: { type: 'string', default: CONTENT_DIR },
  },
});

const started = performance.now();
try {
  const packages = await buildAllPackages({
    contentDir: path.resolve(values.content),
    outDir: path.resolve(values.out),
    onWarning: (message) => console.warn(`Hinweis: ${message}`),
  });
  for (const pkg of packages) console.log(`${pkg.format.padEnd(9)} ${path.relative(process.cwd(), pkg.path)}`);
  console.log(`${packages.length} Pakete in ${((performance.now() - started) / 1000).toFixed(1)} s gebaut.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
