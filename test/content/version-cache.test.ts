import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { createPackageBlobs, type BlobStoreKind } from '../../src/content/package-blobs.ts';
import { createVersionCache, type CachedVersion } from '../../src/content/version-cache.ts';
import { DEFAULT_LIMITS } from '../../src/content/zip-inspect.ts';
import { scorm12Single, writePackage } from '../fixtures/content/packages.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from './support.ts';

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
const list = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();

for (const kind of ['file', 'gridfs'] as const) {
  describe(`content: the blob store and the version cache on the real database (${kind})`, function () {
    this.timeout(60_000);
    let app: TestApp;
    let dir: string;
    let zip: string;
    before(async () => {
      app = await startTestApp();
      dir = await tempDir();
      zip = await writePackage(dir, 'ok', scorm12Single());
    });
    after(async () => {
      await app?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    /** A blob store and cache of their own (the app's are not involved), a version's zip put into `kind`. */
    async function storedVersion(label: string) {
      const blobs = createPackageBlobs({ connection: app.running.connection, blobDir: path.join(dir, label, 'packages'), writeTo: kind });
      const cache = createVersionCache({ root: path.join(dir, label, 'cache'), blobs, limits: DEFAULT_LIMITS });
      const id = new Types.ObjectId().toString();
      const version: CachedVersion = { id, packageFileId: id, packageStore: kind as BlobStoreKind };
      await blobs.put(zip, version, { filename: 'ok.zip', metadata: { versionId: id } });
      return { blobs, cache, version };
    }
    /** Whether the blob store still holds anything of the version's zip (GridFS: its files document or a chunk). */
    async function blobLeft(v: CachedVersion, label: string): Promise<boolean> {
      if (kind === 'file') return (await list(path.join(dir, label, 'packages'))).some((n) => n.startsWith(v.packageFileId));
      const db = app.running.connection.db!;
      const fileId = new Types.ObjectId(v.packageFileId);
      return (
        (await db.collection('content.files').countDocuments({ _id: fileId })) + (await db.collection('content.chunks').countDocuments({ files_id: fileId })) >
        0
      );
    }

    it('makes the extracted copy from the stored zip, once for requests at the same time', async () => {
      const { cache, version } = await storedVersion('ensure');
      const [a, b] = await Promise.all([cache.ensure(version), cache.ensure(version)]);
      expect(a).to.equal(b);
      expect(a).to.equal(path.join(cache.root, version.id));
      expect(await readFile(path.join(a, 'index.html'), 'utf8')).to.contain('Einführung');
      expect(await list(path.join(cache.root, '.tmp')), 'no temp files left').to.deep.equal([]);
    });

    it('makes the copy again after it vanished and was evicted', async () => {
      const { cache, version } = await storedVersion('again');
      const first = await cache.ensure(version);
      await rm(first, { recursive: true, force: true });
      cache.evict(version.id);
      expect(await exists(path.join(await cache.ensure(version), 'index.html'))).to.equal(true);
    });

    it('discarding a version removes its blob, its copy, its temp files and its waiting zip', async () => {
      const { cache, version } = await storedVersion('discard');
      await cache.ensure(version);
      const leftTemp = await cache.tempPath(`x-${version.id}`);
      await mkdir(leftTemp, { recursive: true });
      await mkdir(path.dirname(cache.pendingPath(version.id)), { recursive: true });
      await writeFile(cache.pendingPath(version.id), await readFile(zip));
      const other = await storedVersion('discard');
      await other.cache.ensure(other.version);
      expect(await blobLeft(version, 'discard')).to.equal(true);

      await cache.discard(version);

      expect(await blobLeft(version, 'discard'), 'blob').to.equal(false);
      expect(await exists(path.join(cache.root, version.id)), 'copy').to.equal(false);
      expect(await list(path.join(cache.root, '.tmp')), 'temp files').to.deep.equal([]);
      expect(await cache.listPending(), 'waiting zip').to.deep.equal([]);
      // another version's files stay
      expect(await blobLeft(other.version, 'discard')).to.equal(true);
      expect(await list(cache.root)).to.include(other.version.id);
    });

    it('discards idempotently: twice, and a version that never stored anything', async () => {
      const { cache, version } = await storedVersion('twice');
      await cache.ensure(version);
      await cache.discard(version);
      await cache.discard(version);
      const id = new Types.ObjectId().toString();
      await cache.discard({ id, packageFileId: id, packageStore: kind });
      expect(await blobLeft(version, 'twice')).to.equal(false);
      expect((await list(cache.root)).filter((n) => !n.startsWith('.'))).to.deep.equal([]);
    });

    it('refuses a version id that is not an ObjectId before it names a path', async () => {
      const { cache } = await storedVersion('bad-id');
      expect(() => cache.dirOf('../../etc')).to.throw('bad version id');
      const err = await cache.discard({ id: '../x', packageFileId: '../x', packageStore: kind }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(Error);
    });
  });
}
