import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { cmi5, scorm12Single, tincan, writePackage } from '../fixtures/content/packages.ts';
import { writeZip, zipFiles } from '../fixtures/content/zip-writer.ts';
import { errorOf, expectRefused, tempDir } from './support.ts';

const manifest12 = (body: string, resources: string) => `<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>T</title>${body}</organization></organizations>
  <resources>${resources}</resources>
</manifest>`;
const sco = (id: string, href: string) =>
  `<resource identifier="${id}" type="webcontent" adlcp:scormtype="sco" href="${href}"><file href="${href}"/></resource>`;

describe('content: refusing broken and hostile packages', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
  });
  after(async () => app.stop());
  const pkg = (name: string, zip: Buffer | Record<string, string | Buffer>) => writePackage(dir, name, zip);

  it('refuses a file that is not a zip', async () => {
    const file = path.join(dir, 'not.zip');
    await writeFile(file, 'Das ist kein ZIP, sondern Text.');
    const report = await expectRefused(app, file, 'not-zip');
    expect(errorOf(report, 'not-zip').message).to.equal(
      'Die Datei ist kein ZIP-Archiv. Bitte laden Sie das Paket als .zip hoch, wie es Ihr Autorenwerkzeug exportiert.',
    );
    expect(errorOf(report, 'not-zip').messageEn).to.contain('not a ZIP archive');
  });

  it('refuses a package without a manifest', async () => {
    const report = await expectRefused(app, await pkg('nomanifest', { 'index.html': '<html></html>' }), 'no-manifest');
    expect(errorOf(report, 'no-manifest').message).to.contain('imsmanifest.xml (SCORM), cmi5.xml (cmi5) oder tincan.xml (xAPI)');
  });

  it('tells the author when the folder was zipped instead of its contents', async () => {
    const files = Object.fromEntries(Object.entries(scorm12Single()).map(([k, v]) => [`Kurs/${k}`, v]));
    const report = await expectRefused(app, await pkg('folder', files), 'manifest-in-folder');
    expect(errorOf(report, 'manifest-in-folder').message).to.contain('Unterordner „Kurs“');
  });

  it('refuses malformed XML with its line', async () => {
    const report = await expectRefused(
      app,
      await pkg('malformed', { 'imsmanifest.xml': '<manifest>\n<organizations>\n</manifest>', 'index.html': 'x' }),
      'malformed-xml',
    );
    expect(errorOf(report, 'malformed-xml').message).to.match(/^Die Beschreibungsdatei ist kein gültiges XML \(Zeile 3: /);
    expect(errorOf(report, 'malformed-xml').where).to.equal('imsmanifest.xml');
  });

  it('refuses a DOCTYPE with entities (billion laughs, external entity) without expanding anything', async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><manifest identifier="&lol3;"/>`;
    const report = await expectRefused(app, await pkg('lol', { 'imsmanifest.xml': lol }), 'doctype');
    expect(errorOf(report, 'doctype').message).to.contain('DOCTYPE- oder ENTITY-Deklaration');
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><tincan><activities><activity id="&xxe;"/></activities></tincan>`;
    await expectRefused(app, await pkg('xxe', { 'tincan.xml': xxe }), 'doctype');
  });

  it('refuses a package whose launch file is missing', async () => {
    const files = {
      'imsmanifest.xml': manifest12(
        '<item identifier="i" identifierref="r"><title>A</title><adlcp:masteryscore>50</adlcp:masteryscore></item>',
        sco('r', 'fehlt.html'),
      ),
    };
    const report = await expectRefused(app, await pkg('missing', files), 'launch-missing');
    expect(errorOf(report, 'launch-missing').message).to.equal('Die Startdatei „fehlt.html“ fehlt im Paket.');
    expect(errorOf(report, 'launch-missing').where).to.equal('imsmanifest.xml, resource r');
    const c = cmi5();
    delete c['au2/index.html'];
    const r2 = await expectRefused(app, await pkg('cmi5-missing', c), 'launch-missing');
    expect(errorOf(r2, 'launch-missing').where).to.equal('cmi5.xml, au https://lotse.example.de/cmi5/q1/au2');
  });

  it('rejects a package whose manifest points outside the zip', async () => {
    const files = {
      'imsmanifest.xml': manifest12('<item identifier="i" identifierref="r"><title>A</title></item>', sco('r', '../../etc/passwd')),
      'index.html': 'x',
    };
    const report = await expectRefused(app, await pkg('outside', files), 'href-outside');
    expect(errorOf(report, 'href-outside').message).to.equal('Der Verweis „../../etc/passwd“ zeigt aus dem Paket heraus.');
    const t = tincan();
    t['tincan.xml'] = String(t['tincan.xml']).replace('<launch lang="de-DE">story.html</launch>', '<launch>/etc/passwd</launch>');
    await expectRefused(app, await pkg('tincan-outside', t), 'href-outside');
  });

  it('refuses duplicate identifiers', async () => {
    const body = '<item identifier="i" identifierref="r"><title>A</title></item><item identifier="i" identifierref="r"><title>B</title></item>';
    const report = await expectRefused(
      app,
      await pkg('dup', { 'imsmanifest.xml': manifest12(body, sco('r', 'index.html')), 'index.html': 'x' }),
      'duplicate-id',
    );
    expect(errorOf(report, 'duplicate-id').message).to.equal('Der Bezeichner „i“ kommt mehrfach vor; Bezeichner müssen eindeutig sein.');
  });

  it('refuses an unsupported format', async () => {
    const cc = `<?xml version="1.0"?><manifest identifier="cc" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"><metadata><schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion></metadata><organizations/><resources/></manifest>`;
    const report = await expectRefused(app, await pkg('cc', { 'imsmanifest.xml': cc }), 'unsupported');
    expect(errorOf(report, 'unsupported').message).to.contain('schemaversion "1.1.0"');
    expect(errorOf(report, 'unsupported').message).to.contain('Unterstützt werden SCORM 1.2, SCORM 2004');
  });

  it('refuses zip-slip names, absolute paths, symlinks and encrypted entries', async () => {
    const base = Object.entries(scorm12Single()).map(([name, data]) => ({ name, data }));
    const slip = await expectRefused(app, await pkg('slip', writeZip([...base, { name: '../../evil.sh', data: 'rm -rf /' }])), 'zip-slip');
    expect(errorOf(slip, 'zip-slip').message).to.equal('Ein Eintrag verweist mit „..“ aus dem Paket heraus.');
    expect(errorOf(slip, 'zip-slip').where).to.equal('../../evil.sh');
    await expectRefused(app, await pkg('slip-bs', writeZip([...base, { name: 'a\\..\\..\\evil.sh', data: 'x' }])), 'zip-slip');
    const abs = await expectRefused(app, await pkg('abs', writeZip([...base, { name: '/etc/cron.d/evil', data: 'x' }])), 'absolute-path');
    expect(errorOf(abs, 'absolute-path').message).to.contain('absoluten Pfad');
    await expectRefused(app, await pkg('abs-win', writeZip([...base, { name: 'C:/Windows/evil.dll', data: 'x' }])), 'absolute-path');
    const link = await expectRefused(
      app,
      await pkg('link', writeZip([...base, { name: 'passwd', data: '/etc/passwd', unixMode: 0o120777, method: 'store' }])),
      'symlink',
    );
    expect(errorOf(link, 'symlink').message).to.contain('symbolischen Link');
    const enc = await expectRefused(app, await pkg('enc', writeZip([...base, { name: 'secret.html', data: 'x', flags: 1 }])), 'encrypted');
    expect(errorOf(enc, 'encrypted').message).to.contain('verschlüsselt');
  });

  it('refuses too many files, absurd nesting, and a package too large', async () => {
    const limits = app.running.app.content.limits;
    const many = Array.from({ length: limits.maxEntries + 1 }, (_, i) => ({ name: `f/${i}.txt`, data: '', method: 'store' as const }));
    const report = await expectRefused(app, await pkg('many', writeZip(many)), 'too-many-files');
    expect(errorOf(report, 'too-many-files').message).to.equal(
      `Das Paket enthält ${limits.maxEntries + 1} Einträge; erlaubt sind höchstens ${limits.maxEntries}.`,
    );
    const deep = `${Array.from({ length: limits.maxDepth + 1 }, (_, i) => `d${i}`).join('/')}/x.html`;
    const nest = await expectRefused(
      app,
      await pkg('deep', writeZip([...Object.entries(scorm12Single()).map(([name, data]) => ({ name, data })), { name: deep, data: 'x' }])),
      'too-deep',
    );
    expect(errorOf(nest, 'too-deep').message).to.contain(`${limits.maxDepth + 1} Ordnerebenen tief`);
  });

  it('refuses a zip declaring 10 GB uncompressed from its central directory, without inflating it', async () => {
    const tenGb = 10 * 1024 ** 3;
    const zip = writeZip([
      ...Object.entries(scorm12Single()).map(([name, data]) => ({ name, data })),
      { name: 'video.mp4', data: Buffer.alloc(1024), declaredSize: tenGb, rawData: deflateRawSync(Buffer.alloc(64 * 1024)) },
    ]);
    const started = Date.now();
    const report = await expectRefused(app, await pkg('bomb10g', zip), 'too-large');
    expect(Date.now() - started).to.be.below(3000);
    expect(errorOf(report, 'too-large').message).to.equal('Das Paket ist entpackt 10240 MB groß; erlaubt sind höchstens 1024 MB.');
    expect(errorOf(report, 'too-large').where).to.equal('video.mp4');
  });

  it('refuses a compression-ratio bomb, and one whose declared size lies (caught while inflating)', async () => {
    const zeros = Buffer.alloc(20 * 1024 ** 2);
    const base = Object.entries(scorm12Single()).map(([name, data]) => ({ name, data }));
    const report = await expectRefused(app, await pkg('ratio', writeZip([...base, { name: 'zeros.bin', data: zeros }])), 'ratio-bomb');
    expect(errorOf(report, 'ratio-bomb').message).to.match(/^Das Paket würde sich beim Entpacken auf das \d+-Fache vergrößern \(erlaubt: 200-fach\)/);
    // declares 100 bytes, inflates to 20 MB: the header lies, the stream is cut off at byte 101
    const liar = writeZip([...base, { name: 'liar.bin', data: Buffer.alloc(100), rawData: deflateRawSync(zeros) }]);
    const r2 = await expectRefused(app, await pkg('liar', liar), 'size-mismatch');
    expect(errorOf(r2, 'size-mismatch').where).to.equal('liar.bin');
  });

  it('refuses a package whose item tree references a missing resource and has nothing to launch', async () => {
    const files = { 'imsmanifest.xml': manifest12('<item identifier="i" identifierref="nope"><title>A</title></item>', ''), 'a.html': 'x' };
    const report = await expectRefused(app, await pkg('noref', files), 'missing-reference');
    expect(errorOf(report, 'missing-reference').message).to.equal('Der Verweis auf „nope“ führt ins Leere.');
  });

  it('accepts the same package once it is fixed (the refusals left nothing that gets in the way)', async () => {
    const { version } = await app.running.app.content.service.importPackage(await pkg('fine', zipFiles(scorm12Single())));
    expect(version.number).to.equal(1);
  });
});
