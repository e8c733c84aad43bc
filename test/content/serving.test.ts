import http from 'node:http';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { writePackage } from '../fixtures/content/packages.ts';
import { binary, tempDir } from './support.ts';

/** A GET with the path exactly as written: no client-side normalisation of "..". */
function rawGet(
  base: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
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

describe('content: serving package files (content origin only, by token)', () => {
  let app: TestApp;
  let versionId: string;
  let draftVersionId: string;
  let author: Agent;
  let content: Agent;
  const TOKEN = 'launch-token-ok-123';
  const file = (v: string, p: string, token = TOKEN) => `/content/t/${token}/${v}/${p.split('/').map(encodeURIComponent).join('/')}`;
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
    content = app.contentAgent();
    service.registerLaunchTokenVerifier(async (token, v) => token === TOKEN && (v === draftVersionId || v === versionId));
  });
  after(async () => app.stop());

  it('serves every common e-learning type with the right Content-Type and the content CSP', async () => {
    for (const [p, type] of Object.entries(TYPES)) {
      const res = await content.get(file(versionId, p)).buffer(true).parse(binary);
      expect(res.status, p).to.equal(200);
      expect(res.headers['content-type'], p).to.equal(type);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).to.contain("'unsafe-inline'");
      // framed by the platform only; requests to the platform only for its LRS and cmi5 fetch URLs
      expect(csp).to.contain(`frame-ancestors 'self' ${app.url}`);
      expect(csp).to.contain(`connect-src 'self' data: blob: ${app.url}/xapi/ ${app.url}/api/player/cmi5/fetch/`);
      expect(csp).to.contain("form-action 'self'");
    }
  });

  it('answers a matching If-None-Match with 304', async () => {
    const first = await content.get(file(versionId, 'index.html'));
    const etag = first.headers.etag as string;
    expect(etag).to.match(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await content.get(file(versionId, 'index.html')).set('If-None-Match', etag);
    expect(again.status).to.equal(304);
    expect(again.text ?? '').to.equal('');
  });

  it('answers Range requests with 206 and a correct Content-Range, 416 when unsatisfiable', async () => {
    const url = file(versionId, 'media/clip.mp4');
    const part = await content.get(url).set('Range', 'bytes=100-199').buffer(true).parse(binary);
    expect(part.status).to.equal(206);
    expect(part.headers['content-range']).to.equal(`bytes 100-199/${MEDIA.length}`);
    expect(part.headers['content-length']).to.equal('100');
    expect(Buffer.compare(part.body as Buffer, MEDIA.subarray(100, 200))).to.equal(0);
    const tail = await content.get(url).set('Range', 'bytes=-500');
    expect(tail.headers['content-range']).to.equal(`bytes ${MEDIA.length - 500}-${MEDIA.length - 1}/${MEDIA.length}`);
    const open = await content.get(url).set('Range', 'bytes=9000-');
    expect(open.headers['content-range']).to.equal(`bytes 9000-9999/${MEDIA.length}`);
    const bad = await content.get(url).set('Range', 'bytes=20000-30000');
    expect(bad.status).to.equal(416);
    expect(bad.headers['content-range']).to.equal(`bytes */${MEDIA.length}`);
  });

  it("serves to a valid token without a session, and refuses other tokens even with an author's or admin's cookie", async () => {
    const ok = await rawGet(app.contentOrigin, file(draftVersionId, 'js/app.js'));
    expect(ok.status).to.equal(200);
    expect(ok.body.toString()).to.equal('content of js/app.js');
    expect(ok.headers['set-cookie']).to.equal(undefined);
    for (const cookie of [await sessionCookie(app, 'author'), await sessionCookie(app, 'admin')]) {
      const wrong = await rawGet(app.contentOrigin, file(draftVersionId, 'js/app.js', 'wrong-token-456'), { cookie });
      expect(wrong.status).to.equal(403);
      expect(wrong.body.toString()).to.equal('Sie haben keinen Zugriff auf diesen Inhalt.');
      expect(wrong.headers['set-cookie']).to.equal(undefined);
      // the session URLs that authors used before: gone, with or without a cookie
      expect((await rawGet(app.contentOrigin, `/content/${draftVersionId}/js/app.js`, { cookie })).status).to.equal(404);
    }
  });

  it('gives the platform origin no package files at all: token and session URLs are 404 there', async () => {
    const admin = (await app.loggedIn(['admin'])).agent;
    for (const agent of [author, admin, app.agent()]) {
      for (const p of [file(versionId, 'index.html'), `/content/${versionId}/index.html`, `/content/${draftVersionId}/js/app.js`]) {
        const res = await agent.get(p);
        expect(res.status, p).to.equal(404);
        expect(res.text, p).not.to.contain('content of');
      }
    }
  });

  it('answers every platform route on the content origin with 404, whatever cookie comes along', async () => {
    const cookie = await sessionCookie(app, 'admin');
    const paths = [
      '/',
      '/login',
      '/profile',
      '/dashboard',
      '/admin',
      '/admin/users',
      '/admin/lrs/clients',
      '/author/modules',
      '/xapi/about',
      '/xapi/statements',
      '/api/verify/x',
      '/static/app.css',
      '/player/assets/scorm-again.js',
      '/healthz',
    ];
    for (const p of paths) {
      const res = await rawGet(app.contentOrigin, p, { cookie, accept: 'text/html' });
      expect(res.status, p).to.equal(404);
      expect(res.headers['content-type'], p).to.equal('text/plain; charset=utf-8');
      expect(res.headers['set-cookie'], p).to.equal(undefined);
    }
    // nothing there takes a POST either: no commit endpoint, no forms, no LRS
    for (const p of ['/admin/users/x/roles', '/api/player/scorm/abc/commit', '/xapi/statements', '/login']) {
      const res = await fetch(`${app.contentOrigin}${p}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'roles=admin',
      });
      expect(res.status, p).to.equal(404);
    }
  });

  it('serves the SCORM adapter page only for token paths of the content origin, to be framed by the platform only', async () => {
    const src = file(versionId, 'index.html');
    const page = await content.get(`/frame/scorm?api=1.2&src=${encodeURIComponent(src)}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`data-lms="${app.url}" data-api="1.2" data-src="${src}"`);
    expect(page.headers['content-security-policy']).to.contain(`frame-ancestors ${app.url};`);
    expect(page.headers['content-security-policy']).to.contain("script-src 'self'");
    for (const query of [
      `api=1.3&src=${encodeURIComponent(src)}`,
      'api=1.2&src=https%3A%2F%2Fevil.example%2F',
      `api=2004&src=${encodeURIComponent(`/content/${versionId}/index.html`)}`,
      'api=1.2',
    ]) {
      expect((await content.get(`/frame/scorm?${query}`)).status, query).to.equal(404);
    }
    expect((await content.get('/adapter/cross-frame-api.js')).headers['content-type']).to.equal('text/javascript; charset=utf-8');
    for (const f of ['constructor', '..%2Fpackage.json', 'cross-frame-lms.js']) expect((await content.get(`/adapter/${f}`)).status, f).to.equal(404);
  });

  it("links the author's version page to the files by view tokens on the content origin, for that version only", async () => {
    const page = await author.get(`/author/versions/${draftVersionId}`);
    expect(page.status).to.equal(200);
    expect(page.text).not.to.match(/href="\/content\//);
    const link = new RegExp(`href="(${app.contentOrigin}/content/t/([A-Za-z0-9_-]+)/${draftVersionId}/js/app\\.js)"`).exec(page.text);
    expect(link, 'file link').to.not.equal(null);
    const [, url, viewToken] = link as unknown as [string, string, string];
    const res = await fetch(url);
    expect(res.status).to.equal(200);
    expect(await res.text()).to.equal('content of js/app.js');
    expect((await content.get(file(versionId, 'js/app.js', viewToken))).status).to.equal(403);
    expect((await content.get(file(draftVersionId, 'js/app.js', `${viewToken.slice(0, -2)}xx`))).status).to.equal(403);
  });

  it('answers every traversal attempt and directory with 404, never a listing', async () => {
    const cookie = await sessionCookie(app, 'author');
    const t = `/content/t/${TOKEN}`;
    const attempts = [
      `${t}/${versionId}/../${draftVersionId}/index.html`,
      `${t}/${versionId}/js/../../../../etc/passwd`,
      `${t}/${versionId}/%2e%2e/%2e%2e/etc/passwd`,
      `${t}/${versionId}/js%2f..%2f..%2fimsmanifest.xml`,
      `${t}/${versionId}/js%2Fapp.js`,
      `${t}/${versionId}/..%5c..%5cetc%5cpasswd`,
      `${t}/${versionId}/js\\app.js`,
      `${t}/${versionId}/./index.html`,
      `${t}/${versionId}/js/`,
      `${t}/${versionId}/`,
      `${t}/${versionId}/js`,
      `${t}/${versionId}/index.html%00.png`,
      `${t}/${versionId}/%E0%A4%A`,
      `${t}/${draftVersionId}/../${versionId}/index.html`,
    ];
    for (const p of attempts) {
      const res = await rawGet(app.contentOrigin, p, { cookie, accept: 'text/html' });
      expect(res.status, p).to.equal(404);
      expect(res.body.toString(), p).not.to.contain('content of');
    }
  });

  it('serves from GridFS again after the local cache is gone (another instance, a restart)', async () => {
    await rm(path.join(app.dataDir, 'content-cache', versionId), { recursive: true, force: true });
    const res = await content.get(file(versionId, 'media/big.mp4')).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(Buffer.compare(res.body as Buffer, BIG)).to.equal(0);
    const part = await content.get(file(versionId, 'media/big.mp4')).set('Range', 'bytes=200000-').buffer(true).parse(binary);
    expect(part.status).to.equal(206);
    expect(part.headers['content-range']).to.equal('bytes 200000-299999/300000');
    expect(Buffer.compare(part.body as Buffer, BIG.subarray(200000))).to.equal(0);
  });
});

/** Logs a new user with this role in and returns the session cookie for raw requests. */
async function sessionCookie(app: TestApp, role: 'author' | 'admin'): Promise<string> {
  const user = await app.createUser([role]);
  const res = await login(app.agent(), user.email, user.password);
  const sid = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lotse.sid='));
  if (!sid) throw new Error('no session cookie');
  return sid.split(';')[0]!;
}

describe('content: serving package files in the sandbox fallback (CONTENT_ISOLATION=sandbox)', () => {
  let app: TestApp;
  let scormVersion: string;
  const TOKEN = 'launch-token-ok-123';
  before(async () => {
    app = await startTestApp({ env: { CONTENT_ISOLATION: 'sandbox' } });
    const dir = await tempDir();
    const service = app.running.app.content.service;
    scormVersion = (
      await service.importPackage(
        await writePackage(dir, 'sandbox', {
          'imsmanifest.xml': manifest,
          'index.html': '<!doctype html><html><head><title>A</title></head><body>content of index</body></html>',
          'js/app.js': 'content of js/app.js',
        }),
        { moduleTitle: 'Sandbox' },
      )
    ).version.id;
    service.registerLaunchTokenVerifier(async (token, v) => token === TOKEN && v === scormVersion);
  });
  after(async () => app.stop());

  it('has no second listener and serves token URLs on our origin, each document in an opaque origin', async () => {
    expect(app.running.contentServer).to.equal(undefined);
    const res = await app.agent().get(`/content/t/${TOKEN}/${scormVersion}/js/app.js`);
    expect(res.status).to.equal(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp.startsWith('sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads;')).to.equal(true);
    expect(csp).not.to.contain('allow-same-origin');
    expect(csp).to.contain(`connect-src ${app.url}/content/t/ data: blob: ${app.url}/xapi/`);
    expect(csp).to.contain(`form-action ${app.url}/content/t/`);
    expect(res.headers['access-control-allow-credentials']).to.equal(undefined);
    expect((await app.agent().get(`/content/t/wrong-token-456/${scormVersion}/js/app.js`)).status).to.equal(403);
    expect((await app.agent().get(`/content/${scormVersion}/js/app.js`)).status).to.equal(404);
  });

  it("gives a SCORM page the API adapter first in its head (it cannot reach an adapter page's API)", async () => {
    const res = await app.agent().get(`/content/t/${TOKEN}/${scormVersion}/index.html`);
    expect(res.status).to.equal(200);
    expect(res.text).to.equal(
      '<!doctype html><html><head><script src="/adapter/scorm-again.js"></script><script src="/adapter/cross-frame-api.js"></script><script src="/adapter/scorm-frame.js"></script><title>A</title></head><body>content of index</body></html>',
    );
    expect(res.headers['content-length']).to.equal(String(Buffer.byteLength(res.text)));
    expect((await app.agent().get('/adapter/scorm-frame.js')).status).to.equal(200);
  });
});
