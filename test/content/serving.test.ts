import http from 'node:http';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { writePackage } from '../fixtures/content/packages.ts';
import { binary, tempDir } from './support.ts';

/** A GET with the path exactly as written: no client-side normalisation of "..". */
function rawGet(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const MEDIA = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
const BIG = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
const manifest = `<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Serve</title>
    <item identifier="i" identifierref="r"><title>A</title><adlcp:masteryscore>50</adlcp:masteryscore></item></organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>
</manifest>`;

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'js/app.js': 'text/javascript; charset=utf-8',
  'css/site.css': 'text/css; charset=utf-8',
  'data/quiz.json': 'application/json; charset=utf-8',
  'img/logo.svg': 'image/svg+xml',
  'img/photo.png': 'image/png',
  'media/clip.mp4': 'video/mp4',
  'media/clip.webm': 'video/webm',
  'media/voice.mp3': 'audio/mpeg',
  'fonts/font.woff2': 'font/woff2',
  'fonts/font.woff': 'font/woff',
  'captions/de.vtt': 'text/vtt; charset=utf-8',
  'docs/handout.pdf': 'application/pdf',
  'Datei mit Leerzeichen.txt': 'text/plain; charset=utf-8',
};

describe('content: serving package files', () => {
  let app: TestApp;
  let versionId: string;
  let draftVersionId: string;
  let author: Agent;
  let learner: Agent;
  before(async () => {
    app = await startTestApp();
    const dir = await tempDir();
    const files: Record<string, string | Buffer> = { 'imsmanifest.xml': manifest };
    for (const p of Object.keys(TYPES)) files[p] = p.startsWith('media/') ? MEDIA : `content of ${p}`;
    files['media/big.mp4'] = BIG;
    const service = app.running.app.content.service;
    versionId = (await service.importPackage(await writePackage(dir, 'serve', files), { moduleTitle: 'Serve', publish: true })).version.id;
    draftVersionId = (await service.importPackage(await writePackage(dir, 'draft', files), { moduleTitle: 'Entwurf' })).version.id;
    author = (await app.loggedIn(['author'])).agent;
    learner = (await app.loggedIn(['learner'])).agent;
    service.registerLaunchTokenVerifier(async (token, v) => token === 'launch-token-ok-123' && v === draftVersionId);
  });
  after(async () => app.stop());

  it('serves every common e-learning type with the right Content-Type and the content CSP', async () => {
    for (const [p, type] of Object.entries(TYPES)) {
      const res = await author.get(`/content/${versionId}/${p.split('/').map(encodeURIComponent).join('/')}`).buffer(true).parse(binary);
      expect(res.status, p).to.equal(200);
      expect(res.headers['content-type'], p).to.equal(type);
      expect(res.headers['content-security-policy']).to.contain("'unsafe-inline'");
      expect(res.headers['content-security-policy']).to.contain("frame-ancestors 'self'");
    }
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await author.get(`/content/${versionId}/index.html`);
    const etag = first.headers.etag as string;
    expect(etag).to.match(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await author.get(`/content/${versionId}/index.html`).set('If-None-Match', etag);
    expect(again.status).to.equal(304);
    expect(again.text ?? '').to.equal('');
  });

  it('answers Range requests with 206 and a correct Content-Range, 416 when unsatisfiable', async () => {
    const url = `/content/${versionId}/media/clip.mp4`;
    const part = await author.get(url).set('Range', 'bytes=100-199').buffer(true).parse(binary);
    expect(part.status).to.equal(206);
    expect(part.headers['content-range']).to.equal(`bytes 100-199/${MEDIA.length}`);
    expect(part.headers['content-length']).to.equal('100');
    expect(Buffer.compare(part.body as Buffer, MEDIA.subarray(100, 200))).to.equal(0);
    const tail = await author.get(url).set('Range', 'bytes=-500');
    expect(tail.headers['content-range']).to.equal(`bytes ${MEDIA.length - 500}-${MEDIA.length - 1}/${MEDIA.length}`);
    const open = await author.get(url).set('Range', 'bytes=9000-');
    expect(open.headers['content-range']).to.equal(`bytes 9000-9999/${MEDIA.length}`);
    const bad = await author.get(url).set('Range', 'bytes=20000-30000');
    expect(bad.status).to.equal(416);
    expect(bad.headers['content-range']).to.equal(`bytes */${MEDIA.length}`);
  });

  it('gives 401 to anonymous visitors, 403 to learners for unpublished modules, 200 to learners for published ones', async () => {
    expect((await app.agent().get(`/content/${versionId}/index.html`)).status).to.equal(401);
    expect((await learner.get(`/content/${versionId}/index.html`)).status).to.equal(200);
    const denied = await learner.get(`/content/${draftVersionId}/index.html`);
    expect(denied.status).to.equal(403);
    expect(denied.text).to.contain('Sie haben keinen Zugriff auf diesen Inhalt.');
    expect((await author.get(`/content/${draftVersionId}/index.html`)).status).to.equal(200);
    const admin = (await app.loggedIn(['admin'])).agent;
    expect((await admin.get(`/content/${draftVersionId}/index.html`)).status).to.equal(200);
  });

  it('keeps a draft of a published module from learners; a version learners launched stays theirs', async () => {
    const service = app.running.app.content.service;
    const dir = await tempDir();
    const files = { 'imsmanifest.xml': manifest, 'index.html': 'Entwurf einer neuen Fassung' };
    const draft = (await service.importPackage(await writePackage(dir, 'next', files), { moduleSlug: (await service.getVersion(versionId))!.moduleId })).version.id;
    const denied = await learner.get(`/content/${draft}/index.html`);
    expect(denied.status).to.equal(403);
    expect(denied.text).to.contain('Sie haben keinen Zugriff auf diesen Inhalt.');
    expect((await author.get(`/content/${draft}/index.html`)).status).to.equal(200);
    // the published version was launched by learners; publishing the new one keeps it open to them
    await service.markLaunched(versionId);
    await service.publish((await service.getVersion(versionId))!.moduleId, draft);
    try {
      expect((await learner.get(`/content/${draft}/index.html`)).status).to.equal(200);
      expect((await learner.get(`/content/${versionId}/index.html`)).status).to.equal(200);
    } finally {
      await service.publish((await service.getVersion(versionId))!.moduleId, versionId);
    }
  });

  it('serves to a valid per-launch token without a session, and refuses others', async () => {
    const ok = await rawGet(app.url, `/content/t/launch-token-ok-123/${draftVersionId}/js/app.js`);
    expect(ok.status).to.equal(200);
    expect(ok.body.toString()).to.equal('content of js/app.js');
    expect(String(ok.headers['set-cookie'] ?? '')).not.to.contain('lotse.sid');
    expect((await rawGet(app.url, `/content/t/wrong-token-456/${draftVersionId}/js/app.js`)).status).to.equal(403);
    expect((await rawGet(app.url, `/content/t/launch-token-ok-123/${versionId}/js/app.js`)).status).to.equal(403);
  });

  it('answers every traversal attempt and directory with 404, never a listing', async () => {
    const cookie = await sessionCookie(app);
    const attempts = [
      `/content/${versionId}/../${draftVersionId}/index.html`,
      `/content/${versionId}/js/../../../../etc/passwd`,
      `/content/${versionId}/%2e%2e/%2e%2e/etc/passwd`,
      `/content/${versionId}/js%2f..%2f..%2fimsmanifest.xml`,
      `/content/${versionId}/js%2Fapp.js`,
      `/content/${versionId}/..%5c..%5cetc%5cpasswd`,
      `/content/${versionId}/js\\app.js`,
      `/content/${versionId}/./index.html`,
      `/content/${versionId}/js/`,
      `/content/${versionId}/`,
      `/content/${versionId}/js`,
      `/content/${versionId}/index.html%00.png`,
      `/content/${versionId}/%E0%A4%A`,
      `/content/t/launch-token-ok-123/${draftVersionId}/../${versionId}/index.html`,
    ];
    for (const p of attempts) {
      const res = await rawGet(app.url, p, { cookie, accept: 'text/html' });
      expect(res.status, p).to.equal(404);
      expect(res.body.toString(), p).not.to.contain('content of');
    }
  });

  it('serves from GridFS again after the local cache is gone (another instance, a restart)', async () => {
    await rm(path.join(app.dataDir, 'content-cache', versionId), { recursive: true, force: true });
    const res = await author.get(`/content/${versionId}/media/big.mp4`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(Buffer.compare(res.body as Buffer, BIG)).to.equal(0);
    const part = await author.get(`/content/${versionId}/media/big.mp4`).set('Range', 'bytes=200000-').buffer(true).parse(binary);
    expect(part.status).to.equal(206);
    expect(part.headers['content-range']).to.equal('bytes 200000-299999/300000');
    expect(Buffer.compare(part.body as Buffer, BIG.subarray(200000))).to.equal(0);
  });
});

/** Logs a new author in and returns the session cookie for raw requests. */
async function sessionCookie(app: TestApp): Promise<string> {
  const user = await app.createUser(['author']);
  const res = await login(app.agent(), user.email, user.password);
  const sid = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lotse.sid='));
  if (!sid) throw new Error('no session cookie');
  return sid.split(';')[0]!;
}
