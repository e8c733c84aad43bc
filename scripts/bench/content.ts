/**
 * npm run bench:content — import and serving speed of the content component, measured in one run:
 *  1. a generated package of ≥ 100 MB with many files (pages, scripts, styles, images, videos);
 *  2. `unzip -q` of that zip to disk, taking turns with service.importPackage as an author's upload
 *     calls it with publication (inspect, inflate into the cache while the zip goes into the package
 *     store, record and publish: when it answers, the version launches); with the server process's
 *     peak RSS growth over the whole of it. The package store is the configured default (PACKAGE_STORE:
 *     the file store on the embedded database); then the same with GridFS, and an import from a file
 *     the store must copy (the CLI's case) rather than take over (an upload's);
 *  3. requests per second for small package files: express.static on the extracted directory against
 *     /content/t/<token>/<versionId>/<path> on the content origin's listener (the player's URLs).
 * Goals: import until published ≤ 2 × unzip, RSS growth ≤ 100 MB, serving ≥ 70 % of express.static.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import express from 'express';
import { median } from './bench-support.ts';
import type { PackageInfo } from './content-package.ts';
import { boot } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import { createContentComponent } from '../../src/content/component.ts';
import { createFileBlobs, createGridFsBlobs } from '../../src/content/package-blobs.ts';
import { ReportBuilder } from '../../src/content/report.ts';
import { extractZip } from '../../src/content/zip-extract.ts';
import { DEFAULT_LIMITS, inspectZip } from '../../src/content/zip-inspect.ts';
import { chooseDatabase } from '../../src/db/choose-database.ts';
import { ObjectId } from 'mongodb';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** 20 lessons make a package of about 135 MB (≈ 100 MB zipped); fewer for a quick look. */
const LESSONS = Number(process.env.BENCH_LESSONS ?? 20);
/** unzip and import take turns this often; the disk of a shared VM varies by 2× from one run to the next. */
const ROUNDS = 5;
const log = (s = '') => process.stdout.write(`${s}\n`);
const mb = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MB`;

/** Writes dirty pages back first, so a timed run does not pay for the previous run's writes. */
const settle = () => execFileSync('sync');

const time = async (fn: () => Promise<unknown> | unknown) => {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};

/** The load generator runs in a worker thread, so it does not share the server's event loop. */
const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, paths, headers, seconds, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let done = 0, errors = 0, i = 0;
const end = Date.now() + seconds * 1000;
function one() {
  if (Date.now() >= end) return Promise.resolve();
  const p = paths[i++ % paths.length];
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => { if (res.statusCode === 200) done++; else errors++; resolve(); });
    });
    req.on('error', () => { errors++; resolve(); });
  }).then(one);
}
Promise.all(Array.from({ length: concurrency }, one)).then(() => { agent.destroy(); parentPort.postMessage({ done, errors }); });
`;

