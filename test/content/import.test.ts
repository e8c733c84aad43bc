import { expect } from 'chai';
import type { Cmi5Au, Cmi5Block, ScormManifest, TincanPackage, Cmi5Course } from '../../src/content/types.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { cmi5, scorm12Multi, scorm12Single, scorm2004, tincan, writePackage } from '../fixtures/content/packages.ts';
import { storedState, tempDir } from './support.ts';

describe('content: importing packages into the typed model', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
  });
  after(async () => app.stop());
  const service = () => app.running.app.content.service;

  it('imports a single-SCO SCORM 1.2 package with masteryscore and datafromlms', async () => {
    const file = await writePackage(dir, 's12-single', scorm12Single());
    const { module, version, report } = await service().importPackage(file, { moduleTitle: 'Q1 · Technik', publish: true });
    expect(report.ok).to.equal(true);
    expect(report.errors).to.deep.equal([]);
    expect(module.slug).to.equal('q1-technik');
    expect(module.publishedVersionId).to.equal(version.id);
    expect(version.number).to.equal(1);
    expect(version.format).to.equal('scorm12');
    const m = version.manifest as ScormManifest;
    expect(m.title).to.equal('Q1 · Technik & Arbeit');
    expect(m.organizations[0]!.items[0]).to.include({
      identifier: 'item1',
      title: 'Einführung',
      identifierref: 'res1',
      isvisible: true,
      masteryScore: 80,
      dataFromLms: 'start=1',
    });
    expect(m.resources[0]).to.include({ identifier: 'res1', scormType: 'sco', href: 'index.html' });
    expect(version.launchables).to.deep.equal([
      { id: 'item1', title: 'Einführung', href: 'index.html', resourceId: 'res1', scormType: 'sco', masteryScore: 80, dataFromLms: 'start=1' },
    ]);
    expect(version.files.map((f) => f.path).sort()).to.deep.equal(['app.js', 'imsmanifest.xml', 'index.html', 'style.css']);
    const published = await service().getPublishedVersion(module.id);
    expect(published?.id).to.equal(version.id);
    // a second import into the same module is version 2; the published one stays
    const again = await service().importPackage(file, { moduleSlug: 'q1-technik' });
    expect(again.version.number).to.equal(2);
    expect(again.module.id).to.equal(module.id);
    expect((await service().getPublishedVersion(module.id))?.id).to.equal(version.id);
  });

  it('imports a multi-SCO SCORM 1.2 package: item tree, parameters, xml:base, warnings', async () => {
    const file = await writePackage(dir, 's12-multi', scorm12Multi());
    const { version, report } = await service().importPackage(file);
    const m = version.manifest as ScormManifest;
    const chapter = m.organizations[0]!.items[0]!;
    expect(chapter.identifier).to.equal('chapter1');
    expect(chapter.children.map((c) => c.identifier)).to.deep.equal(['sco1', 'sco2']);
    expect(chapter.children[0]).to.include({ parameters: '?lang=de', masteryScore: 70, maxTimeAllowed: '00:30:00', timeLimitAction: 'continue,message' });
    expect(chapter.children[1]).to.include({ isvisible: false, prerequisites: 'sco1' });
    expect(m.resources.find((r) => r.identifier === 'r2')).to.include({ base: 'lessons/', href: 'two.html' });
    expect(version.launchables.map((l) => [l.id, l.href])).to.deep.equal([
      ['sco1', 'lessons/one.html?mode=normal&lang=de'],
      ['sco2', 'lessons/two.html'],
      ['sco3', 'test/index.html#page3'],
    ]);
    expect(report.ok).to.equal(true);
    const warnings = report.warnings.map((w) => [w.code, w.params]);
    expect(warnings).to.deep.include(['unreferenced-resource', { id: 'unused' }]);
    // sco2 has no mastery score, but sco1 and sco3 let the LMS decide: no mastery warning
    expect(warnings.map(([code]) => code)).not.to.include('no-mastery-score');
  });

  it('warns once when no SCO of a SCORM 1.2 package has a mastery score', async () => {
    const files = scorm12Multi();
    files['imsmanifest.xml'] = String(files['imsmanifest.xml']).replace(/<adlcp:masteryscore>\d+<\/adlcp:masteryscore>/g, '');
    const { report } = await service().importPackage(await writePackage(dir, 's12-nomastery', files));
    const mastery = report.warnings.filter((x) => x.code === 'no-mastery-score');
    expect(mastery).to.have.length(1);
    expect(mastery[0]!.message).to.equal(
      'Kein Lernobjekt des Pakets hat eine Bestehensgrenze (adlcp:masteryscore); ob bestanden ist, entscheidet dann allein der Inhalt.',
    );
    expect(mastery[0]!.messageEn).to.contain('No learning object of the package has a mastery score');
    expect(mastery[0]!.where).to.equal('imsmanifest.xml');
  });

  for (const edition of [3, 4] as const) {
    it(`imports SCORM 2004 ${edition === 3 ? '3rd' : '4th'} edition with sequencing, objectives and completion threshold`, async () => {
      const file = await writePackage(dir, `s2004-${edition}`, scorm2004(edition));
      const { version, report } = await service().importPackage(file);
      expect(report.errors).to.deep.equal([]);
      expect(version.format).to.equal('scorm2004');
      const m = version.manifest as ScormManifest;
      expect(m.edition).to.equal(edition);
      const org = m.organizations[0]!;
      expect(org.objectivesGlobalToSystem).to.equal(false);
      expect(org.sequencing?.controlMode).to.include({ choice: false, flow: true, forwardOnly: false });
      expect(org.sequencing?.rollupRules).to.deep.include({ objectiveMeasureWeight: 0.5 });
      expect(org.sequencing?.rollupRules?.rules[0]).to.deep.include({ childActivitySet: 'all', action: 'satisfied' });
      const [intro, test] = org.items;
      expect(intro!.completionThreshold).to.deep.equal(
        edition === 4
          ? { completedByMeasure: true, minProgressMeasure: 0.8, progressWeight: 2 }
          : { completedByMeasure: true, minProgressMeasure: 0.75, progressWeight: 1 },
      );
      expect(intro!.dataFromLms).to.equal('intro-data');
      expect(intro!.hideLmsUi).to.deep.equal(['continue', 'previous']);
      expect(intro!.objectives[0]).to.deep.include({ objectiveID: 'obj-intro', primary: true, satisfiedByMeasure: true, minNormalizedMeasure: 0.6 });
      expect(intro!.objectives[0]!.mapInfo[0]).to.include({ targetObjectiveID: 'global-intro', readSatisfiedStatus: true, writeSatisfiedStatus: true });
      const seq = test!.sequencing!;
      expect(seq.idRef).to.equal('common-seq');
      expect(seq.controlMode).to.include({ forwardOnly: true }); // from the sequencingCollection
      expect(seq.deliveryControls).to.deep.equal({ tracked: true, completionSetByContent: true, objectiveSetByContent: true });
      expect(seq.limitConditions).to.deep.equal({ attemptLimit: 3 });
      expect(seq.preConditionRules[0]).to.deep.equal({
        conditionCombination: 'any',
        conditions: [{ condition: 'satisfied', operator: 'not', referencedObjective: 'obj-intro' }],
        action: 'disabled',
      });
      expect(seq.postConditionRules[0]?.action).to.equal('continue');
      expect(test!.objectives.map((o) => o.objectiveID)).to.deep.equal(['obj-test', 'obj-extra']);
      if (edition === 4) expect(test!.objectives[0]!.mapInfo[0]!.extended).to.deep.equal({ readCompletionStatus: true, writeCompletionStatus: true });
      expect(version.launchables.map((l) => l.href)).to.deep.equal(['intro/index.html', 'test/index.html']);
    });
  }

  it('imports an xAPI package from tincan.xml with its launchable activity', async () => {
    const file = await writePackage(dir, 'tincan', tincan());
    const { version } = await service().importPackage(file);
    expect(version.format).to.equal('xapi');
    const m = version.manifest as TincanPackage;
    expect(m.activities).to.have.length(2);
    expect(m.launchActivityId).to.equal('https://lotse.example.de/xapi/q1-kommunikation');
    expect(m.activities[0]).to.include({ name: 'Kommunikation', description: 'Gesprächsführung im Quartier', launch: 'story.html', launchLang: 'de-DE' });
    expect(version.launchables).to.deep.equal([{ id: 'https://lotse.example.de/xapi/q1-kommunikation', title: 'Kommunikation', href: 'story.html' }]);
  });

  it('imports a cmi5 course with nested blocks and several AUs in document order', async () => {
    const file = await writePackage(dir, 'cmi5', cmi5());
    const { version, report } = await service().importPackage(file);
    expect(report.errors).to.deep.equal([]);
    expect(version.format).to.equal('cmi5');
    const c = version.manifest as Cmi5Course;
    expect(c).to.include({ id: 'https://lotse.example.de/cmi5/q1', title: 'Q1 Grundlagen', description: 'Die Grundlagen' });
    expect(c.objectives[0]).to.deep.equal({ id: 'https://lotse.example.de/cmi5/q1/obj1', title: 'Ziel 1', description: 'Beschreibung' });
    expect(c.children.map((x) => x.type)).to.deep.equal(['au', 'block', 'au']);
    const block = c.children[1] as Cmi5Block;
    expect(block.objectives).to.deep.equal(['https://lotse.example.de/cmi5/q1/obj1']);
    const au1 = block.children[0] as Cmi5Au;
    expect(au1).to.deep.include({
      id: 'https://lotse.example.de/cmi5/q1/au1',
      title: 'Lerneinheit 1',
      url: 'au1/index.html?x=1',
      moveOn: 'CompletedAndPassed',
      masteryScore: 0.8,
      launchMethod: 'AnyWindow',
      launchParameters: '{"level":2}',
      entitlementKey: 'q1-premium',
      activityType: 'http://adlnet.gov/expapi/activities/lesson',
    });
    expect((c.children[0] as Cmi5Au).launchMethod).to.equal('OwnWindow');
    expect(((block.children[1] as Cmi5Block).children[0] as Cmi5Au).moveOn).to.equal('Passed');
    expect(version.launchables.map((l) => [l.title, l.href, l.moveOn])).to.deep.equal([
      ['Willkommen', 'welcome/index.html', 'Completed'],
      ['Lerneinheit 1', 'au1/index.html?x=1', 'CompletedAndPassed'],
      ['Lerneinheit 2', 'au2/index.html', 'Passed'],
      ['Abschluss', 'final/index.html', 'CompletedOrPassed'],
    ]);
  });

  it('lists modules, marks a version launched and then refuses to delete it', async () => {
    const file = await writePackage(dir, 'del', scorm12Single());
    const a = await service().importPackage(file, { moduleTitle: 'Löschprobe' });
    const b = await service().importPackage(file, { moduleSlug: a.module.slug });
    await service().markLaunched(a.version.id);
    let err: unknown;
    await service()
      .deleteVersion(a.version.id)
      .catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('content:errors.versionLaunched');
    const before = await storedState(app);
    await service().deleteVersion(b.version.id);
    const after = await storedState(app);
    expect(after.versions).to.equal(before.versions - 1);
    // the test app keeps zips in the file store (no MONGODB_URI, so PACKAGE_STORE defaults to file)
    expect(b.version.packageStore).to.equal('file');
    expect(after.packages).to.deep.equal(before.packages.filter((p) => p !== `${b.version.packageFileId}.zip`));
    expect(after.packages).to.have.length(before.packages.length - 1);
    expect(after.cache).not.to.include(b.version.id);
    expect(await service().getVersion(b.version.id)).to.equal(undefined);
    const all = await service().listModules();
    expect(all.map((m) => m.slug)).to.include('loeschprobe');
    const published = await service().listModules({ publishedOnly: true });
    expect(published.map((m) => m.slug)).not.to.include('loeschprobe');
  });
});
