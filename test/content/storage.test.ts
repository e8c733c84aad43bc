import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DomainError } from '../../src/shared/errors.ts';
import { launch } from '../player/support.ts';
import { csrfToken, startTestApp, type TestApp } from '../support/test-app.ts';
import { scorm12Single } from '../fixtures/content/packages.ts';
import { writeZip } from '../fixtures/content/zip-writer.ts';
import { binary, storageSettled, storedState, tempDir } from './support.ts';

const root = path.resolve(import.meta.dirname, '../..');
const FILM_BYTES = 24 * 1024 ** 2;

/** A package big enough that storing it takes a while (≈ 24 MB; in GridFS on FerretDB ≈ 1 s). */
function bigPackage(): Buffer {
  return writeZip([
    ...Object.entries(scorm12Single()).map(([name, data]) => ({ name, data })),
    { name: 'media/film.mp4', data: randomBytes(FILM_BYTES), method: 'store' as const },
  ]);
}

async function expectConflict(promise: Promise<unknown>, message: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(DomainError);
  expect((err as DomainError).kind).to.equal('conflict');
  expect((err as DomainError).message).to.equal(message);
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

for (const kind of ['file', 'gridfs'] as const) {
  describe(`content: package storage and publication (PACKAGE_STORE=${kind})`, function () {
    this.timeout(60_000);
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
      app = await startTestApp({ env: { PACKAGE_STORE: kind } });
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
      const again = await startTestApp({ env: { DATA_DIR: dataDir, MONGODB_DB: dbName, PACKAGE_STORE: kind } });
      app = { ...again, dataDir };
    }
    const service = () => app.running.app.content.service;

    /** A learner presses "Starten" and the package's launch page and its film load from the content origin. */
    async function expectLaunches(moduleId: string): Promise<void> {
      const { agent } = await app.loggedIn(['learner']);
      const { config } = await launch(agent, moduleId, 'new');
      const page = await fetch(config.contentUrl);
      expect(page.status, 'launch page').to.equal(200);
      expect(await page.text()).to.contain('Einführung');
      const film = await fetch(new URL('media/film.mp4', config.contentUrl), { headers: { Range: 'bytes=0-15' } });
      expect(film.status, 'film').to.equal(206);
      expect(film.headers.get('content-range')).to.equal(`bytes 0-15/${FILM_BYTES}`);
    }

    it('answers an upload with publication only once it is published, so a launch right after it succeeds', async () => {
      // as the CATAPULT adapter imports: the author's upload form, JSON answer, publish on
      const { agent } = await app.loggedIn(['author']);
      const token = await csrfToken(agent, '/author/modules');
      const up = await agent
        .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
        .set('Accept', 'application/json')
        .field('module', 'Groß per Formular')
        .field('publish', 'on')
        .attach('package', big);
      expect(up.status, up.text).to.equal(201);
      // at once: no waiting, no polling
      await expectLaunches(up.body.module.id);
      expect(up.body.module.publishedVersionId).to.equal(up.body.version.id);
      expect(up.body.version.storage).to.equal('stored');
      expect(up.body.version.packageStore).to.equal(kind);
      // the upload's temp file is gone; the stored zip is the uploaded one
      expect((await storedState(app)).importing).to.deep.equal([]);
      const exported = await agent.get(`/author/versions/${up.body.version.id}/export`).buffer(true).parse(binary);
      expect(exported.status).to.equal(200);
      expect(Buffer.compare(exported.body as Buffer, await readFile(big))).to.equal(0);
    });

    it('says "veröffentlicht" on the author\'s page after a form upload only when a launch works', async () => {
      const { agent } = await app.loggedIn(['author']);
      const token = await csrfToken(agent, '/author/modules');
      const up = await agent
        .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
        .field('module', 'Groß per Seite')
        .field('publish', 'on')
        .attach('package', big);
      expect(up.status).to.equal(303);
      const page = await agent.get(up.headers.location as string);
      expect(page.text).to.contain('Version 1 von „Groß per Seite“ wurde gespeichert und veröffentlicht.');
      expect(page.text).not.to.contain('Es wird gerade in der Datenbank gespeichert');
      await expectLaunches((await service().getModule('gross-per-seite'))!.id);
    });

    it("publishes an import by the service (the CLI's and the seeding's way) before it returns", async () => {
      const source = path.join(dir, `source-${kind}.zip`);
      await writeFile(source, await readFile(big));
      const { module, version } = await service().importPackage(source, { moduleTitle: 'Groß', publish: true });
      expect(module.publishedVersionId).to.equal(version.id);
      expect(version.storage).to.equal('stored');
      await expectLaunches(module.id);
      // the operator's file was copied, not linked: overwriting it in place changes nothing stored
      await writeFile(source, 'überschrieben');
      expect(Buffer.compare(await bytesOf((await service().exportVersion(version.id)).stream), await readFile(big))).to.equal(0);
      const state = await storedState(app);
      expect(state.importing).to.deep.equal([]);
      expect(state.gridFiles).to.equal(kind === 'gridfs' ? 1 : 0);
      expect(state.packages).to.deep.equal(kind === 'file' ? [`${version.packageFileId}.zip`] : []);
    });

    it('keeps a stored version across a restart without its extracted copy, and serves it from the store again', async () => {
      const { module, version } = await service().importPackage(big, { moduleTitle: 'Groß neu gestartet', publish: true });
      await restart(async () => rm(path.join(app.dataDir, 'content-cache', version.id), { recursive: true, force: true }));
      await expectLaunches(module.id);
      expect((await storedState(app)).cache).to.deep.equal([version.id]);
      expect(Buffer.compare(await bytesOf((await service().exportModule(module.id)).stream), Buffer.alloc(0))).to.not.equal(0);
    });

    it('deletes a version with everything it stored', async () => {
      const before = await storedState(app);
      const { version } = await service().importPackage(big, { moduleTitle: 'Groß gelöscht' });
      expect((await storedState(app)).versions).to.equal(before.versions + 1);
      await service().deleteVersion(version.id);
      expect(await storedState(app)).to.deep.equal({ ...before, modules: before.modules + 1 });
    });

    it('removes what an import killed half way stored, at the next start', async () => {
      const before = await storedState(app);
      // the command line imports into this server's DATA_DIR and database, and is killed mid-import
      const env = {
        ...process.env,
        MONGODB_URI: process.env.TEST_MONGODB_URI!,
        MONGODB_DB: app.running.connection.db!.databaseName,
        DATA_DIR: app.dataDir,
        PACKAGE_STORE: kind,
        LOG_LEVEL: 'silent',
      };
      const child: ChildProcess = execFile(process.execPath, ['--import', 'tsx', 'scripts/content-cli.ts', 'import', big, '--publish'], { cwd: root, env });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let stdout = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      const cache = path.join(app.dataDir, 'content-cache');
      const chunks = app.running.connection.db!.collection('content.chunks');
      // killed once it has noted itself and is extracting (and, into GridFS, storing) the package
      const midway = async () =>
        (await readdir(path.join(cache, '.importing')).catch(() => [])).length > 0 &&
        (await readdir(path.join(cache, '.tmp')).catch(() => [])).length > 0 &&
        (kind === 'file' || (await chunks.countDocuments({})) > 0);
      let noted = false;
      for (const until = Date.now() + 30_000; !noted && Date.now() < until;) {
        noted = await midway();
        if (!noted) await new Promise((r) => setImmediate(r));
      }
      child.kill('SIGKILL');
      await exited;
      expect(noted, 'the import noted itself').to.equal(true);
      expect(stdout, 'the import was killed before it finished').not.to.contain('Importiert');
      const left = await storedState(app);
      expect(left.importing).to.have.length(1);
      expect(left.tmp.length, 'its half-extracted directory').to.be.above(0);
      if (kind === 'gridfs') expect(left.gridChunks, 'its half-stored zip').to.be.above(0);
      await restart();
      expect(await storedState(app)).to.deep.equal(before);
    });

    it('answers 503 with a German message when a stored zip cannot be reached from this instance', async () => {
      const { module, version } = await service().importPackage(big, { moduleTitle: 'Groß verschwunden', publish: true });
      // as on a second instance without this one's disk (PACKAGE_STORE=file) or a lost GridFS file
      await service().deleteVersion((await service().importPackage(big, { moduleTitle: 'Platzhalter' })).version.id);
      if (kind === 'file') await rm(path.join(app.dataDir, 'packages', `${version.packageFileId}.zip`));
      else await app.running.connection.db!.collection('content.files').deleteOne({ _id: new Types.ObjectId(version.packageFileId) });
      await restart(async () => rm(path.join(app.dataDir, 'content-cache', version.id), { recursive: true, force: true }));
      const { agent } = await app.loggedIn(['learner']);
      const { config } = await launch(agent, module.id, 'new');
      const page = await fetch(config.contentUrl, { headers: { Accept: 'text/html' } });
      expect(page.status).to.equal(503);
      const text = await page.text();
      expect(text).to.contain('Das Paket dieser Version ist auf diesem Server gerade nicht erreichbar.');
      expect(text).not.to.match(/at .*\.ts:\d+/);
    });
  });
}

