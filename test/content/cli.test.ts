import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { randomToken } from '../../src/shared/random.ts';
import { scorm12Single, writePackage } from '../fixtures/content/packages.ts';
import { tempDir } from './support.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `npm run content -- …` the way an operator would, against the test run's database. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/content-cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('content: the command line', function () {
  this.timeout(120_000);
  let env: Record<string, string>;
  let dir: string;
  before(async () => {
    dir = await tempDir();
    env = {
      MONGODB_URI: process.env.TEST_MONGODB_URI!,
      MONGODB_DB: `cli_${randomToken(6).replace(/[^A-Za-z0-9]/g, 'x')}`,
      DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'silent',
    };
  });

  it('imports and publishes a package, lists it and exports the module', async () => {
    const file = await writePackage(dir, 'ok', scorm12Single());
    const imp = await cli(['import', file, '--module', 'Q1 · Technik', '--publish'], env);
    expect(imp.code, imp.stderr).to.equal(0);
    expect(imp.stdout).to.contain('Importiert: Q1 · Technik (q1-technik), Version 1, scorm12, 4 Dateien, veröffentlicht.');
    const list = await cli(['list'], env);
    expect(list.stdout).to.match(/q1-technik {2}„Q1 · Technik“/);
    expect(list.stdout).to.contain('[veröffentlicht]');
    const out = path.join(dir, 'export.zip');
    const exp = await cli(['export', 'q1-technik', '--out', out], env);
    expect(exp.code, exp.stderr).to.equal(0);
    expect(exp.stdout).to.contain(`Exportiert nach ${out}`);
  });

  it('exits non-zero and prints the report when an import is refused', async () => {
    const bad = path.join(dir, 'bad.zip');
    await writeFile(bad, 'kein zip');
    const res = await cli(['import', bad], env);
    expect(res.code).to.equal(2);
    expect(res.stderr).to.contain('Das Paket wurde abgelehnt. Prüfbericht:');
    expect(res.stderr).to.contain('FEHLER  [not-zip] Die Datei ist kein ZIP-Archiv.');
  });
});
