import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { expect } from 'chai';
import { csrfToken, startTestApp, type TestApp } from '../support/test-app.ts';
import { cmi5, scorm12Multi, scorm12Single, writePackage } from '../fixtures/content/packages.ts';
import { zipFiles } from '../fixtures/content/zip-writer.ts';
import { binary, storageSettled, storedState, tempDir } from './support.ts';

/** Every file of a version, read through the service: path → bytes. */
async function filesOf(app: TestApp, versionId: string): Promise<Map<string, Buffer>> {
  const service = app.running.app.content.service;
  const v = (await service.getVersion(versionId))!;
  const out = new Map<string, Buffer>();
  for (const f of v.files) {
    const chunks: Buffer[] = [];
    for await (const c of await service.openFile(versionId, f.path)) chunks.push(c as Buffer);
    out.set(f.path, Buffer.concat(chunks));
  }
  return out;
}

describe('content: export, round trip and the author pages', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
  });
  after(async () => app.stop());
  const service = () => app.running.app.content.service;

  it('exports the original package of a version byte for byte', async () => {
    const zip = zipFiles(scorm12Single());
    const file = await writePackage(dir, 'orig', zip);
    const { version } = await service().importPackage(file, { moduleTitle: 'Export Eins' });
    const { stream, filename } = await service().exportVersion(version.id);
    const out = path.join(dir, 'exported.zip');
    await pipeline(stream, createWriteStream(out));
    expect(filename).to.equal('export-eins-v1.zip');
    expect(Buffer.compare(await readFile(out), zip)).to.equal(0);
  });

  it('exports a whole module and imports it back with identical files, numbers and publication', async () => {
    const a = await service().importPackage(await writePackage(dir, 'rt1', scorm12Multi()), { moduleTitle: 'Rundreise' });
    const b = await service().importPackage(await writePackage(dir, 'rt2', cmi5()), { moduleSlug: a.module.slug, publish: true });
    const { stream } = await service().exportModule(a.module.id);
    const archive = path.join(dir, 'module.zip');
    await pipeline(stream, createWriteStream(archive));
    const back = await service().importPackage(archive, { moduleSlug: 'rundreise-kopie' });
    expect(back.module.slug).to.equal('rundreise-kopie');
    expect(back.module.title).to.equal('Rundreise');
    const versions = await service().listVersions(back.module.id);
    expect(versions.map((v) => [v.number, v.format])).to.deep.equal([
      [1, 'scorm12'],
      [2, 'cmi5'],
    ]);
    expect(back.module.publishedVersionId).to.equal(versions[1]!.id);
    expect(back.version.id).to.equal(versions[1]!.id);
    for (const [orig, copy] of [
      [a.version.id, versions[0]!.id],
      [b.version.id, versions[1]!.id],
    ] as const) {
      const x = await filesOf(app, orig);
      const y = await filesOf(app, copy);
      expect([...y.keys()].sort()).to.deep.equal([...x.keys()].sort());
      for (const [p, bytes] of x) expect(Buffer.compare(bytes, y.get(p)!), p).to.equal(0);
      expect((await service().getVersion(copy))!.manifest).to.deep.equal((await service().getVersion(orig))!.manifest);
    }
  });

  it('lets an author upload, see the version, publish, unpublish and delete through the pages', async () => {
    const { agent } = await app.loggedIn(['author']);
    const page = await agent.get('/author/modules');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Paket hochladen');
    expect(page.text).to.contain('/static/content-upload.js');
    const token = await csrfToken(agent, '/author/modules');
    const zip = path.join(dir, 'upload.zip');
    await writeFile(zip, zipFiles(scorm12Single()));
    const up = await agent
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
      .field('module', 'Seiten-Test')
      .field('publish', 'on')
      .attach('package', zip);
    expect(up.status).to.equal(303);
    const versionUrl = up.headers.location as string;
    expect(versionUrl).to.match(/^\/author\/versions\/[a-f0-9]{24}$/);
    const versionPage = await agent.get(versionUrl);
    expect(versionPage.status).to.equal(200);
    expect(versionPage.text).to.contain('Version 1 von „Seiten-Test“ wurde gespeichert und veröffentlicht.');
    expect(versionPage.text).to.contain('imsmanifest.xml');
    expect(versionPage.text).to.contain('Einführung');
    const versionId = versionUrl.split('/').pop()!;
    expect(await storageSettled(app, versionId)).to.equal('stored');
    const module = (await service().getModule('seiten-test'))!;
    expect(module.publishedVersionId).to.equal(versionId);

    // a second version, then publish it, unpublish, delete the first
    const token2 = await csrfToken(agent, '/author/modules');
    const up2 = await agent
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token2)}`)
      .field('module', 'seiten-test')
      .attach('package', zip);
    const v2 = (up2.headers.location as string).split('/').pop()!;
    expect(await storageSettled(app, v2)).to.equal('stored');
    const modPage = await agent.get(`/author/modules/${module.id}`);
    expect(modPage.text).to.contain('v2');
    const t3 = await csrfToken(agent, `/author/modules/${module.id}`);
    expect((await agent.post(`/author/modules/${module.id}/publish`).type('form').send({ _csrf: t3, versionId: v2 })).status).to.equal(303);
    expect((await service().getModule(module.id))!.publishedVersionId).to.equal(v2);
    expect((await agent.post(`/author/versions/${versionId}/delete`).type('form').send({ _csrf: t3 })).status).to.equal(303);
    expect(await service().getVersion(versionId)).to.equal(undefined);
    const refusedDelete = await agent.post(`/author/versions/${v2}/delete`).type('form').send({ _csrf: t3 });
    expect(refusedDelete.status).to.equal(409);
    expect(refusedDelete.text).to.contain('Die veröffentlichte Version kann nicht gelöscht werden.');
    expect((await agent.post(`/author/modules/${module.id}/unpublish`).type('form').send({ _csrf: t3 })).status).to.equal(303);
    expect((await service().getModule(module.id))!.publishedVersionId).to.equal(null);

    const exported = await agent.get(`/author/versions/${v2}/export`).buffer(true).parse(binary);
    expect(exported.status).to.equal(200);
    expect(exported.headers['content-type']).to.equal('application/zip');
    expect(Buffer.compare(exported.body as Buffer, await readFile(zip))).to.equal(0);
  });

  it('shows the report of a refused upload in German and English, and keeps nothing', async () => {
    const { agent } = await app.loggedIn(['author']);
    const before = await storedState(app);
    const token = await csrfToken(agent, '/author/modules');
    const bad = path.join(dir, 'bad.zip');
    await writeFile(bad, zipFiles({ 'imsmanifest.xml': '<manifest><oops></manifest>' }));
    const up = await agent.post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`).attach('package', bad);
    expect(up.status).to.equal(303);
    expect(up.headers.location).to.equal('/author/modules/report');
    const report = await agent.get('/author/modules/report');
    expect(report.status).to.equal(400);
    expect(report.text).to.contain('Das Paket wurde abgelehnt');
    expect(report.text).to.contain('malformed-xml');
    expect(report.text).to.contain('Die Beschreibungsdatei ist kein gültiges XML');
    const en = await agent.get('/author/modules/report?lng=en');
    expect(en.text).to.contain('The descriptor is not well-formed XML');
    expect(await storedState(app)).to.deep.equal({ ...before, tmp: [] });
    expect((await readdirSafe(path.join(app.dataDir, 'uploads'))).length).to.equal(0);
  });

  it('answers the JSON client with the report and 400', async () => {
    const { agent } = await app.loggedIn(['author']);
    const token = await csrfToken(agent, '/author/modules');
    const bad = path.join(dir, 'bad2.zip');
    await writeFile(bad, 'kein zip');
    const res = await agent
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'application/json')
      .attach('package', bad);
    expect(res.status).to.equal(400);
    expect(res.body.error).to.equal('Das Paket wurde abgelehnt. Bitte beachten Sie den Prüfbericht.');
    expect(res.body.report.errors[0].code).to.equal('not-zip');
  });

  it('keeps learners and trainers out of the author pages', async () => {
    for (const role of ['learner', 'trainer'] as const) {
      const { agent } = await app.loggedIn([role]);
      expect((await agent.get('/author/modules')).status).to.equal(403);
    }
    expect((await app.agent().get('/author/modules')).status).to.equal(302);
  });
});

async function readdirSafe(d: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return readdir(d).catch(() => []);
}
