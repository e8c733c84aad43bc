import { expect } from 'chai';
import request from 'supertest';
import { checkPackageResources, cspVerdict } from '../../src/content/package-resources.ts';
import { ReportBuilder } from '../../src/content/report.ts';
import type { ReportEntry, ValidationReport } from '../../src/content/types.ts';
import { DEFAULT_LIMITS, inspectZip } from '../../src/content/zip-inspect.ts';
import { cmi5, scorm12Multi, tincan, writePackage } from '../fixtures/content/packages.ts';
import { launch } from '../player/support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from './support.ts';

/**
 * Issue #15 item 5: the import report tells the author what will not work in the player: resources
 * from other origins (and what the content origin's CSP does with them), launch pages whose scripts
 * are missing or in an empty folder, and manifest features the player does not honour.
 */

/** A cmi5 course with one AU whose page is this HTML, plus further files. */
function cmi5With(page: string, files: Record<string, string> = {}): Record<string, string> {
  return {
    'cmi5.xml': `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://lotse.example.de/cmi5/ehrlich"><title><langstring lang="de-DE">Ehrlich</langstring></title><description><langstring lang="de-DE">x</langstring></description></course>
  <au id="https://lotse.example.de/cmi5/ehrlich/au" moveOn="Completed">
    <title><langstring lang="de-DE">AU</langstring></title><description><langstring lang="de-DE">x</langstring></description>
    <url>index.html</url>
  </au>
</courseStructure>`,
    'index.html': page,
    ...files,
  };
}

const CDN_PAGE = `<!doctype html><html><head>
<script src="https://cdn.example.com/jquery.min.js"></script>
<link rel="stylesheet" href="//fonts.example.net/css?family=Roboto">
<link rel="stylesheet" href="css/local.css">
<style>body { background: url('https://img.example.org/bg.png'); }</style>
</head><body>
<img src="https://img.example.org/logo.png" srcset="data:image/png;base64,AAAA 1x">
<iframe src="https://www.youtube.com/embed/abc"></iframe>
<svg xmlns="http://www.w3.org/2000/svg"></svg>
<a href="https://example.com/impressum">Impressum</a>
<script src="js/app.js"></script>
</body></html>`;

const codes = (r: ValidationReport) => r.warnings.map((w) => w.code);
const withCode = (r: ValidationReport, code: string) => r.warnings.filter((w) => w.code === code);

