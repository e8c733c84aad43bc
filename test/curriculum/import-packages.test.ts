import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { buildAllPackages, findModuleDirs, loadModule } from '../../scripts/build-content/index.ts';
import type { BuiltPackage } from '../../scripts/build-content/index.ts';
import type { Cmi5Au, Cmi5Course, ScormItem, ScormManifest } from '../../src/content/component.ts';
import { CONTENT_DIR } from '../../src/curriculum/built-packages.ts';
import { seedQ1Modules } from '../../src/curriculum/seed-q1-modules.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const flatten = (items: ScormItem[]): ScormItem[] => items.flatMap((i) => [i, ...flatten(i.children)]);

describe('curriculum: the nine Q1 packages through the content importer', function () {
  this.timeout(180_000);
  let app: TestApp;
  let outDir: string;
  let built: BuiltPackage[];
  const lessonCount = new Map<string, number>();
  const moduleIds = new Map<string, string>();

  before(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-curriculum-'));
    built = await buildAllPackages({ contentDir: CONTENT_DIR, outDir });
    for (const dir of await findModuleDirs(CONTENT_DIR)) {
      const source = await loadModule(dir);
      lessonCount.set(source.meta.slug, source.lessons.length);
      moduleIds.set(source.meta.slug, source.meta.id);
    }
    app = await startTestApp();
  });
  after(async () => {
    await app?.stop();
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds nine packages: cmi5, SCORM 2004 and SCORM 1.2 for each of the three modules', () => {
    expect(built).to.have.length(9);
    expect([...new Set(built.map((b) => b.module))].sort()).to.deep.equal(['megatrends', 'technik', 'tools-methoden']);
  });

  it('imports every package without errors or warnings and with the expected manifest', async () => {
    const content = app.running.app.content.service;
    for (const pkg of built) {
      const { version, report } = await content.importPackage(pkg.path, {
        moduleSlug: `${pkg.module}-${pkg.format}`,
        moduleTitle: `${pkg.module} ${pkg.format}`,
      });
      expect(report.errors, `${pkg.path} errors`).to.deep.equal([]);
      expect(report.warnings, `${pkg.path} warnings`).to.deep.equal([]);
      expect(version.format).to.equal(pkg.format);
      const lessons = lessonCount.get(pkg.module)!;
      const moduleId = moduleIds.get(pkg.module)!;
      expect(version.launchables, pkg.path).to.have.length(lessons + 1);

      if (pkg.format === 'cmi5') {
        const course = version.manifest as Cmi5Course;
        expect(course.id).to.equal(moduleId);
        const aus = course.children.filter((c): c is Cmi5Au => c.type === 'au');
        expect(aus).to.have.length(lessons + 1);
        const quiz = aus.find((a) => a.id === `${moduleId}/au/quiz`)!;
        expect(quiz.moveOn).to.equal('CompletedAndPassed');
        expect(quiz.masteryScore).to.equal(0.8);
        for (const au of aus.filter((a) => a !== quiz)) expect(au.moveOn, au.id).to.equal('Completed');
      } else {
        const manifest = version.manifest as ScormManifest;
        const items = flatten(manifest.organizations[0]!.items);
        expect(items.filter((i) => i.identifierref)).to.have.length(lessons + 1);
        const quizItem = items.find((i) => i.identifier.endsWith('quiz'))!;
        if (pkg.format === 'scorm12') {
          expect(manifest.schemaversion).to.equal('1.2');
          expect(quizItem.masteryScore).to.equal(80);
        } else {
          expect(manifest.edition).to.equal(4);
          const primary = quizItem.objectives.find((o) => o.primary) ?? quizItem.sequencing?.objectives.find((o) => o.primary);
          expect(primary?.satisfiedByMeasure).to.equal(true);
          expect(primary?.minNormalizedMeasure).to.equal(0.8);
        }
      }
    }
  });

  it('seeds and publishes the three cmi5 modules once, and leaves them alone on the next start', async () => {
    const content = app.running.app.content.service;
    const seeded = await seedQ1Modules(content, app.running.ctx.logger, outDir);
    expect(seeded.sort()).to.deep.equal(['megatrends', 'technik', 'tools-methoden']);
    for (const slug of seeded) {
      const module = await content.getModule(slug);
      const published = await content.getPublishedVersion(module!.id);
      expect(published?.format, slug).to.equal('cmi5');
    }
    expect(await seedQ1Modules(content, app.running.ctx.logger, outDir)).to.deep.equal([]);
  });
});
