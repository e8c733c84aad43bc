import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { scorm12Single, writePackage } from '../fixtures/content/packages.ts';
import { writeZip, type ZipEntrySpec } from '../fixtures/content/zip-writer.ts';
import { errorOf, expectRefused, tempDir } from './support.ts';

/** Text that deflates about 2:1, like scripts and pages, of the given size. */
const text = (bytes: number) =>
  Buffer.from(
    randomBytes(Math.ceil(bytes / 2))
      .toString('hex')
      .slice(0, bytes),
  );

/**
 * The extraction worker's two ways through a deflated file (in one piece up to 8 MiB, streamed beyond)
 * and its checks on both: declared size, CRC-32 and data that ends early.
 */
describe('content: extracting packages in the worker thread', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
  });
  after(async () => {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const base = (): ZipEntrySpec[] => Object.entries(scorm12Single()).map(([name, data]) => ({ name, data }));
  const pkg = (name: string, entries: ZipEntrySpec[]) => writePackage(dir, name, writeZip(entries));

  it('extracts small and large deflated files and stored files byte for byte', async () => {
    const small = text(300 * 1024);
    const large = text(12 * 1024 ** 2); // beyond the in-one-piece limit: streamed
    const stored = randomBytes(3 * 1024 ** 2 + 17); // more than one 1 MiB block
    const file = await pkg('mixed', [
      ...base(),
      { name: 'js/small.js', data: small },
      { name: 'data/large.json', data: large },
      { name: 'media/clip.mp4', data: stored, method: 'store' },
      { name: 'empty.txt', data: '' },
    ]);
    const service = app.running.app.content.service;
    const { version } = await service.importPackage(file, { moduleTitle: 'Entpacken' });
    for (const [p, data] of [
      ['js/small.js', small],
      ['data/large.json', large],
      ['media/clip.mp4', stored],
      ['empty.txt', Buffer.alloc(0)],
    ] as const) {
      const f = await service.resolveFile(version.id, p);
      expect(Buffer.compare(await readFile(f.absPath), data), p).to.equal(0);
    }
  });

  it('refuses data whose CRC-32 does not match its declaration, deflated and stored', async () => {
    const data = text(64 * 1024);
    const other = Buffer.from(data);
    other[100] = other[100]! ^ 0xff;
    const r1 = await expectRefused(app, await pkg('crc-deflated', [...base(), { name: 'a.js', data, rawData: deflateRawSync(other) }]), 'crc-mismatch');
    expect(errorOf(r1, 'crc-mismatch').where).to.equal('a.js');
    expect(errorOf(r1, 'crc-mismatch').message).to.contain('beschädigt');
    await expectRefused(app, await pkg('crc-stored', [...base(), { name: 'b.bin', data, method: 'store', rawData: other }]), 'crc-mismatch');
    const large = text(10 * 1024 ** 2);
    const largeOther = Buffer.from(large);
    largeOther[5_000_000] = largeOther[5_000_000]! ^ 0xff;
    await expectRefused(app, await pkg('crc-large', [...base(), { name: 'c.json', data: large, rawData: deflateRawSync(largeOther) }]), 'crc-mismatch');
  });

  it('refuses a large deflated file that inflates beyond its declared size, while streaming', async () => {
    const large = text(12 * 1024 ** 2);
    const report = await expectRefused(
      app,
      await pkg('liar-large', [...base(), { name: 'big.json', data: large, declaredSize: 9 * 1024 ** 2 }]),
      'size-mismatch',
    );
    expect(errorOf(report, 'size-mismatch').where).to.equal('big.json');
  });

  it('refuses deflated data that ends early, and a stored file whose sizes disagree', async () => {
    const data = text(200 * 1024);
    const cut = deflateRawSync(data).subarray(0, 1000);
    const r1 = await expectRefused(app, await pkg('cut', [...base(), { name: 'cut.js', data, rawData: cut }]), 'zip-corrupt');
    expect(errorOf(r1, 'zip-corrupt').where).to.equal('cut.js');
    // yauzl already refuses this one in the central directory: stored data cannot differ in size
    await expectRefused(app, await pkg('short', [...base(), { name: 'short.bin', data, method: 'store', rawData: data.subarray(0, 1000) }]), 'zip-corrupt');
  });
});
