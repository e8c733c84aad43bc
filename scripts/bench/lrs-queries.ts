/**
 * `npm run bench:lrs-queries` (not a test): GET /xapi/statements over real HTTP at 1k and at 100k
 * realistic statements, measured in one run, with the ratio.
 *   Data: learners × 100 cmi5/SCORM-profile statements each (launched, initialized, answered,
 *   completed, passed/failed, terminated per AU session; satisfied per module), one registration per
 *   learner and module, sessions spread over the past year. 1k = 10 learners, 100k = 1,000 learners.
 *   They are loaded through the LRS's storeStatements use case (validation, query fields, refs; no
 *   player guards or hooks) in batches of 100 in time order, with a clock that stands at each batch's
 *   time, so `stored` spreads over the year as it does when learners work.
 *   Queries: by agent, activity (an AU), registration, verb, agent + activity; limit=10 and the
 *   default limit; the first page and the page its `more` URL names.
 * Settings: BENCH_SIZES (default "1000,100000"), BENCH_REPS (queries per kind and size, default 10),
 * MONGODB_URI (else the embedded database of database.md in a temp dir).
 */
import { randomUUID } from 'node:crypto';
import { BENCH_AUTH, BENCH_CLIENT, bootLrsBench, percentile, runBench } from './bench-support.ts';
import { createStatementRepository } from '../../src/lrs/statements/repository.ts';
import { createStoreStatements } from '../../src/lrs/statements/store-statements.ts';
import type { Credential, Statement } from '../../src/lrs/types.ts';
import { DEFAULT_VERSION } from '../../src/lrs/version.ts';
import { createLogger } from '../../src/shared/logger.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const REPS = Number(process.env.BENCH_REPS ?? 10);
const PER_LEARNER = 100;
const BATCH = 100;
const KEY = BENCH_CLIENT.key;
const AUTH = BENCH_AUTH;
const HOME = 'https://lotse.example.org';
const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const YEAR = 365 * 86_400_000;
/** The Q1 modules and their AUs (a handful each). */
const MODULES = [4, 3, 5, 4].map((aus, m) => ({ id: `${HOME}/q1/m${m + 1}`, aus: Array.from({ length: aus }, (_, a) => `${HOME}/q1/m${m + 1}/au${a + 1}`) }));
const verb = (name: string) => ({
  id: name === 'answered' ? 'http://adlnet.gov/expapi/verbs/answered' : `http://adlnet.gov/expapi/verbs/${name}`,
  display: { 'en-US': name },
});
const out = (line = '') => process.stdout.write(`${line}\n`);

/** Deterministic pseudo-random numbers, so runs compare. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface Learner {
  actor: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
  registrations: string[];
}

/** A learner's 100 statements: AU sessions in each module, at times spread over the year. */
function learnerStatements(n: number, start: number): { learner: Learner; statements: Array<Statement & { id: string; at: number }> } {
  const rnd = random(n + 1);
  const actor = { objectType: 'Agent' as const, name: `Lernende ${n}`, account: { homePage: HOME, name: `learner-${n}` } };
  const registrations = MODULES.map(() => randomUUID());
  const statements: Array<Statement & { id: string; at: number }> = [];
  let m = 0;
  while (statements.length < PER_LEARNER) {
    const mod = MODULES[m % MODULES.length]!;
    const registration = registrations[m % MODULES.length]!;
    const au = mod.aus[Math.floor(rnd() * mod.aus.length)]!;
    let at = start + Math.floor(rnd() * (YEAR - 3_600_000));
    const session = randomUUID();
    const passed = rnd() < 0.7;
    const verbs = [
      'launched',
      'initialized',
      ...Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => 'answered'),
      'completed',
      passed ? 'passed' : 'failed',
      'terminated',
    ];
    if (passed && rnd() < 0.3) verbs.push('satisfied');
    for (const v of verbs) {
      if (statements.length >= PER_LEARNER) break;
      at += 30_000 + Math.floor(rnd() * 120_000);
      const object =
        v === 'satisfied'
          ? {
              objectType: 'Activity' as const,
              id: mod.id,
              definition: { name: { 'de-DE': `Modul ${(m % MODULES.length) + 1}` }, type: 'https://w3id.org/xapi/cmi5/activitytype/course' },
            }
          : { objectType: 'Activity' as const, id: au, definition: { name: { 'de-DE': 'Lerneinheit' } } };
      const result =
        v === 'passed' || v === 'failed'
          ? { score: { scaled: passed ? 0.8 : 0.4 }, success: passed, duration: 'PT12M' }
          : v === 'completed'
            ? { completion: true, duration: 'PT11M' }
            : v === 'answered'
              ? { response: 'b', success: rnd() < 0.6 }
              : undefined;
      statements.push({
        id: randomUUID(),
        at,
        actor,
        verb: verb(v),
        object,
        ...(result ? { result } : {}),
        context: {
          registration,
          contextActivities: { category: [{ id: CMI5 }], grouping: [{ id: mod.id }] },
          extensions: { [SESSION]: session },
        },
        timestamp: new Date(at).toISOString(),
      });
    }
    m++;
  }
  return { learner: { actor, registrations }, statements };
}

