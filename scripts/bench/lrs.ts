/**
 * `npm run bench:lrs` (not a test): LRS throughput and query time, measured in one run.
 *   1. statements/second for POST /xapi/statements with batches of 1, 10 and 100, against the same
 *      statements through a raw insertMany, and against inserting the finished rows the LRS would
 *      write (repo.rawInsert: statements and key rows) on the same database; printed as ratios.
 *      POST/LRS is what issue #16 holds the LRS to: at least 0.5 for single statements and 0.6 for
 *      batches of 100 (the LRS's own work — validation, hooks, look-ups — costs less than the writes).
 *      The client is node:http with a keep-alive agent, as HTTP load tools and server-side xAPI
 *      clients send. It runs in this process, on the server's event loop, so its own cost still
 *      counts against the LRS. The WHATWG fetch the bench used before costs about 0.5 ms more per
 *      request (0.62 against 0.12 ms for a round trip to a bare node:http server on this machine),
 *      which the LRS does not spend: its column is printed beside (the same statements, activities
 *      of their own), so both clients' figures come from one run.
 *   2. GET /xapi/statements?agent=…&verb=…&since=… over 10k and 100k stored statements.
 * Settings: BENCH_STATEMENTS (statements per POST series, default 1000), BENCH_COUNTS (default
 * "10000,100000"), MONGODB_URI (else the embedded database of database.md in a temp dir).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { BENCH_AUTH, BENCH_CLIENT, bootLrsBench, median, runBench } from './bench-support.ts';
import { queryFields, NO_REF } from '../../src/lrs/statements/query-fields.ts';
import { createStatementRepository, type NewStatementRow } from '../../src/lrs/statements/repository.ts';
import type { Statement } from '../../src/lrs/types.ts';

const PER_SERIES = Number(process.env.BENCH_STATEMENTS ?? 1000);
const COUNTS = (process.env.BENCH_COUNTS ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const KEY = BENCH_CLIENT.key;
const AUTH = BENCH_AUTH;
const AGENTS = 200;
const VERBS = 10;
const out = (line = '') => process.stdout.write(`${line}\n`);

function makeStatement(i: number): Statement & { id: string } {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', name: `Person ${i % AGENTS}`, mbox: `mailto:person${i % AGENTS}@example.org` },
    verb: { id: `http://example.org/verbs/v${i % VERBS}`, display: { 'de-DE': `Verb ${i % VERBS}` } },
    object: { objectType: 'Activity', id: `http://example.org/activities/a${i % 500}`, definition: { name: { 'de-DE': 'Aktivität' } } },
    result: { score: { scaled: (i % 100) / 100 }, completion: true },
    context: { registration: randomUUID() },
  };
}

/** The row the LRS would store for a statement (what POST writes, without its checks). */
function row(s: Statement & { id: string }, when: Date): NewStatementRow {
  const full = { ...s, timestamp: when.toISOString(), stored: when.toISOString(), authority: { mbox: 'mailto:bench@example.org' }, version: '1.0.0' };
  return { statementId: s.id, raw: JSON.stringify(full), stored: when, authorityKey: KEY, attachmentHashes: [], ...queryFields(full), ...NO_REF };
}

