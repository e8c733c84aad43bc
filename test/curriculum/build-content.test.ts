// Builds the real content/ modules twice into temp dirs and checks the nine
// packages: manifests (ids, titles, mastery scores, moveOn), lesson and quiz
// sizes, offline-safe pages in German, and byte-for-byte reproducibility.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import yauzl from 'yauzl';
import { buildAllPackages, findModuleDirs, loadModule, type BuiltPackage } from '../../scripts/build-content/index.ts';
import type { ModuleSource } from '../../scripts/build-content/types.ts';
import { drawQuestions, isPassed, isSelectionCorrect, requiredCorrect } from '../../scripts/build-content/runtime/evaluate.ts';

const CONTENT_DIR = path.resolve('content');
const FORMATS = ['cmi5', 'scorm2004', 'scorm12'] as const;

type ZipFiles = Map<string, Buffer>;

/** Reads every entry of a zip into memory (packages are small). */
function readZip(file: string): Promise<ZipFiles> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error(`cannot open ${file}`));
      const files: ZipFiles = new Map();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false });

/** XML nodes that may occur once or repeatedly, as an array. */
function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

// fast-xml-parser returns untyped trees; the tests navigate them by known manifest structure.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed XML has no static shape
type Node = any;

function text(node: Node): string {
  return typeof node === 'object' && node !== null ? String(node['#text'] ?? '') : String(node);
}

