/**
 * `npm run bench:scale` (not a test): the app after a year of the qualification against the same
 * app on an (almost) empty database, measured in one run over real HTTP.
 *   1. Two apps boot on one database server, each in its own database. The "empty" one gets one
 *      cohort (the trainer's roster then has as many rows as at scale), the "large" one N learners
 *      in cohorts of 50 (scale-data.ts: through the app's services, spread over a year).
 *   2. Each action runs `--samples` times against both, taking turns, and prints p50/p95, the ratio
 *      large/empty, the database commands per request (driver command monitoring) and the goals:
 *      learner, trainer, author and partner actions ≤ 1.5 × empty; LRS queries ≤ 1 s.
 * Options: --learners N (default 1000), --cohort-size N (50), --samples N (25), --stories N (10: learners
 * whose Q1 goes through the services, the rest is copied from them, scale-clone.ts), --quick (50
 * learners in cohorts of 10, 3 stories, 8 samples: a smoke run), --only TEXT (only the actions whose name
 * contains TEXT, e.g. --only Auswertung). MONGODB_URI measures against that server instead of the
 * embedded FerretDB (FERRETDB_BIN picks another FerretDB build).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { boot, type Running } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import type { ChosenDatabase } from '../../src/db/choose-database.ts';
import { startFerretDb } from '../../src/db/embedded-ferretdb.ts';
import { findOrBuildFerretDb } from '../../src/db/ferretdb-binary.ts';
import { mb, rssOf, runBench } from './bench-support.ts';
import { measureActions, type ActionResult } from './scale-actions.ts';
import { benchClock, buildQ1Packages, generateYear, type YearData } from './scale-data.ts';

const out = (line = '') => process.stdout.write(`${line}\n`);
const KEY = 'bench-scale-key';
const SECRET = 'bench-scale-secret-0123456789';

const { values } = parseArgs({
  options: {
    learners: { type: 'string' },
    'cohort-size': { type: 'string' },
    samples: { type: 'string' },
    stories: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const quick = values.quick;
const LEARNERS = Number(values.learners ?? (quick ? 50 : 1000));
const COHORT = Number(values['cohort-size'] ?? (quick ? 10 : 50));
const SAMPLES = Number(values.samples ?? (quick ? 8 : 25));
const STORIES = Math.min(COHORT, Number(values.stories ?? (quick ? 3 : 10)));

/** The embedded FerretDB with its pid (for its memory), or the server MONGODB_URI names. */
async function startDatabase(dir: string): Promise<ChosenDatabase & { pid?: number }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, source: 'MONGODB_URI', stop: async () => {} };
  const binary = await findOrBuildFerretDb((m) => out(m));
  if (!binary) throw new Error('kein FerretDB-Binary (scripts/ensure-ferretdb.sh) und kein MONGODB_URI');
  const s = await startFerretDb({ binary, dir: path.join(dir, 'ferretdb') });
  return { uri: s.uri, source: 'ferretdb', pid: s.pid, stop: s.stop };
}

async function bootApp(database: ChosenDatabase, dir: string, name: string, clock: ReturnType<typeof benchClock>): Promise<Running> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(dir, name),
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    SEED_Q1_MODULES: 'false',
    LRS_SEED_KEY: KEY,
    LRS_SEED_SECRET: SECRET,
    MONGODB_DB: `bench_scale_${name}_${Date.now()}`,
  });
  // the driver reports each command to the benchmark (command monitoring), counted per request
  // command monitoring feeds the "commands per request" column (scale-actions.ts)
  return boot({ config, database, clock, role: 'test', monitorCommands: true });
}

async function memory(label: string, dbPid: number | undefined): Promise<string> {
  const self = await rssOf('self');
  const db = dbPid ? await rssOf(dbPid) : undefined;
  const parts = [`Node ${self ? `${mb(self.rss)} (Spitze ${mb(self.peak)})` : '?'}`];
  if (dbPid) parts.push(`FerretDB ${db ? `${mb(db.rss)} (Spitze ${mb(db.peak)})` : '?'}`);
  return `RSS ${label}: ${parts.join(', ')}`;
}

