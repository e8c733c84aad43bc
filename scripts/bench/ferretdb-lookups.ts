/**
 * `npm run bench:ferretdb` (not a test): what our FerretDB patches (scripts/ferretdb-patches/) do to
 * point lookups, measured in one run. A fresh embedded FerretDB with the patched binary, then the same
 * with the unpatched upstream build, each with 2k and then 40k small documents indexed on {a, b};
 * printed: the p50 of findOne and updateOne by _id and by {a, b} at both sizes, and how much they grow
 * (the goal is at most 3×: an index search, not a scan).
 * Settings: BENCH_SIZES (default "2000,40000"), BENCH_UNPATCHED=false skips the baseline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Collection } from 'mongodb';
import { startFerretDb } from '../../src/db/embedded-ferretdb.ts';
import { findOrBuildFerretDb } from '../../src/db/ferretdb-binary.ts';

const SIZES = (process.env.BENCH_SIZES ?? '2000,40000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const WITH_UNPATCHED = process.env.BENCH_UNPATCHED !== 'false';
/** Per operation and size: up to this many samples, but stop after the time budget (a scan is slow). */
const MAX_SAMPLES = 200;
const BUDGET_MS = 3000;
const out = (line = '') => process.stdout.write(`${line}\n`);

interface Row {
  _id: string;
  a: string;
  b: string;
  n: number;
  note: string;
}

const row = (i: number): Row => ({ _id: `d${i}`, a: `learner${i % 1000}`, b: `module${i}`, n: 0, note: 'klein' });

type Operation = (c: Collection<Row>, i: number) => Promise<unknown>;
const operations: Array<[string, Operation]> = [
  ['findOne by _id', (c, i) => c.findOne({ _id: row(i)._id })],
  ['findOne by {a, b}', (c, i) => c.findOne({ a: row(i).a, b: row(i).b })],
  ['updateOne by _id', (c, i) => c.updateOne({ _id: row(i)._id }, { $inc: { n: 1 } })],
  ['updateOne by {a, b}', (c, i) => c.updateOne({ a: row(i).a, b: row(i).b }, { $inc: { n: 1 } })],
];

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** p50 in ms of `op` on documents spread over the first `size` ones. */
async function p50(c: Collection<Row>, size: number, op: Operation): Promise<number> {
  const times: number[] = [];
  const until = performance.now() + BUDGET_MS;
  for (let k = 0; k < MAX_SAMPLES && (k < 3 || performance.now() < until); k++) {
    const i = (k * 7919) % size;
    const t0 = performance.now();
    const res = await op(c, i);
    times.push(performance.now() - t0);
    if (res === null) throw new Error(`document ${i} not found`);
  }
  return median(times);
}

/** The p50 of every operation at every size, on a fresh server started from `binary`. */
async function measure(binary: string): Promise<Map<string, number[]>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-ferretdb-'));
  const server = await startFerretDb({ binary, dir });
  const client = await MongoClient.connect(server.uri);
  const results = new Map<string, number[]>(operations.map(([name]) => [name, []]));
  try {
    const c = client.db('bench').collection<Row>('lookups');
    await c.createIndex({ a: 1, b: 1 });
    let stored = 0;
    for (const size of SIZES) {
      for (; stored < size; stored += 1000) {
        await c.insertMany(Array.from({ length: Math.min(1000, size - stored) }, (_, k) => row(stored + k)));
      }
      for (const [name, op] of operations) results.get(name)!.push(await p50(c, size, op));
    }
  } finally {
    await client.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

function print(title: string, results: Map<string, number[]>): void {
  out(title);
  out(`  ${'p50 ms'.padEnd(22)}${SIZES.map((s) => `${s} docs`.padStart(12)).join('')}${'growth'.padStart(10)}`);
  for (const [name, times] of results) {
    const growth = times.at(-1)! / times[0]!;
    out(`  ${name.padEnd(22)}${times.map((t) => t.toFixed(2).padStart(12)).join('')}${`${growth.toFixed(1)}×`.padStart(10)}`);
  }
  out();
}

async function main(): Promise<void> {
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  const patched = await findOrBuildFerretDb(log);
  if (!patched) throw new Error('Kein FerretDB-Binary und kein Go zum Bauen (scripts/ensure-ferretdb.sh)');
  const mine = await measure(patched);
  print(`FerretDB v1.24.2 with our patches (${patched})`, mine);
  if (!WITH_UNPATCHED) return;
  const upstream = await findOrBuildFerretDb(log, { unpatched: true });
  if (!upstream) throw new Error('Das ungepatchte FerretDB-Binary lässt sich nicht bauen');
  const base = await measure(upstream);
  print(`FerretDB v1.24.2 unpatched (${upstream})`, base);
  out(`unpatched / patched at ${SIZES.at(-1)} docs:`);
  for (const [name, times] of mine) out(`  ${name.padEnd(22)}${`${(base.get(name)!.at(-1)! / times.at(-1)!).toFixed(0)}×`.padStart(10)}`);
}

await main();