describe('curriculum: build-content', function () {
  this.timeout(120_000);

  let outA = '';
  let outB = '';
  let builtA: BuiltPackage[] = [];
  let builtB: BuiltPackage[] = [];
  const modules = new Map<string, ModuleSource>();
  const zipsA = new Map<string, ZipFiles>();
  const zipsB = new Map<string, ZipFiles>();

  const key = (module: string, format: string): string => `${module}/${format}`;
  const zipOf = (module: string, format: string): ZipFiles => {
    const files = zipsA.get(key(module, format));
    if (!files) throw new Error(`no package ${key(module, format)}`);
    return files;
  };
  const manifestOf = (module: string, format: (typeof FORMATS)[number]): Node => {
    const name = format === 'cmi5' ? 'cmi5.xml' : 'imsmanifest.xml';
    const file = zipOf(module, format).get(name);
    if (!file) throw new Error(`${name} missing in ${key(module, format)}`);
    return xml.parse(file.toString('utf8'));
  };

  before(async () => {
    outA = await mkdtemp(path.join(os.tmpdir(), 'lotse-content-a-'));
    outB = await mkdtemp(path.join(os.tmpdir(), 'lotse-content-b-'));
    for (const dir of await findModuleDirs(CONTENT_DIR)) {
      const source = await loadModule(dir);
      modules.set(source.meta.slug, source);
    }
    builtA = await buildAllPackages({ contentDir: CONTENT_DIR, outDir: outA });
    builtB = await buildAllPackages({ contentDir: CONTENT_DIR, outDir: outB });
    for (const pkg of builtA) zipsA.set(key(pkg.module, pkg.format), await readZip(pkg.path));
    for (const pkg of builtB) zipsB.set(key(pkg.module, pkg.format), await readZip(pkg.path));
  });

  after(async () => {
    await rm(outA, { recursive: true, force: true });
    await rm(outB, { recursive: true, force: true });
  });

  it('produces nine packages: three modules in cmi5, SCORM 2004 and SCORM 1.2', () => {
    expect([...modules.keys()].sort()).to.deep.equal(['megatrends', 'technik', 'tools-methoden']);
    expect(builtA).to.have.length(9);
    for (const slug of modules.keys()) {
      for (const format of FORMATS) {
        const pkg = builtA.find((p) => p.module === slug && p.format === format);
        expect(pkg, `${slug} ${format}`).to.not.equal(undefined);
        expect(path.basename(pkg?.path ?? '')).to.equal(`${slug}-${format}.zip`);
      }
    }
  });

  it('keeps each module within 5–8 lessons and a quiz pool of at least 10 questions with draw ≥ 10', () => {
    for (const [slug, source] of modules) {
      expect(source.lessons.length, slug).to.be.within(5, 8);
      expect(source.quiz.draw, slug).to.be.at.least(10);
      expect(source.quiz.pool.length, slug).to.be.at.least(Math.max(10, source.quiz.draw));
      expect(source.quiz.masteryScore, slug).to.equal(0.8);
      expect(
        source.assets.filter((a) => a.name.endsWith('.svg')),
        slug,
      ).to.not.be.empty;
    }
  });

  it('writes cmi5.xml with the course id, one AU per lesson plus the quiz, and the right moveOn rules', () => {
    for (const [slug, source] of modules) {
      const doc = manifestOf(slug, 'cmi5').courseStructure;
      expect(doc['@_xmlns']).to.equal('https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd');
      expect(doc.course['@_id']).to.equal(source.meta.id);
      expect(list(doc.course.title.langstring).map(text)).to.include(source.meta.title);

      const aus: Node[] = list(doc.au);
      expect(aus).to.have.length(source.lessons.length + 1);
      source.lessons.forEach((lesson, i) => {
        const au = aus[i];
        expect(au['@_id']).to.equal(`${source.meta.id}/au/${lesson.id}`);
        expect(au['@_moveOn']).to.equal('Completed');
        expect(au['@_launchMethod']).to.equal('AnyWindow');
        expect(text(list(au.title.langstring)[0])).to.equal(lesson.title);
        expect(zipOf(slug, 'cmi5').has(au.url), au.url).to.equal(true);
      });
      const quiz = aus[aus.length - 1];
      expect(quiz['@_id']).to.equal(`${source.meta.id}/au/quiz`);
      expect(quiz['@_moveOn']).to.equal('CompletedAndPassed');
      expect(Number(quiz['@_masteryScore'])).to.equal(0.8);
      expect(quiz['@_launchMethod']).to.equal('AnyWindow');
    }
  });

  it('writes a SCORM 2004 4th Edition manifest with sequencing and a 0.8 mastery objective on the quiz', () => {
    for (const [slug, source] of modules) {
      const manifest = manifestOf(slug, 'scorm2004').manifest;
      expect(manifest.metadata.schemaversion).to.equal('2004 4th Edition');
      for (const ns of ['xmlns:adlcp', 'xmlns:imsss', 'xmlns:adlseq', 'xmlns:adlnav']) {
        expect(manifest[`@_${ns}`], ns).to.be.a('string');
      }
      const org = manifest.organizations.organization;
      expect(org.title).to.equal(source.meta.title);
      expect(org['imsss:sequencing']['imsss:controlMode']['@_choice']).to.equal('true');
      expect(org['imsss:sequencing']['imsss:controlMode']['@_flow']).to.equal('true');

      const items: Node[] = list(org.item);
      expect(items).to.have.length(source.lessons.length + 1);
      expect(items.slice(0, -1).map((i) => i.title)).to.deep.equal(source.lessons.map((l) => l.title));
      const objective = items[items.length - 1]['imsss:sequencing']['imsss:objectives']['imsss:primaryObjective'];
      expect(objective['@_satisfiedByMeasure']).to.equal('true');
      expect(Number(objective['imsss:minNormalizedMeasure'])).to.equal(0.8);

      const scos = list<Node>(manifest.resources.resource).filter((r) => r['@_adlcp:scormType'] === 'sco');
      expect(scos).to.have.length(source.lessons.length + 1);
    }
  });

  it('writes a SCORM 1.2 manifest with lessons as SCOs and adlcp:masteryscore 80 on the quiz', () => {
    for (const [slug, source] of modules) {
      const manifest = manifestOf(slug, 'scorm12').manifest;
      expect(manifest['@_xmlns']).to.equal('http://www.imsproject.org/xsd/imscp_rootv1p1p2');
      expect(manifest['@_xmlns:adlcp']).to.equal('http://www.adlnet.org/xsd/adlcp_rootv1p2');
      expect(String(manifest.metadata.schemaversion)).to.equal('1.2');
      const items: Node[] = list(manifest.organizations.organization.item);
      expect(items).to.have.length(source.lessons.length + 1);
      expect(items.slice(0, -1).every((i) => i['adlcp:masteryscore'] === undefined)).to.equal(true);
      expect(Number(items[items.length - 1]['adlcp:masteryscore'])).to.equal(80);
      const scos = list<Node>(manifest.resources.resource).filter((r) => r['@_adlcp:scormtype'] === 'sco');
      expect(scos).to.have.length(source.lessons.length + 1);
    }
  });

  it('lists every packaged file in the SCORM manifests and ships every listed file', () => {
    for (const slug of modules.keys()) {
      for (const format of ['scorm2004', 'scorm12'] as const) {
        const files = zipOf(slug, format);
        const listed = new Set(list<Node>(manifestOf(slug, format).manifest.resources.resource).flatMap((r) => list<Node>(r.file).map((f) => f['@_href'])));
        const packaged = [...files.keys()].filter((name) => name !== 'imsmanifest.xml');
        expect([...listed].sort(), `${slug} ${format}`).to.deep.equal(packaged.sort());
      }
    }
  });

  it('builds identical packages from the same sources', async () => {
    expect(builtB.map((p) => path.basename(p.path))).to.deep.equal(builtA.map((p) => path.basename(p.path)));
    for (const [name, filesA] of zipsA) {
      const filesB = zipsB.get(name);
      expect(filesB, name).to.not.equal(undefined);
      expect([...(filesB?.keys() ?? [])], name).to.deep.equal([...filesA.keys()]);
      for (const manifest of ['cmi5.xml', 'imsmanifest.xml']) {
        if (filesA.has(manifest)) expect(filesB?.get(manifest)?.equals(filesA.get(manifest) as Buffer), `${name} ${manifest}`).to.equal(true);
      }
    }
    for (let i = 0; i < builtA.length; i++) {
      const hashA = createHash('sha256')
        .update(await readFile(builtA[i]?.path ?? ''))
        .digest('hex');
      const hashB = createHash('sha256')
        .update(await readFile(builtB[i]?.path ?? ''))
        .digest('hex');
      expect(hashB, builtA[i]?.path).to.equal(hashA);
    }
  });

  it('renders German pages that load no script from the network', () => {
    for (const [name, files] of zipsA) {
      const pages = [...files.entries()].filter(([file]) => file.endsWith('.html'));
      expect(pages.length, name).to.be.at.least(6);
      for (const [file, content] of pages) {
        const html = content.toString('utf8');
        expect(html, `${name} ${file}`).to.match(/<html lang="de">/);
        expect(html, `${name} ${file}`).to.not.match(/<script[^>]+src=["']?(https?:)?\/\//i);
        expect(html, `${name} ${file}`).to.not.match(/<link[^>]+href=["']?(https?:)?\/\//i);
      }
      expect(files.has('shared/runtime.js'), name).to.equal(true);
      expect(files.has('shared/styles.css'), name).to.equal(true);
    }
  });

  it('renders knowledge checks as accessible forms with a live feedback region', () => {
    for (const [slug, source] of modules) {
      const files = zipOf(slug, 'scorm2004');
      for (const lesson of source.lessons) {
        const page = files.get(`pages/${path.basename(lesson.file, '.md')}.html`)?.toString('utf8') ?? '';
        expect(page, lesson.file).to.include(`<h1>`);
        expect(page, lesson.file).to.match(/<fieldset[^>]*>\s*<legend>/);
        expect(page, lesson.file).to.match(/<input type="(radio|checkbox)"/);
        expect(page, lesson.file).to.match(/class="check-feedback" role="status" aria-live="polite"/);
        expect(page, lesson.file).to.include('id="complete-lesson"');
      }
    }
  });

  it('scores quiz attempts without partial credit and draws distinct questions', () => {
    const question = {
      id: 'q',
      question: '?',
      type: 'multiple' as const,
      options: [
        { text: 'a', correct: true, feedback: '' },
        { text: 'b', correct: true, feedback: '' },
        { text: 'c', correct: false, feedback: '' },
      ],
    };
    expect(isSelectionCorrect(question, [0, 1])).to.equal(true);
    expect(isSelectionCorrect(question, [0])).to.equal(false);
    expect(isSelectionCorrect(question, [0, 1, 2])).to.equal(false);
    expect(isPassed(8 / 10, 0.8)).to.equal(true);
    expect(isPassed(7 / 10, 0.8)).to.equal(false);
    expect(requiredCorrect(0.8, 10)).to.equal(8);

    let seed = 42;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const pool = Array.from({ length: 18 }, (_, i) => i);
    const drawn = drawQuestions(pool, 10, random);
    expect(drawn).to.have.length(10);
    expect(new Set(drawn).size).to.equal(10);
  });
});