function printYear(label: string, data: YearData, seconds: number): void {
  const c = data.counts;
  out(`${label}: ${data.learners.length} Lernende, ${data.cohorts.length} Durchgänge, ${data.sessions.length} Q2-Termine, erzeugt in ${seconds.toFixed(0)} s`);
  out(
    `  Phasen: ${Object.entries(data.seconds)
      .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
      .join(', ')}`,
  );
  out(
    `  Anweisungen ${c.statements} (${(c.statements! / Math.max(1, data.learners.length)).toFixed(0)} je Lernende/n), Versuche ${c.player_attempts ?? '?'}, Items ${c.player_items ?? '?'}, Starts ${c.player_launches ?? '?'}, Fortschritt ${c.player_progress ?? '?'}`,
  );
  out(`  Q1 über die Dienste: ${c.stories} Lernende, kopiert: ${c.copies}`);
  out(
    `  Dokumente ${c.documents}, LRS-Zugänge ${c.lrsClients}, Q1 fertig ${c.q1Completed}, Anwesenheiten ${c.attendance}, Zertifikate ${c.certificates}, Warteliste ${c.waiting}, abgelehnte Anmeldungen ${c.registrationsRefused}`,
  );
  const rest = Object.entries(c).filter(([k]) => k.includes('_') && !k.startsWith('player_'));
  out(`  Sammlungen: ${rest.map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(7);

function printTable(results: ActionResult[]): void {
  out('');
  out(`Aktion (je ${SAMPLES} Messungen, ms)        leer p50     p95 | groß p50     p95 | groß/leer | Befehle je Anfrage leer → groß | Ziel`);
  for (const r of results) {
    const ratio = r.large.p50 / r.empty.p50;
    let goal = '—';
    if (r.goal === 'ratio') goal = `≤ 1.5 × ${ratio <= 1.5 ? 'erfüllt' : 'VERFEHLT'}`;
    if (r.goal === 'second') goal = `≤ 1 s ${r.large.p95 <= 1000 ? 'erfüllt' : 'VERFEHLT'} (p95)`;
    out(
      `${r.name.padEnd(38)} ${fmt(r.empty.p50)} ${fmt(r.empty.p95)} | ${fmt(r.large.p50)} ${fmt(r.large.p95)} | ${ratio.toFixed(2).padStart(8)}× | ${r.empty.commands.toFixed(0).padStart(5)} → ${r.large.commands.toFixed(0).padEnd(5)} ${r.large.topCollections.padEnd(18).slice(0, 60)} | ${goal}`,
    );
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-scale-'));
  const database = await startDatabase(dir);
  const apps: Running[] = [];
  try {
    out(`Datenbank: ${database.source}; ${LEARNERS} Lernende in Durchgängen zu ${COHORT}, ${SAMPLES} Messungen je Aktion`);
    const packages = await buildQ1Packages(dir);
    const emptyClock = benchClock();
    const largeClock = benchClock();
    const empty = await bootApp(database, dir, 'empty', emptyClock);
    apps.push(empty);
    const large = await bootApp(database, dir, 'large', largeClock);
    apps.push(large);
    out(await memory('nach dem Start', database.pid));

    let t = performance.now();
    const emptyData = await generateYear(empty, packages, { learners: COHORT, cohortSize: COHORT, stories: STORIES, clock: emptyClock });
    printYear('Leer (ein Durchgang)', emptyData, (performance.now() - t) / 1000);
    t = performance.now();
    out(`Groß: ${LEARNERS} Lernende …`);
    const largeData = await generateYear(large, packages, {
      learners: LEARNERS,
      cohortSize: COHORT,
      stories: STORIES,
      storiesFrom: emptyData.stories,
      clock: largeClock,
      log: out,
    });
    printYear('Groß', largeData, (performance.now() - t) / 1000);
    out(await memory('nach dem Erzeugen', database.pid));

    const results = await measureActions(
      [
        { running: empty, data: emptyData },
        { running: large, data: largeData },
      ],
      { samples: SAMPLES, lrsAuth: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`, log: out, only: values.only },
    );
    printTable(results);
    out('');
    out(await memory('nach dem Messen', database.pid));
    const slow = [...results].sort((a, b) => b.large.p50 / b.empty.p50 - a.large.p50 / a.empty.p50).slice(0, 5);
    out('');
    out('Langsamste Aktionen (groß/leer), Befehle je Anfrage nach Sammlung (groß):');
    for (const r of slow) out(`  ${r.name}: ${(r.large.p50 / r.empty.p50).toFixed(1)}×, ${r.large.byCollection}`);
  } finally {
    for (const a of apps) {
      await a.connection.dropDatabase().catch(() => {});
      await a.stop().catch(() => {});
    }
    await database.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
