import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { csrfToken, startTestApp, type TestApp } from '../support/test-app.ts';
import { writePackage } from '../fixtures/content/packages.ts';
import { errorOf, expectRefused, storageSettled, tempDir } from './support.ts';

const NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';
const text = (tag: string, value: string) => `<${tag}><langstring lang="de-DE">${value}</langstring></${tag}>`;
const au = (id: string, url: string, inner = '') => `<au id="${id}">${text('title', 'AU')}${text('description', 'AU')}${inner}<url>${url}</url></au>`;
/** A course structure (cmi5 §13) around the given AUs and blocks. */
const course = (body: string, opts: { id?: string; ns?: string; objectives?: string } = {}) => `<?xml version="1.0" encoding="utf-8"?>
<courseStructure${opts.ns === '' ? '' : ` xmlns="${opts.ns ?? NS}"`} xmlns:v="https://vendor.example/ext">
  <course id="${opts.id ?? 'https://lotse.example.de/kurs'}">${text('title', 'Kurs')}${text('description', 'Kurs')}<v:meta>erlaubt</v:meta></course>
  ${opts.objectives ?? ''}
  ${body}
</courseStructure>`;

describe('content: cmi5 course structures (cmi5 §13, §14), bare or zipped', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
  });
  after(async () => app.stop());
  let n = 0;
  const bare = async (xml: string) => {
    const file = path.join(dir, `cmi5-${++n}.xml`);
    await writeFile(file, xml);
    return file;
  };
  const zipped = (xml: string, files: Record<string, string> = {}) => writePackage(dir, `cmi5-${++n}`, { 'cmi5.xml': xml, ...files });
  const service = () => app.running.app.content.service;

  it('imports a bare cmi5.xml whose AUs live on other servers, with a vendor extension, and launches them there', async () => {
    const aus = Array.from({ length: 1001 }, (_, i) =>
      au(`https://lotse.example.de/au/${i}`, `https://au.example.org/lerneinheit/${i}/index.html?lang=de`),
    ).join('\n');
    const { version } = await service().importPackage(await bare(course(aus)), { originalName: 'cmi5.xml', publish: true, moduleTitle: 'Nur Kursstruktur' });
    expect(version.format).to.equal('cmi5');
    const launchables = version.launchables;
    // cmi5 6.1.0.0-2: more than 1000 AUs
    expect(launchables).to.have.length(1001);
    expect(launchables[7]).to.include({ id: 'https://lotse.example.de/au/7', href: 'https://au.example.org/lerneinheit/7/index.html?lang=de' });
    // nothing to warn about: every AU of a bare course structure is external by definition
    expect(version.report.warnings.map((w) => w.code)).not.to.include('external-au');
  });

  it('warns of a vendor extension without an XML Schema (13.1.5.0-1), not where the package brings one or xsi:schemaLocation names it', async () => {
    const xml = course(au('https://x.example/au', 'index.html'));
    const codes = (v: { report: { warnings: Array<{ code: string; rule?: string; params: Record<string, unknown> }> } }) =>
      v.report.warnings.filter((w) => w.code === 'cmi5-extension-schema');
    const without = await service().importPackage(await zipped(xml, { 'index.html': '<html></html>' }), { moduleTitle: 'Ohne Schema' });
    expect(codes(without.version).map((w) => [w.rule, w.params.ns])).to.deep.equal([['cmi5 13.1.5.0-1', 'https://vendor.example/ext']]);
    const packaged = await service().importPackage(
      await zipped(xml, { 'index.html': '<html></html>', 'schema/ext.xsd': '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>' }),
      { moduleTitle: 'Mit Schema' },
    );
    expect(codes(packaged.version)).to.deep.equal([]);
    const located = xml.replace(
      'xmlns:v="https://vendor.example/ext"',
      'xmlns:v="https://vendor.example/ext" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://vendor.example/ext https://vendor.example/ext.xsd"',
    );
    const named = await service().importPackage(await zipped(located, { 'index.html': '<html></html>' }), { moduleTitle: 'Mit schemaLocation' });
    expect(codes(named.version)).to.deep.equal([]);
  });

  it('imports a bare cmi5.xml uploaded by an author over HTTP', async () => {
    const { agent } = await app.loggedIn(['author']);
    const token = await csrfToken(agent, '/author/modules');
    const res = await agent
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'application/json')
      .attach('package', Buffer.from(course(au('https://lotse.example.de/au/http', 'https://au.example.org/a.html'))), {
        filename: 'cmi5.xml',
        contentType: 'text/xml',
      });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.version.format).to.equal('cmi5');
    // the upload answers before the copy into GridFS has ended; later checks compare what is stored
    await storageSettled(app, res.body.version.id as string);
  });

  // each invalid structure is refused for its own reason, named with its requirement id
  const refusals: Array<[string, () => Promise<string>, string, string]> = [
    [
      'a course id that is not an IRI',
      () => bare(course(au('https://x.example/au', 'https://x.example/a.html'), { id: 'lotse.example.de/kurs' })),
      'cmi5-not-iri',
      'cmi5 3.0.0.0-1',
    ],
    [
      'an objective id that is not an IRI',
      () =>
        bare(
          course(au('https://x.example/au', 'https://x.example/a.html'), {
            objectives: `<objectives><objective id="ziel-1">${text('title', 'Z')}${text('description', 'Z')}</objective></objectives>`,
          }),
        ),
      'cmi5-not-iri',
      'cmi5 3.0.0.0-1',
    ],
    ['a relative AU URL without a package', () => bare(course(au('https://x.example/au', 'index.html'))), 'cmi5-relative-url-bare', 'cmi5 14.2.0.0-1'],
    [
      'a relative AU URL that names no file of the zip',
      () => zipped(course(au('https://x.example/au', 'not-found.html')), { 'index.html': '<html></html>' }),
      'launch-missing',
      'cmi5 14.1.0.0-4',
    ],
    [
      'an AU URL whose query collides with a launch parameter',
      () => bare(course(au('https://x.example/au', 'https://x.example/a.html?endpoint=https://lrs.example/'))),
      'cmi5-url-parameter',
      'cmi5 8.1.0.0-6',
    ],
    [
      'an absolute AU URL that names a file of the zip',
      () => zipped(course(au('https://x.example/au', 'https://cdn.example.org/kurs/au/index.html')), { 'au/index.html': '<html></html>' }),
      'cmi5-url-absolute-in-zip',
      'cmi5 14.1.0.0-3',
    ],
    ['a space in an AU URL', () => bare(course(au('https://x.example/au', 'https://x.example/a b.html'))), 'cmi5-url-invalid', 'cmi5 13.1.4.0-2'],
    [
      'two blocks with one id',
      () =>
        bare(
          course(
            [1, 2]
              .map(
                () =>
                  `<block id="https://x.example/b">${text('title', 'B')}${text('description', 'B')}${au(`https://x.example/au${Math.random()}`, 'https://x.example/a.html')}</block>`,
              )
              .join(''),
          ),
        ),
      'duplicate-id',
      'cmi5 13.1.2.0-1',
    ],
    [
      'two AUs with one id',
      () => bare(course(au('https://x.example/au', 'https://x.example/a.html') + au('https://x.example/au', 'https://x.example/b.html'))),
      'duplicate-id',
      'cmi5 13.1.4.0-1',
    ],
    [
      'url before title (schema order)',
      () => bare(course('<au id="https://x.example/au"><url>https://x.example/a.html</url>' + text('title', 'AU') + text('description', 'AU') + '</au>')),
      'cmi5-schema-order',
      'cmi5 13.2.0.0-1',
    ],
    [
      'an AU without a description',
      () => bare(course('<au id="https://x.example/au">' + text('title', 'AU') + '<url>https://x.example/a.html</url></au>')),
      'cmi5-schema-order',
      'cmi5 13.2.0.0-1',
    ],
    [
      'an attribute the schema does not know',
      () =>
        bare(
          course('<au id="https://x.example/au" weight="2">' + text('title', 'AU') + text('description', 'AU') + '<url>https://x.example/a.html</url></au>'),
        ),
      'cmi5-schema-attribute',
      'cmi5 13.2.0.0-1',
    ],
    [
      'a course structure without the cmi5 namespace',
      () => bare(course(au('https://x.example/au', 'https://x.example/a.html'), { ns: '' })),
      'cmi5-namespace',
      'cmi5 13.2.0.0-1',
    ],
  ];
  for (const [what, make, code, rule] of refusals) {
    it(`refuses ${what} (${rule})`, async () => {
      const report = await expectRefused(app, await make(), code);
      expect(errorOf(report, code).rule).to.equal(rule);
      expect(errorOf(report, code).message).to.match(/^[A-ZÄÖÜ„]/);
    });
  }

  it('refuses a file that is neither a zip nor XML (14.0.0.0-1), a .zip that is no zip (14.1.0.0-1), and an XML file that is no course structure', async () => {
    const md = path.join(dir, 'paket.md');
    await writeFile(md, '# Kein Paket\n');
    expect(errorOf(await expectRefused(app, md, 'not-a-package'), 'not-a-package').rule).to.equal('cmi5 14.0.0.0-1');
    const fakeZip = path.join(dir, 'kaputt.zip');
    await writeFile(fakeZip, 'Text, kein ZIP');
    expect(errorOf(await expectRefused(app, fakeZip, 'not-zip'), 'not-zip').rule).to.equal('cmi5 14.1.0.0-1');
    const manifest = await bare('<?xml version="1.0"?><manifest identifier="m"/>');
    expect(errorOf(await expectRefused(app, manifest, 'xml-not-course-structure'), 'xml-not-course-structure').message).to.contain('ZIP');
  });

  it('answers an author who uploads an invalid course structure with 400 and the report, never a stack', async () => {
    const { agent } = await app.loggedIn(['author']);
    const token = await csrfToken(agent, '/author/modules');
    const res = await agent
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'application/json')
      .attach('package', Buffer.from(course(au('https://x.example/au', 'index.html'))), { filename: 'cmi5.xml', contentType: 'text/xml' });
    expect(res.status).to.equal(400);
    expect(res.body.error).to.equal('Das Paket wurde abgelehnt. Bitte beachten Sie den Prüfbericht.');
    expect(res.body.report.errors[0]).to.include({ code: 'cmi5-relative-url-bare', rule: 'cmi5 14.2.0.0-1' });
    expect(res.text).not.to.contain('at ');
  });
});
