/**
 * Content packages from the command line:
 *   npm run content -- import <zip> [--module <name>] [--publish]
 *   npm run content -- export <module> [--out <file>] [--version <n>]
 *   npm run content -- list
 * Uses the running server's embedded database when there is one (chooseDatabase, role 'cli').
 * A refused import prints the validation report and exits with 2; other failures exit with 1.
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createContentComponent } from '../src/content/component.ts';
import { formatReport } from '../src/content/report.ts';
import type { ValidationReport } from '../src/content/types.ts';
import { DomainError } from '../src/shared/errors.ts';
import { cliContext, err, out, runCli, withCliDatabase } from './cli-support.ts';

const USAGE = `Aufruf:
  npm run content -- import <paket.zip oder cmi5.xml> [--module <Name oder Kürzel>] [--publish]
  npm run content -- export <Modul> [--out <datei.zip>] [--version <Nummer>]
  npm run content -- list`;


async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { module: { type: 'string' }, publish: { type: 'boolean' }, out: { type: 'string' }, version: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, arg] = positionals;
  if (values.help || !command || !['import', 'export', 'list'].includes(command) || (command !== 'list' && !arg)) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 64;
  }

  return withCliDatabase(async (db) => {
    const { service } = await createContentComponent(cliContext(db));

    if (command === 'list') {
      const modules = await service.listModules();
      if (!modules.length) out('Keine Module.');
      for (const m of modules) {
        const versions = await service.listVersions(m.id);
        out(`${m.slug}  „${m.title}“  (${m.id})`);
        for (const v of versions) {
          const storage = { storing: 'wird gespeichert', failed: 'Speichern fehlgeschlagen', stored: '' }[v.storage];
          const flags = [v.id === m.publishedVersionId ? 'veröffentlicht' : '', v.launchedAt ? 'gestartet' : '', storage].filter(Boolean).join(', ');
          out(`  v${v.number}  ${v.format.padEnd(9)} ${String(v.fileCount).padStart(6)} Dateien  ${(v.totalBytes / 1024 ** 2).toFixed(1).padStart(8)} MB  ${v.id}${flags ? `  [${flags}]` : ''}`);
        }
      }
      return 0;
    }

    if (command === 'import') {
      try {
        const r = await service.importPackage(path.resolve(arg!), { moduleSlug: values.module, publish: values.publish, originalName: path.basename(arg!) });
        out(`Importiert: ${r.module.title} (${r.module.slug}), Version ${r.version.number}, ${r.version.format}, ${r.version.fileCount} Dateien${r.module.publishedVersionId === r.version.id ? ', veröffentlicht' : ''}.`);
        out(`Versions-ID: ${r.version.id}`);
        if (r.report.warnings.length) out(`Hinweise:\n${formatReport(r.report)}`);
        return 0;
      } catch (e) {
        const report = e instanceof DomainError ? (e.details.report as ValidationReport | undefined) : undefined;
        if (!report) throw e;
        err('Das Paket wurde abgelehnt. Prüfbericht:');
        err(formatReport(report));
        return 2;
      }
    }

    // export
    const module = await service.getModule(arg!);
    if (!module) {
      err(`Modul „${arg}“ nicht gefunden.`);
      return 1;
    }
    let result;
    if (values.version) {
      const v = (await service.listVersions(module.id)).find((x) => x.number === Number(values.version));
      if (!v) {
        err(`Version ${values.version} von „${module.slug}“ nicht gefunden.`);
        return 1;
      }
      result = await service.exportVersion(v.id);
    } else result = await service.exportModule(module.id);
    const target = path.resolve(values.out ?? result.filename);
    await pipeline(result.stream, createWriteStream(target));
    out(`Exportiert nach ${target}`);
    return 0;
  });
}

runCli(main);