function load(port: number, paths: string[], headers: Record<string, string> = {}): Promise<{ rps: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(LOAD, { eval: true, workerData: { port, paths, headers, seconds: SECONDS, concurrency: CONCURRENCY } });
    w.once('message', (m: { done: number; errors: number }) => resolve({ rps: m.done / SECONDS, errors: m.errors }));
    w.once('error', reject);
  });
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-content-'));
  try {
    log('Paket wird erzeugt …');
    const zipFile = path.join(dir, 'bench.zip');
    const generator = fileURLToPath(new URL('./content-package.ts', import.meta.url));
    const pkg = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', generator, zipFile, String(LESSONS)], { encoding: 'utf8', maxBuffer: 64 * 1024 ** 2 }),
    ) as PackageInfo;
    const zipSize = (await stat(zipFile)).size;
    log(`Paket: ${pkg.files} Dateien, ${mb(pkg.bytes)} entpackt, ${mb(zipSize)} als ZIP`);

    const database = await chooseDatabase({ mongodbUri: process.env.MONGODB_URI, dir: path.join(dir, 'db'), role: 'test', log: () => {} });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      MONGODB_DB: 'bench_content',
    });
    const running = await boot({ config, database, role: 'test' });
    try {
      const service = running.app.content.service;
      // the same service writing to GridFS (PACKAGE_STORE=gridfs, the default with MONGODB_URI)
      const gridService = (await createContentComponent({ ...running.ctx, config: { ...config, packageStore: 'gridfs' } })).service;
      const uploads = path.join(config.dataDir, 'uploads');
      await mkdir(uploads, { recursive: true });
      type Service = typeof service;
      /** One import as the upload route makes it: from multer's temp file (tempFile), with publication. */
      async function importOnce(svc: Service, r: string, tempFile: boolean) {
        const upload = path.join(uploads, `upload-${r}.zip`);
        await copyFile(zipFile, upload);
        global.gc?.();
        settle();
        const base = process.memoryUsage().rss;
        let peak = base;
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage().rss);
        }, 5);
        const started = process.hrtime.bigint();
        const result = await svc.importPackage(upload, { moduleTitle: 'Benchmark', publish: true, tempFile, originalName: 'bench.zip' });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage().rss);
        await rm(upload, { force: true });
        // the answer's promise: published, and a file of it serves at once
        if (result.module.publishedVersionId !== result.version.id || result.version.storage !== 'stored')
          throw new Error('the benchmark package was not published at once');
        await svc.resolveFile(result.version.id, pkg.small[0]!);
        return { ms, rss: peak - base, versionId: result.version.id, packageStore: result.version.packageStore };
      }
      // unzip and import take turns, each after `sync`, so both meet the same disk and page-cache state
      const unzipRuns: number[] = [];
      const importRuns: Array<{ ms: number; rss: number }> = [];
      let versionId = '';
      let defaultStore = '';
      for (let r = 0; r < ROUNDS; r++) {
        const out = path.join(dir, `unzip-${r}`);
        settle();
        unzipRuns.push(await time(() => execFileSync('unzip', ['-q', zipFile, '-d', out])));
        await rm(out, { recursive: true, force: true });
        const run = await importOnce(service, `d${r}`, true);
        versionId = run.versionId;
        defaultStore = run.packageStore;
        importRuns.push(run);
      }
      const gridRuns: Array<{ ms: number; rss: number }> = [];
      for (let r = 0; r < 2; r++) gridRuns.push(await importOnce(gridService, `g${r}`, true));
      const copyRun = await importOnce(service, 'c', false);
      const unzipMs = Math.min(...unzipRuns);
      const bestImport = Math.min(...importRuns.map((r) => r.ms));

      // where the import's time goes: the two halves it runs side by side
      settle();
      const extractMs = await time(async () => {
        const opened = (await inspectZip(zipFile, DEFAULT_LIMITS, new ReportBuilder()))!;
        await extractZip(opened, path.join(dir, 'extract-only'), { maxTotalBytes: DEFAULT_LIMITS.maxTotalBytes });
        opened.close();
      });
      await rm(path.join(dir, 'extract-only'), { recursive: true, force: true });
      const put = { filename: 'bench.zip', metadata: {} };
      settle();
      const gridMs = await time(() => createGridFsBlobs(running.connection).put(zipFile, new ObjectId().toString(), put));
      settle();
      const fileMs = await time(() => createFileBlobs(path.join(dir, 'file-only')).put(zipFile, new ObjectId().toString(), put));
      const maxRss = Math.max(...importRuns.map((r) => r.rss), ...gridRuns.map((r) => r.rss), copyRun.rss);

      // serving: the same extracted files, express.static against the content routes
      const extracted = path.join(config.dataDir, 'content-cache', versionId);
      const plain = express();
      plain.use(express.static(extracted));
      const staticServer = http.createServer(plain);
      await new Promise<void>((res) => staticServer.listen(0, '127.0.0.1', () => res()));
      const staticPort = (staticServer.address() as { port: number }).port;
      // the content route alone, without the content app's middleware (request log, headers)
      const bare = express();
      bare.use(running.app.content.contentOriginRouter);
      const bareServer = http.createServer(bare);
      await new Promise<void>((res) => bareServer.listen(0, '127.0.0.1', () => res()));
      const barePort = (bareServer.address() as { port: number }).port;
      const contentPort = (running.contentServer!.address() as { port: number }).port;
      service.registerLaunchTokenVerifier(async (token, v) => token === 'bench-token-0123456789' && v === versionId);
      const paths = pkg.small.slice(0, 600);
      const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');

      const results: Record<string, { rps: number; errors: number }> = {};
      for (const round of [1, 2]) {
        results[`static${round}`] = await load(
          staticPort,
          paths.map((p) => `/${enc(p)}`),
        );
        results[`token${round}`] = await load(
          contentPort,
          paths.map((p) => `/content/t/bench-token-0123456789/${versionId}/${enc(p)}`),
        );
        results[`bare${round}`] = await load(
          barePort,
          paths.map((p) => `/content/t/bench-token-0123456789/${versionId}/${enc(p)}`),
        );
      }
      const best = (k: string) => Math.max(results[`${k}1`]!.rps, results[`${k}2`]!.rps);
      const errs = (k: string) => results[`${k}1`]!.errors + results[`${k}2`]!.errors;
      staticServer.close();
      bareServer.close();

      log('');
      log(`Import (${pkg.files} Dateien, ${mb(pkg.bytes)}):`);
      log(`  unzip -q auf die Platte:      ${unzipRuns.map((m) => m.toFixed(0)).join(' / ')} ms (bester ${unzipMs.toFixed(0)} ms)`);
      log(
        `  importPackage bis veröffentlicht (${defaultStore}): ${importRuns.map((r) => r.ms.toFixed(0)).join(' / ')} ms (bester ${bestImport.toFixed(0)} ms)`,
      );
      log(
        `  … mit PACKAGE_STORE=gridfs (${running.database.source}): ${gridRuns.map((r) => r.ms.toFixed(0)).join(' / ')} ms (bester ${Math.min(...gridRuns.map((r) => r.ms)).toFixed(0)} ms)`,
      );
      log(`  … aus einer Datei, die kopiert werden muss (CLI): ${copyRun.ms.toFixed(0)} ms`);
      log(
        `    allein: Prüfen+Entpacken ${extractMs.toFixed(0)} ms (${(extractMs / unzipMs).toFixed(2)} × unzip), ZIP in GridFS ${gridMs.toFixed(0)} ms, ZIP kopiert in den Dateispeicher ${fileMs.toFixed(0)} ms`,
      );
      const perRound = importRuns.map((r, i) => r.ms / unzipRuns[i]!);
      log(
        `  Verhältnis veröffentlicht/unzip: ${(bestImport / unzipMs).toFixed(2)} × bester/bester (Ziel ≤ 2 ×); je Runde ${perRound.map((x) => x.toFixed(2)).join(' / ')}, Median ${median(perRound).toFixed(2)} ×`,
      );
      log(`  … mit GridFS: ${(Math.min(...gridRuns.map((r) => r.ms)) / unzipMs).toFixed(2)} × bester/bester`);
      log(
        `  RSS-Zuwachs (Spitze):         ${importRuns.map((r) => mb(r.rss)).join(' / ')}; GridFS ${gridRuns.map((r) => mb(r.rss)).join(' / ')} (höchster ${mb(maxRss)}, Ziel ≤ 100 MB)`,
      );
      log(`Auslieferung (${paths.length} kleine Dateien, ${CONCURRENCY} Verbindungen, ${SECONDS} s je Lauf, bester von 2):`);
      log(`  express.static:               ${best('static').toFixed(0)} req/s (Fehler ${errs('static')})`);
      log(
        `  /content/t/<token>/…:         ${best('token').toFixed(0)} req/s (Fehler ${errs('token')})  → ${((best('token') / best('static')) * 100).toFixed(0)} % (Ziel ≥ 70 %)`,
      );
      log(`  nur die Content-Route (ohne globale Middleware): ${best('bare').toFixed(0)} req/s → ${((best('bare') / best('static')) * 100).toFixed(0)} %`);
    } finally {
      await running.stop();
      await database.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