async function main(): Promise<void> {
  const bench = await bootLrsBench();
  const { running } = bench;
  out(`Datenbank: ${running.database.source}`);
  const url = `${running.url}/xapi/statements`;
  const headers = { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: unknown) =>
    new Promise<void>((resolve, reject) => {
      const json = JSON.stringify(body);
      const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(json) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`POST ${res.statusCode}: ${Buffer.concat(chunks).toString()}`))));
      });
      req.on('error', reject);
      req.end(json);
    });
  const postWithFetch = async (body: unknown) => {
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`POST ${res.status}: ${await res.text()}`);
  };
  const raw = running.connection.collection('bench_raw_insert');
  const repo = createStatementRepository(running.connection);
  let i = 0;
  try {
    out('');
    out(`POST /xapi/statements gegen insertMany (je ${PER_SERIES} Anweisungen)`);
    out('  insertMany roh: die Anweisungen als Dokumente in eine Sammlung ohne Indexe');
    out('  insertMany LRS: fertige Zeilen in lrs_statements und ihre Schlüsselzeilen (was POST schreibt)');
    out('  POST fetch: dieselben Anweisungen (eigene Aktivitäten) mit fetch statt node:http gesendet');
    out('Batch   POST [st/s]   insertMany roh [st/s]   roh/POST   insertMany LRS [st/s]   LRS/POST   POST/LRS (Ziel)          POST fetch [st/s]   fetch/LRS');
    const targets: Record<number, number> = { 1: 0.5, 100: 0.6 };
    for (const batch of [1, 10, 100]) {
      const batches = Math.max(1, Math.round(PER_SERIES / batch));
      const lists = Array.from({ length: batches }, () => Array.from({ length: batch }, () => makeStatement(i++)));
      const rawLists = Array.from({ length: batches }, () => Array.from({ length: batch }, () => ({ ...makeStatement(i++) })));
      const rowLists = Array.from({ length: batches }, () => Array.from({ length: batch }, () => row(makeStatement(i++), new Date())));
      // the same statements, new ids, activities of their own
      const fetchLists = lists.map((list) =>
        list.map((s) => ({
          ...s,
          id: randomUUID(),
          object: { ...s.object, id: (s.object as { id: string }).id.replace('/activities/', '/activities/fetch/') },
          context: { registration: randomUUID() },
        })),
      );
      // the four take turns, batch by batch, so that a machine shared with others slows them alike
      const spent = { post: 0, raw: 0, row: 0, fetch: 0 };
      const timed = async (key: keyof typeof spent, fn: () => Promise<unknown>) => {
        const t = performance.now();
        await fn();
        spent[key] += performance.now() - t;
      };
      for (let k = 0; k < batches; k++) {
        await timed('post', () => post(batch === 1 ? lists[k]![0] : lists[k]));
        await timed('raw', () => raw.insertMany(rawLists[k]!));
        await timed('row', () => repo.rawInsert(rowLists[k]!));
        await timed('fetch', () => postWithFetch(batch === 1 ? fetchLists[k]![0] : fetchLists[k]));
      }
      const rate = (ms: number) => (batches * batch) / (ms / 1000);
      const postRate = rate(spent.post);
      const rawRate = rate(spent.raw);
      const rowRate = rate(spent.row);
      const fetchRate = rate(spent.fetch);
      out(
        `${String(batch).padStart(5)}   ${postRate.toFixed(0).padStart(11)}   ${rawRate.toFixed(0).padStart(21)}   ${(rawRate / postRate).toFixed(1).padStart(8)}   ${rowRate.toFixed(0).padStart(21)}   ${(rowRate / postRate).toFixed(1).padStart(8)}   ${(postRate / rowRate).toFixed(2).padStart(8)}${(targets[batch] ? ` (≥ ${targets[batch]}${postRate / rowRate >= targets[batch] ? ', erreicht' : ', verfehlt'})` : '').padEnd(16)}   ${fetchRate.toFixed(0).padStart(17)}   ${(fetchRate / rowRate).toFixed(2).padStart(9)}`,
      );
    }

    let stored = await repo.count();
    out('');
    out('GET agent + verb + since (Median aus 15 Abfragen, je bis zu 100 Treffer)');
    for (const target of COUNTS) {
      const t0 = performance.now();
      const start = Date.now() - target * 1000;
      while (stored < target) {
        const chunk = Math.min(2000, target - stored);
        const rows: NewStatementRow[] = Array.from({ length: chunk }, (_, k) => {
          return row(makeStatement(stored + k), new Date(start + (stored + k) * 1000));
        });
        await repo.rawInsert(rows);
        stored += chunk;
      }
      const fillSeconds = (performance.now() - t0) / 1000;
      const since = new Date(start + (target / 2) * 1000).toISOString();
      const times: number[] = [];
      let hits = 0;
      for (let k = 0; k < 15; k++) {
        const agent = JSON.stringify({ mbox: `mailto:person${k % AGENTS}@example.org` });
        const qs = `?agent=${encodeURIComponent(agent)}&verb=${encodeURIComponent(`http://example.org/verbs/v${k % VERBS}`)}&since=${encodeURIComponent(since)}`;
        const t = performance.now();
        const res = await fetch(url + qs, { headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' } });
        const body = (await res.json()) as { statements: unknown[] };
        times.push(performance.now() - t);
        hits = body.statements.length;
      }
      out(
        `${String(stored).padStart(7)} gespeichert (Auffüllen ${fillSeconds.toFixed(1)} s): ${median(times).toFixed(1)} ms Median, ${Math.max(...times).toFixed(1)} ms max, ${hits} Treffer`,
      );
    }
  } finally {
    agent.destroy();
    await bench.stop();
  }
}

runBench(main);
