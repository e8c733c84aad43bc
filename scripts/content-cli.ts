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
import type { TFunction } from 'i18next';
import { createContentComponent } from '../src/content/component.ts';
import type { ReportEntry, ValidationReport } from '../src/content/types.ts';
import { createI18n } from '../src/i18n/i18n.ts';
import { cliContext, err, out, runCli, withCliDatabase } from './cli-support.ts';

/** The report as plain text lines, one per entry (its German message, as on the author's page). */
function formatReport(report: ValidationReport, t: TFunction): string {
  const line = (e: ReportEntry) =>
    `  ${t(`cli.severity.${e.severity}`).padEnd(7)} [${e.code}] ${e.message}${e.where ? ` (${e.where})` : ''}${e.rule ? ` [${e.rule}]` : ''}`;
  return [...report.errors.map(line), ...report.warnings.map(line)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const t = (await createI18n()).i18n.getFixedT('de', 'content');
  const USAGE = t('cli.usage');
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      module: { type: 'string' },
      publish: { type: 'boolean' },
      out: { type: 'string' },
      version: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command || !['import', 'export', 'list'].includes(command) || (command !== 'list' && !arg)) {
    (values.help ? out : err)(USAGE);
    return values.help ? 0 : 64;
  }

  return withCliDatabase(async (db) => {
    const { service } = await createContentComponent(await cliContext(db));

    if (command === 'list') {
      const modules = await service.listModules();
      if (!modules.length) out(t('cli.noModules'));
      for (const m of modules) {
        const versions = await service.listVersions(m.id);
        out(`${m.slug}  „${m.title}“  (${m.id})`);
        for (const v of versions) {
          const storage = v.storage === 'stored' ? '' : t(`pages.storage.${v.storage}`);
          const flags = [v.id === m.publishedVersionId ? t('cli.published') : '', v.launchedAt ? t('cli.launched') : '', storage].filter(Boolean).join(', ');
          out(
            `  v${v.number}  ${v.format.padEnd(9)} ${String(v.fileCount).padStart(6)} ${t('cli.files')}  ${(v.totalBytes / 1024 ** 2).toFixed(1).padStart(8)} MB  ${v.id}${flags ? `  [${flags}]` : ''}`,
          );
        }
      }
      return 0;
    }

    if (command === 'import') {
      const outcome = await service.importPackageOrRefusal(path.resolve(arg!), {
        moduleSlug: values.module,
        publish: values.publish,
        originalName: path.basename(arg!),
      });
      if (!outcome.ok) {
        err(t('cli.refused'));
        err(formatReport(outcome.report, t));
        return 2;
      }
      const r = outcome.imported;
      const published = r.module.publishedVersionId === r.version.id;
      out(
        t(published ? 'cli.importedPublished' : 'cli.imported', {
          title: r.module.title,
          slug: r.module.slug,
          number: r.version.number,
          format: r.version.format,
          files: r.version.fileCount,
        }),
      );
      out(t('cli.versionId', { id: r.version.id }));
      if (r.report.warnings.length) out(`${t('cli.warnings')}\n${formatReport(r.report, t)}`);
      return 0;
    }

    // export
    const module = await service.getModule(arg!);
    if (!module) {
      err(t('cli.moduleNotFound', { module: arg }));
      return 1;
    }
    let result;
    if (values.version) {
      const v = (await service.listVersions(module.id)).find((x) => x.number === Number(values.version));
      if (!v) {
        err(t('cli.versionNotFound', { number: values.version, module: module.slug }));
        return 1;
      }
      result = await service.exportVersion(v.id);
    } else result = await service.exportModule(module.id);
    const target = path.resolve(values.out ?? result.filename);
    await pipeline(result.stream, createWriteStream(target));
    out(t('cli.exported', { file: target }));
    return 0;
  });
}

runCli(main);