describe('content: honest imports (the report says what will not work in the player)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
  });
  after(async () => app?.stop());
  const importFiles = async (name: string, files: Record<string, string>) =>
    await app.running.app.content.service.importPackage(await writePackage(dir, name, files), { moduleSlug: name, publish: true });

  it('warns about every script, style, image and frame from another origin and says the CSP blocks it', async () => {
    const { report } = await importFiles(
      'cdn-page',
      cmi5With(CDN_PAGE, {
        'js/app.js': `fetch("https://api.example.com/data.json"); const ns = "http://www.w3.org/1999/xhtml"; import("https://esm.example.com/mod.js");`,
        'css/local.css': `@font-face { font-family: X; src: url(https://fonts.example.net/x.woff2); } h1 { background: url(img/local.png); }`,
      }),
    );
    expect(report.ok).to.equal(true);
    const blocked = withCode(report, 'external-resource-blocked').map((w) => [w.params.url, w.params.kind, w.params.directive, w.params.file]);
    expect(blocked).to.have.deep.members([
      ['https://cdn.example.com/jquery.min.js', 'ein Skript', 'default-src', 'index.html'],
      ['https://fonts.example.net/css?family=Roboto', 'ein Stylesheet', 'default-src', 'index.html'],
      ['https://img.example.org/bg.png', 'ein Bild', 'default-src', 'index.html'],
      ['https://img.example.org/logo.png', 'ein Bild', 'default-src', 'index.html'],
      ['https://www.youtube.com/embed/abc', 'einen Frame', 'default-src', 'index.html'],
      ['https://api.example.com/data.json', 'eine Verbindung (fetch/XHR)', 'connect-src', 'js/app.js'],
      ['https://esm.example.com/mod.js', 'ein Skript', 'default-src', 'js/app.js'],
      ['https://fonts.example.net/x.woff2', 'eine Schrift', 'default-src', 'css/local.css'],
    ]);
    // links to follow, XML namespaces and data: URLs load nothing
    expect(JSON.stringify(report.warnings)).to.not.match(/impressum|w3\.org|data:image/);
    const jquery = withCode(report, 'external-resource-blocked').find((w) => w.params.url === 'https://cdn.example.com/jquery.min.js')!;
    expect(jquery.message).to.contain('blockiert');
    expect(jquery.messageEn).to.contain('a script');
  });

  it('names the directive the content origin really sends, and that it does not allow the other origin', async () => {
    const { module } = await importFiles('cdn-served', cmi5With(CDN_PAGE, { 'js/app.js': 'window.ok = 1;', 'css/local.css': 'h1 {}' }));
    const { agent } = await app.loggedIn();
    const { config } = await launch(agent, module.id, 'new');
    const served = await request(app.contentOrigin).get(new URL(config.contentUrl).pathname);
    expect(served.status).to.equal(200);
    const csp = String(served.headers['content-security-policy']);
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    // the report's verdicts hold for the policy the listener sends: no script-src/img-src/frame-src of
    // its own, so default-src decides, and neither it nor connect-src names an outside origin
    for (const d of ['script-src', 'style-src', 'img-src', 'frame-src', 'font-src']) expect(csp).to.not.contain(`${d} `);
    expect(directive('default-src')).to.not.match(/example|youtube|https:(\s|$)|\*/);
    expect(directive('connect-src')).to.not.match(/example\.com/);
  });

  it('warns when the launch page includes scripts from an empty or missing folder, a missing file or an empty file', async () => {
    const page = `<!doctype html><html><head><link rel="stylesheet" href="css/missing.css"><script src="./lib/empty.js"></script></head>
<body><script src="js/app.js"></script><script src="js/vendor.js"></script></body></html>`;
    const { report } = await importFiles('empty-js', cmi5With(page, { 'css/other.css': 'h1 {}', 'lib/empty.js': '' }));
    expect(report.ok).to.equal(true);
    const found = report.warnings.filter((w) => w.code.startsWith('launch-ref-')).map((w) => [w.code, w.params.ref, w.params.folder ?? '']);
    expect(found).to.have.deep.members([
      ['launch-ref-folder-empty', 'js/app.js', 'js/'],
      ['launch-ref-folder-empty', 'js/vendor.js', 'js/'],
      ['launch-ref-missing', 'css/missing.css', ''],
      ['launch-ref-empty', 'lib/empty.js', ''],
    ]);
    const folder = withCode(report, 'launch-ref-folder-empty')[0]!;
    expect(folder.message).to.equal(
      'Die Startseite index.html bindet „js/app.js“ ein, der Ordner „js/“ ist im Paket leer oder fehlt. Wahrscheinlich wurde das Paket ohne seine Skripte gepackt.',
    );
  });

  it('says nothing about a complete package that loads only its own files', async () => {
    const { report } = await importFiles(
      'complete',
      cmi5With(CDN_PAGE.replace(/https?:\/\/[^"')]+|\/\/fonts[^"]+/g, 'css/local.css'), { 'js/app.js': 'fetch("data.json")', 'css/local.css': 'h1 {}' }),
    );
    expect(codes(report).filter((c) => c.startsWith('external-') || c.startsWith('launch-ref-'))).to.deep.equal([]);
  });

  it('warns about SCORM 1.2 prerequisites, time limits and invisible items the player does not honour', async () => {
    // the fixture's sco1 has maxtimeallowed/timelimitaction, its sco2 is invisible with prerequisites
    const { report } = await importFiles('s12-features', scorm12Multi() as Record<string, string>);
    const seen = report.warnings
      .filter((w) => ['scorm12-prerequisites', 'scorm-time-limit', 'scorm12-invisible'].includes(w.code))
      .map((w: ReportEntry) => [w.code, w.params.id, w.params.attr ?? w.params.value ?? '']);
    expect(seen).to.deep.include.members([
      ['scorm12-invisible', 'sco2', ''],
      ['scorm-time-limit', 'sco1', 'adlcp:maxtimeallowed'],
      ['scorm-time-limit', 'sco1', 'adlcp:timelimitaction'],
      ['scorm12-prerequisites', 'sco2', 'sco1'],
    ]);
  });

  it('warns about cmi5 objectives and about tincan activities that are never launched', async () => {
    const c = await importFiles('cmi5-objectives', cmi5() as Record<string, string>);
    expect(withCode(c.report, 'cmi5-objectives').map((w) => w.params.count)).to.deep.equal([1]);
    const files = tincan() as Record<string, string>;
    files['tincan.xml'] = files['tincan.xml']!.replace('<name lang="de">Quiz</name>', '<name lang="de">Quiz</name><launch>story.html</launch>');
    const t = await importFiles('tincan-two', files);
    expect(withCode(t.report, 'tincan-several-launch').map((w) => [w.params.used, w.params.ignored])).to.deep.equal([
      ['https://lotse.example.de/xapi/q1-kommunikation', 'https://lotse.example.de/xapi/q1-kommunikation/quiz'],
    ]);
  });

  it('scans within bounds and says how many files it left out', async () => {
    const files: Record<string, string> = { 'index.html': '<script src="https://cdn.example.com/a.js"></script>' };
    for (let i = 0; i < 5; i++) files[`page${i}.html`] = `<img src="https://img.example.org/${i}.png">`;
    const report = new ReportBuilder();
    const opened = (await inspectZip(await writePackage(dir, 'bounded', files), DEFAULT_LIMITS, report))!;
    try {
      await checkPackageResources(opened, [{ id: 'a', title: 'A', href: 'index.html' }], report, {
        maxFiles: 2,
        maxFileBytes: 1024,
        maxTotalBytes: 10_000,
        maxExternalWarnings: 1,
      });
    } finally {
      opened.close();
    }
    const warnings = report.build().warnings.map((w) => [w.code, w.params.url ?? w.params.count ?? '']);
    // the launch page is scanned first; one more file fits; one warning, one summary, one note on the limit
    expect(warnings).to.deep.equal([
      ['external-resource-blocked', 'https://cdn.example.com/a.js'],
      ['external-resources-more', 1],
      ['resources-scan-limited', 4],
    ]);
  });

  it('judges a URL by the directive that decides for its kind, with the CSP fallbacks', () => {
    const url = new URL('https://img.example.org/a.png');
    expect(cspVerdict("default-src 'self'; img-src https:", 'image', url)).to.deep.equal({ directive: 'img-src', allowed: true });
    expect(cspVerdict("default-src 'self' data:", 'image', url)).to.deep.equal({ directive: 'default-src', allowed: false });
    expect(cspVerdict("default-src 'self'; connect-src https://img.example.org/api/", 'connect', new URL('https://img.example.org/api/x'))).to.deep.equal({
      directive: 'connect-src',
      allowed: true,
    });
    expect(cspVerdict("default-src 'self'; connect-src https://img.example.org/api/", 'connect', new URL('https://img.example.org/other'))).to.deep.equal({
      directive: 'connect-src',
      allowed: false,
    });
    expect(cspVerdict("form-action 'self'", 'form', url)).to.deep.equal({ directive: 'form-action', allowed: false });
  });
});