describe('content: copies into GridFS that an earlier release left unfinished', function () {
  this.timeout(60_000);
  let app: TestApp;
  let dir: string;
  let big: string;
  before(async () => {
    dir = await tempDir();
    big = path.join(dir, 'big.zip');
    await writeFile(big, bigPackage());
  });
  beforeEach(async () => {
    app = await startTestApp({ env: { PACKAGE_STORE: 'file' } });
  });
  afterEach(async () => app.stop());
  after(async () => rm(dir, { recursive: true, force: true }));
  const service = () => app.running.app.content.service;

  /**
   * The state an earlier release left when it stopped during a copy: a version recorded as 'storing'
   * (in GridFS, the store it knew), its zip waiting in content-cache/.pending, publication asked for.
   */
  async function leftByEarlierRelease(title: string) {
    const { module, version } = await service().importPackage(big, { moduleTitle: title });
    const db = app.running.connection.db!;
    await rm(path.join(app.dataDir, 'packages', `${version.packageFileId}.zip`));
    await db
      .collection('content_versions')
      .updateOne({ _id: new Types.ObjectId(version.id) }, { $set: { storage: 'storing', publishWhenStored: true }, $unset: { packageStore: '' } });
    await mkdir(path.join(app.dataDir, 'content-cache', '.pending'), { recursive: true });
    const pending = path.join(app.dataDir, 'content-cache', '.pending', `${version.id}.zip`);
    await writeFile(pending, await readFile(big));
    return { module, version, pending };
  }
  async function restart(between: () => Promise<void> = async () => {}): Promise<void> {
    const dataDir = app.dataDir;
    const dbName = app.running.connection.db!.databaseName;
    await app.running.stop();
    await between();
    app = { ...(await startTestApp({ env: { DATA_DIR: dataDir, MONGODB_DB: dbName, PACKAGE_STORE: 'file' } })), dataDir };
  }

  it('refuses publishing meanwhile, then finishes the copy and the publication at the next start', async () => {
    const { module, version } = await leftByEarlierRelease('Groß alt');
    await expectConflict(service().publish(module.id, version.id), 'content:errors.versionStoring');
    await expectConflict(service().exportVersion(version.id), 'content:errors.versionStoring');
    await restart();
    expect(await storageSettled(app, version.id)).to.equal('stored');
    expect((await service().getModule(module.id))!.publishedVersionId).to.equal(version.id);
    const v = (await service().getVersion(version.id))!;
    expect(v.packageStore).to.equal('gridfs');
    expect(Buffer.compare(await bytesOf((await service().exportVersion(version.id)).stream), await readFile(big))).to.equal(0);
    expect((await storedState(app)).pending).to.deep.equal([]);
  });

  it('marks a version whose waiting zip cannot be copied as failed, after three tries, and refuses publishing it', async () => {
    const { module, version } = await leftByEarlierRelease('Groß kaputt');
    await restart(async () => {
      const pending = path.join(app.dataDir, 'content-cache', '.pending', `${version.id}.zip`);
      await rm(pending);
      await mkdir(pending);
    });
    expect(await storageSettled(app, version.id)).to.equal('failed');
    await expectConflict(service().publish(module.id, version.id), 'content:errors.versionStoreFailed');
    expect((await storedState(app)).pending).to.deep.equal([]);
    await service().deleteVersion(version.id);
    expect(await service().getVersion(version.id)).to.equal(undefined);
  });
});

describe('content: which package store new versions go to (PACKAGE_STORE)', () => {
  const base = { DATA_DIR: '/srv/lotse' };
  it('keeps zips on the file system on the embedded database and in GridFS with MONGODB_URI, unless told otherwise', () => {
    expect(loadConfig(base)).to.include({ packageStore: 'file', packageDir: path.resolve('/srv/lotse/packages') });
    expect(loadConfig({ ...base, MONGODB_URI: 'mongodb://db.example:27017' }).packageStore).to.equal('gridfs');
    expect(loadConfig({ ...base, MONGODB_URI: 'mongodb://db.example:27017', PACKAGE_STORE: 'file', PACKAGE_DIR: '/mnt/pakete' })).to.include({
      packageStore: 'file',
      packageDir: '/mnt/pakete',
    });
    expect(loadConfig({ ...base, PACKAGE_STORE: 'gridfs' }).packageStore).to.equal('gridfs');
  });
  it('refuses an unknown store with a message that names the variable', () => {
    expect(() => loadConfig({ ...base, PACKAGE_STORE: 's3' })).to.throw(ConfigError, 'PACKAGE_STORE: file oder gridfs');
  });
});
