import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { DomainError } from '../../src/shared/errors.ts';
import { csrfToken, startTestApp, type TestApp } from '../support/test-app.ts';
import { scorm12Single } from '../fixtures/content/packages.ts';
import { writeZip } from '../fixtures/content/zip-writer.ts';
import { binary, storageSettled, storedState, tempDir } from './support.ts';

/** A package big enough that its copy into GridFS is still running when the import answers (≈ 24 MB, ≈ 1 s here). */
function bigPackage(): Buffer {
  return writeZip([
    ...Object.entries(scorm12Single()).map(([name, data]) => ({ name, data })),
    { name: 'media/film.mp4', data: randomBytes(24 * 1024 ** 2), method: 'store' as const },
  ]);
}

async function expectConflict(promise: Promise<unknown>, message: string): Promise<void> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).to.be.instanceOf(DomainError);
  expect((err as DomainError).kind).to.equal('conflict');
  expect((err as DomainError).message).to.equal(message);
}

describe('content: the copy into GridFS after an acknowledged import', () => {
  let app: TestApp;
  let dir: string;
  let big: string;
  const dataDirs: string[] = [];
  before(async () => {
    dir = await tempDir();
    big = path.join(dir, 'big.zip');
    await writeFile(big, bigPackage());
  });
  // a database of its own for each test: on FerretDB, removing a GridFS file scans every chunk stored
  beforeEach(async () => {
    app = await startTestApp();
    dataDirs.push(app.dataDir);
  });
  afterEach(async () => app.stop());
  after(async () => {
    for (const d of [dir, ...dataDirs]) await rm(d, { recursive: true, force: true });
  });

  /** Stops the server as a deployment would and starts it again on the same database and DATA_DIR. */
  async function restart(between: () => Promise<void> = async () => {}): Promise<void> {
    const dataDir = app.dataDir;
    const dbName = app.running.connection.db!.databaseName;
    await app.running.stop();
    await between();
    const again = await startTestApp({ env: { DATA_DIR: dataDir, MONGODB_DB: dbName } });
    app = { ...again, dataDir };
  }
  const service = () => app.running.app.content.service;

  it('answers once the package is checked and extracted; publishes and exports only after the copy', async () => {
    const { module, version, stored } = await service().importPackage(big, { moduleTitle: 'Groß', publish: true, storage: 'background' });
    expect(version.storage).to.equal('storing');
    expect(module.publishedVersionId).to.equal(null);
    // the preview already works from this instance's extracted copy
    const film = await service().resolveFile(version.id, 'media/film.mp4');
    expect(film.size).to.equal(24 * 1024 ** 2);
    await expectConflict(service().publish(module.id, version.id), 'content:errors.versionStoring');
    await expectConflict(service().exportVersion(version.id), 'content:errors.versionStoring');
    await expectConflict(service().exportModule(module.id), 'content:errors.versionStoring');

    expect(await stored).to.equal('stored');
    const after = (await service().getVersion(version.id))!;
    expect(after.storage).to.equal('stored');
    // publication was asked for at import: it happens as soon as the copy is complete
    expect((await service().getModule(module.id))!.publishedVersionId).to.equal(version.id);
    const exported = await service().exportVersion(version.id);
    const chunks: Buffer[] = [];
    for await (const c of exported.stream) chunks.push(c as Buffer);
    expect(Buffer.compare(Buffer.concat(chunks), await readFile(big))).to.equal(0);
    expect((await storedState(app)).pending).to.deep.equal([]);
  });

  it('shows the author that the version is being stored and refuses publishing it meanwhile', async () => {
    const { agent } = await app.loggedIn(['author']);
    const token = await csrfToken(agent, '/author/modules');
    const up = await agent.post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`).field('module', 'Groß per Formular').attach('package', big);
    expect(up.status).to.equal(303);
    const versionId = (up.headers.location as string).split('/').pop()!;
    const page = await agent.get(`/author/versions/${versionId}`);
    expect(page.text).to.contain('Es wird gerade in der Datenbank gespeichert');
    const module = (await service().getModule('gross-per-formular'))!;
    const list = await agent.get(`/author/modules/${module.id}`);
    expect(list.text).to.contain('wird gespeichert');
    expect(list.text).not.to.contain(`value="${versionId}"`); // no publish button yet
    const t2 = await csrfToken(agent, `/author/modules/${module.id}`);
    const refused = await agent.post(`/author/modules/${module.id}/publish`).type('form').send({ _csrf: t2, versionId });
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain('Das Paket dieser Version wird gerade in der Datenbank gespeichert.');

    expect(await storageSettled(app, versionId)).to.equal('stored');
    const ok = await agent.post(`/author/modules/${module.id}/publish`).type('form').send({ _csrf: t2, versionId });
    expect(ok.status).to.equal(303);
    const exported = await agent.get(`/author/versions/${versionId}/export`).buffer(true).parse(binary);
    expect(Buffer.compare(exported.body as Buffer, await readFile(big))).to.equal(0);
  });

  it('deletes a version while its copy runs, leaving no chunk and no waiting zip behind', async () => {
    const before = await storedState(app);
    const { version } = await service().importPackage(big, { moduleTitle: 'Groß gelöscht', storage: 'background' });
    expect(version.storage).to.equal('storing');
    await service().deleteVersion(version.id);
    const after = await storedState(app);
    expect(after).to.deep.equal({ ...before, modules: before.modules + 1 });
  });

  it('resumes an interrupted copy when the server starts again', async () => {
    const { version } = await service().importPackage(big, { moduleTitle: 'Groß neu gestartet', publish: true, storage: 'background' });
    // stopping halts the copy half way; the zip waits in .pending for the next start
    await restart(async () => {
      expect(await readdir(path.join(app.dataDir, 'content-cache', '.pending'))).to.deep.equal([`${version.id}.zip`]);
    });
    expect(await storageSettled(app, version.id)).to.equal('stored');
    const v = (await service().getVersion(version.id))!;
    expect((await service().getModule(v.moduleId))!.publishedVersionId).to.equal(version.id);
    const exported = await service().exportVersion(version.id);
    const chunks: Buffer[] = [];
    for await (const c of exported.stream) chunks.push(c as Buffer);
    expect(Buffer.compare(Buffer.concat(chunks), await readFile(big))).to.equal(0);
    const state = await storedState(app);
    expect(state.pending).to.deep.equal([]);
  });

  it('marks a version whose zip cannot be copied as failed, after three tries, and refuses publishing it', async () => {
    const { module, version } = await service().importPackage(big, { moduleTitle: 'Groß kaputt', storage: 'background' });
    await restart(async () => {
      // the waiting zip became unreadable (here: a directory in its place)
      const pending = path.join(app.dataDir, 'content-cache', '.pending', `${version.id}.zip`);
      await rm(pending);
      await mkdir(pending);
    });
    expect(await storageSettled(app, version.id)).to.equal('failed');
    await expectConflict(service().publish(module.id, version.id), 'content:errors.versionStoreFailed');
    const state = await storedState(app);
    expect(state.pending).to.deep.equal([]);
    // the author can remove it and upload again
    await service().deleteVersion(version.id);
    expect(await service().getVersion(version.id)).to.equal(undefined);
  });
});
