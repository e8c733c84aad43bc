import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { ValidationReport } from '../../src/content/types.ts';
import { DomainError } from '../../src/shared/errors.ts';
import type { TestApp } from '../support/test-app.ts';

export const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'lotse-content-'));

/**
 * Everything the content component has stored: records, GridFS files and chunks, the file store's zips
 * (and its temp files), cache directories, notes of running imports, zips waiting for GridFS.
 */
export async function storedState(app: TestApp) {
  const db = app.running.connection.db!;
  const cacheRoot = path.join(app.dataDir, 'content-cache');
  const list = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();
  return {
    modules: await db.collection('content_modules').countDocuments(),
    versions: await db.collection('content_versions').countDocuments(),
    gridFiles: await db.collection('content.files').countDocuments(),
    gridChunks: await db.collection('content.chunks').countDocuments(),
    packages: (await list(path.join(app.dataDir, 'packages'))).filter((d) => d !== '.tmp'),
    packagesTmp: await list(path.join(app.dataDir, 'packages', '.tmp')),
    cache: (await list(cacheRoot)).filter((d) => !['.tmp', '.pending', '.importing'].includes(d)),
    tmp: await list(path.join(cacheRoot, '.tmp')),
    importing: await list(path.join(cacheRoot, '.importing')),
    pending: await list(path.join(cacheRoot, '.pending')),
  };
}

/** Imports and expects a refusal with this error code; returns the report. Asserts nothing stayed behind. */
export async function expectRefused(app: TestApp, file: string, code: string, opts: { moduleSlug?: string } = {}): Promise<ValidationReport> {
  const before = await storedState(app);
  let caught: unknown;
  try {
    await app.running.app.content.service.importPackage(file, opts);
  } catch (err) {
    caught = err;
  }
  expect(caught, 'import must be refused').to.be.instanceOf(DomainError);
  const err = caught as DomainError;
  expect(err.kind).to.equal('validation');
  const report = err.details.report as ValidationReport;
  expect(report.ok).to.equal(false);
  expect(
    report.errors.map((e) => e.code),
    JSON.stringify(report.errors),
  ).to.include(code);
  const after = await storedState(app);
  expect(after).to.deep.equal({ ...before, tmp: [] });
  return report;
}

export const errorOf = (report: ValidationReport, code: string) => report.errors.find((e) => e.code === code)!;

/** Waits until a version's copy into GridFS has ended (an earlier release's import, resumed at start). */
export async function storageSettled(app: TestApp, versionId: string, timeoutMs = 20_000): Promise<string | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await app.running.app.content.service.getVersion(versionId);
    if (v?.storage !== 'storing' || Date.now() > until) return v?.storage;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A superagent parser that keeps the body as bytes (zips, videos). */
export function binary(res: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