async function main(): Promise<void> {
  const bench = await bootLrsBench();
  const { running } = bench;
  out(`Datenbank: ${running.database.source}`);
  let now = new Date(0);
  const store = createStoreStatements({
    repo: createStatementRepository(running.connection),
    clock: { now: () => now },
    logger: createLogger('silent'),
    guards: [],
    hooks: [],
  });
  const credential: Credential = {
    key: KEY,
    name: 'Bench',
    scopes: ['all'],
    authority: { objectType: 'Agent', name: 'Bench', mbox: 'mailto:bench@example.org' },
  };
  const url = `${running.url}/xapi/statements`;
  const get = async (qs: string) => {
    const t = performance.now();
    const res = await fetch(qs.startsWith('/') ? running.url + qs : `${url}?${qs}`, { headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' } });
    const body = (await res.json()) as { statements: unknown[]; more: string };
    // a query slower than the driver waits for a reply (DATABASE_WAIT) is answered 503: counted, timed
    if (res.status !== 200) return { ms: performance.now() - t, body: { statements: [], more: '' }, failed: res.status };
    return { ms: performance.now() - t, body, failed: 0 };
  };

  const learners: Learner[] = [];
  const start = Date.now() - YEAR - 86_400_000;
  const results = new Map<string, Map<number, { p50: number; p95: number; hits: number }>>();
  try {
    for (const size of SIZES) {
      const t0 = performance.now();
      const fresh = Array.from({ length: Math.max(0, size / PER_LEARNER - learners.length) }, (_, k) => learnerStatements(learners.length + k, start));
      learners.push(...fresh.map((f) => f.learner));
      const all = fresh.flatMap((f) => f.statements).sort((a, b) => a.at - b.at);
      for (let i = 0; i < all.length; i += BATCH) {
        const batch = all.slice(i, i + BATCH);
        now = new Date(batch[batch.length - 1]!.at + 1000);
        await store(
          batch.map(({ at: _at, ...s }) => s),
          credential,
          { version: DEFAULT_VERSION, batch: true },
        );
      }
      const loadSeconds = (performance.now() - t0) / 1000;
      out('');
      out(
        `${learners.length * PER_LEARNER} Anweisungen (${all.length} geladen in ${loadSeconds.toFixed(1)} s, ${(all.length / loadSeconds).toFixed(0)} st/s über storeStatements)`,
      );
      out('Abfrage                               Seite   p50 [ms]   p95 [ms]   Treffer (1. Seite)');
      const rnd = random(size);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const kinds: Array<{ name: string; qs: () => string }> = [
        { name: 'agent', qs: () => `agent=${encodeURIComponent(JSON.stringify(pick(learners).actor))}` },
        { name: 'activity (AU)', qs: () => `activity=${encodeURIComponent(pick(pick(MODULES).aus))}` },
        { name: 'registration', qs: () => `registration=${pick(pick(learners).registrations)}` },
        { name: 'verb', qs: () => `verb=${encodeURIComponent(verb(pick(['completed', 'passed', 'answered', 'satisfied'])).id)}` },
        {
          name: 'agent + activity',
          qs: () => `agent=${encodeURIComponent(JSON.stringify(pick(learners).actor))}&activity=${encodeURIComponent(pick(pick(MODULES).aus))}`,
        },
      ];
      for (const kind of kinds) {
        for (const limit of [10, 0]) {
          const first: number[] = [];
          const second: number[] = [];
          let hits = 0;
          let failed = 0;
          for (let r = 0; r < REPS; r++) {
            const page = await get(`${kind.qs()}${limit ? `&limit=${limit}` : ''}`);
            first.push(page.ms);
            hits += page.body.statements.length;
            if (page.failed) failed++;
            if (page.body.more) {
              const next = await get(page.body.more);
              second.push(next.ms);
              if (next.failed) failed++;
            }
          }
          for (const [label, times] of [
            ['1', first],
            ['2', second],
          ] as const) {
            if (!times.length) continue;
            const name = `${kind.name}${limit ? ', limit=10' : ', Standard-Limit'}`;
            const row = { p50: percentile(times, 50), p95: percentile(times, 95), hits: hits / REPS };
            const key = `${name}|${label}`;
            if (!results.has(key)) results.set(key, new Map());
            results.get(key)!.set(size, row);
            const note = label === '1' ? `${row.hits.toFixed(1).padStart(8)}${failed ? `   ${failed}× Fehler (503: keine Antwort der Datenbank)` : ''}` : '';
            out(`${name.padEnd(36)}  ${label.padStart(5)}   ${row.p50.toFixed(1).padStart(8)}   ${row.p95.toFixed(1).padStart(8)}   ${note}`);
          }
        }
      }
    }
    if (SIZES.length > 1) {
      const [small, large] = [SIZES[0]!, SIZES[SIZES.length - 1]!];
      out('');
      out(`p50 bei ${large} / p50 bei ${small}`);
      for (const [key, bySize] of results) {
        const a = bySize.get(small);
        const b = bySize.get(large);
        if (a && b) out(`${key.replace('|', ', Seite ').padEnd(46)} ${(b.p50 / a.p50).toFixed(1).padStart(7)}×`);
      }
    }
  } finally {
    await bench.stop();
  }
}

runBench(main);
