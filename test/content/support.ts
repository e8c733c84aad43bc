import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { ValidationReport } from '../../src/content/types.ts';
import { DomainError } from '../../src/shared/errors.ts';
import type { TestApp } from '../support/test-app.ts';

export const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'lotse-content-'));

/** Everything the content component has stored: records, GridFS files and chunks, cache directories. */
export async function storedState(app: TestApp) {
  const db = app.running.connection.db!;
  const cacheRoot = path.join(app.dataDir, 'content-cache');
  const list = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();
  return {
    modules: await db.collection('content_modules').countDocuments(),
    versions: await db.collection('content_versions').countDocuments(),
    gridFiles: await db.collection('content.files').countDocuments(),
    gridChunks: await db.collection('content.chunks').countDocuments(),
    cache: (await list(cacheRoot)).filter((d) => d !== '.tmp'),
    tmp: await list(path.join(cacheRoot, '.tmp')),
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
  expect(report.errors.map((e) => e.code), JSON.stringify(report.errors)).to.include(code);
  const after = await storedState(app);
  expect(after).to.deep.equal({ ...before, tmp: [] });
  return report;
}

export const errorOf = (report: ValidationReport, code: string) => report.errors.find((e) => e.code === code)!;
