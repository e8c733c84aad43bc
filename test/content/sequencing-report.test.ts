import { expect } from 'chai';
import { ReportBuilder } from '../../src/content/report.ts';
import { readScormManifest } from '../../src/content/scorm-manifest.ts';
import type { ReportEntry, ScormItem, ScormManifest } from '../../src/content/types.ts';
import { parseXml } from '../../src/content/xml.ts';
import {
  constrainedChoicePackage,
  forcedSequentialPackage,
  objectivesPackage,
  postTestRollupPackage,
  randomTestPackage,
  sequencingPackage,
} from '../fixtures/player/sequencing-packages.ts';

/** The manifest parser and the import report on SCORM 2004 sequencing (no database, no HTTP). */
function read(files: Record<string, string>): { manifest: ScormManifest; warnings: ReportEntry[] } {
  const xml = parseXml(Buffer.from(files['imsmanifest.xml'] ?? ''));
  if (!xml.ok) throw new Error(xml.problem);
  const report = new ReportBuilder();
  const out = readScormManifest(xml.root, xml.namespaces, report, new Set(Object.keys(files)));
  if (!out) throw new Error(JSON.stringify(report.build().errors));
  return { manifest: out.manifest, warnings: report.build().warnings };
}
const sequencingWarnings = (w: ReportEntry[]) =>
  w.filter((e) => e.code.startsWith('sequencing-')).map((e) => [e.code, e.params.id, e.params.attr ?? e.params.condition ?? ''].join(' '));
const item = (m: ScormManifest, id: string): ScormItem => {
  const find = (items: ScormItem[]): ScormItem | undefined => items.map((i) => (i.identifier === id ? i : find(i.children))).find(Boolean);
  const found = find(m.organizations[0]?.items ?? []);
  if (!found) throw new Error(id);
  return found;
};
const one = (sequencing: string, extra = '') =>
  sequencingPackage({
    identifier: 'com.example.seq.one',
    title: 'Eins',
    orgAttrs: extra,
    items: [
      { id: 'a', title: 'A', sequencing },
      { id: 'b', title: 'B' },
    ],
  });

describe('content: SCORM 2004 sequencing in the manifest parser and the import report', () => {
  it('combines rollup conditions with "any" and rule conditions with "all" when the manifest does not say', () => {
    const { manifest } = read(
      sequencingPackage({
        identifier: 'com.example.seq.comb',
        title: 'Kombination',
        orgSequencing: `<imsss:sequencingRules><imsss:exitConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/><imsss:ruleCondition condition="completed"/></imsss:ruleConditions><imsss:ruleAction action="exit"/></imsss:exitConditionRule></imsss:sequencingRules>
        <imsss:rollupRules><imsss:rollupRule><imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/><imsss:rollupCondition condition="completed"/></imsss:rollupConditions><imsss:rollupAction action="completed"/></imsss:rollupRule></imsss:rollupRules>`,
        items: [{ id: 'a', title: 'A' }],
      }),
    );
    const seq = manifest.organizations[0]?.sequencing;
    expect(seq?.exitConditionRules[0]?.conditionCombination).to.equal('all');
    expect(seq?.rollupRules?.rules[0]).to.include({ conditionCombination: 'any', childActivitySet: 'all', action: 'completed' });
  });

  it('keeps every IMS SS limit condition and the auxiliary resources', () => {
    const { manifest } = read(
      one(`<imsss:limitConditions attemptLimit="2" attemptAbsoluteDurationLimit="PT1H" attemptExperiencedDurationLimit="PT30M"
      activityAbsoluteDurationLimit="PT2H" activityExperiencedDurationLimit="PT1H30M" beginTimeLimit="2026-01-01T00:00:00Z" endTimeLimit="2027-01-01T00:00:00Z"/>
      <imsss:auxiliaryResources><imsss:auxiliaryResource auxiliaryResourceID="glossar" purpose="Glossar"/></imsss:auxiliaryResources>`),
    );
    const seq = item(manifest, 'a').sequencing;
    expect(seq?.limitConditions).to.deep.equal({
      attemptLimit: 2,
      attemptAbsoluteDurationLimit: 'PT1H',
      attemptExperiencedDurationLimit: 'PT30M',
      activityAbsoluteDurationLimit: 'PT2H',
      activityExperiencedDurationLimit: 'PT1H30M',
      beginTimeLimit: '2026-01-01T00:00:00Z',
      endTimeLimit: '2027-01-01T00:00:00Z',
    });
    expect(seq?.auxiliaryResources).to.deep.equal([{ auxiliaryResourceID: 'glossar', purpose: 'Glossar' }]);
  });

  it('reads adlseq:mapInfo into the imsss map of the same target, and alone shares only the 4th edition fields', () => {
    const { manifest } = read(
      one(`<imsss:objectives><imsss:primaryObjective objectiveID="p"><imsss:mapInfo targetObjectiveID="g1" writeSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives>
      <adlseq:objectives><adlseq:objective objectiveID="p"><adlseq:mapInfo targetObjectiveID="g1" writeRawScore="true"/><adlseq:mapInfo targetObjectiveID="g2" writeCompletionStatus="true"/></adlseq:objective></adlseq:objectives>`),
    );
    expect(item(manifest, 'a').objectives[0]?.mapInfo).to.deep.equal([
      {
        targetObjectiveID: 'g1',
        readSatisfiedStatus: true,
        readNormalizedMeasure: true,
        writeSatisfiedStatus: true,
        writeNormalizedMeasure: false,
        extended: { writeRawScore: true },
      },
      {
        targetObjectiveID: 'g2',
        readSatisfiedStatus: false,
        readNormalizedMeasure: false,
        writeSatisfiedStatus: false,
        writeNormalizedMeasure: false,
        extended: { writeCompletionStatus: true },
      },
    ]);
  });

  it('merges a sequencingCollection entry with the item, whose own elements win', () => {
    const { manifest } = read(
      sequencingPackage({
        identifier: 'com.example.seq.collection',
        title: 'Sammlung',
        collection: `<imsss:sequencing ID="gemeinsam"><imsss:controlMode flow="true" choice="false"/><imsss:rollupRules objectiveMeasureWeight="0"/>
        <imsss:deliveryControls objectiveSetByContent="true"/></imsss:sequencing>`,
        items: [{ id: 'a', title: 'A', sequencingIdRef: 'gemeinsam', sequencing: '<imsss:rollupRules objectiveMeasureWeight="0.5"/>' }],
      }),
    );
    const seq = item(manifest, 'a').sequencing;
    expect(seq?.controlMode).to.include({ flow: true, choice: false });
    expect(seq?.rollupRules?.objectiveMeasureWeight).to.equal(0.5);
    expect(seq?.deliveryControls).to.include({ objectiveSetByContent: true });
  });

  it('reports nothing about sequencing the engine carries out', () => {
    expect(sequencingWarnings(read(postTestRollupPackage()).warnings)).to.deep.equal([]);
    expect(sequencingWarnings(read(randomTestPackage({ timing: 'once' })).warnings)).to.deep.equal([]);
    expect(sequencingWarnings(read(one('<imsss:limitConditions attemptLimit="1" beginTimeLimit="2026-01-01T00:00:00Z"/>')).warnings)).to.deep.equal([]);
    // global objectives and shared data live for the learner across courses (player_learner_globals)
    expect(sequencingWarnings(read(objectivesPackage({ objectivesGlobalToSystem: false })).warnings)).to.deep.equal([]);
    expect(sequencingWarnings(read(objectivesPackage()).warnings)).to.deep.equal([]);
    expect(sequencingWarnings(read(forcedSequentialPackage()).warnings)).to.deep.equal([]);
  });

  it('warns, with the activity, of each duration limit and time condition the player does not enforce', () => {
    const { warnings } = read(
      one(`<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="timeLimitExceeded"/></imsss:ruleConditions><imsss:ruleAction action="disabled"/></imsss:preConditionRule></imsss:sequencingRules>
      <imsss:limitConditions attemptAbsoluteDurationLimit="PT1H" activityExperiencedDurationLimit="PT2H"/>`),
    );
    expect(sequencingWarnings(warnings)).to.deep.equal([
      'sequencing-duration-limit a attemptAbsoluteDurationLimit',
      'sequencing-duration-limit a activityExperiencedDurationLimit',
      'sequencing-time-condition a timeLimitExceeded',
    ]);
    const limit = warnings.find((w) => w.code === 'sequencing-duration-limit');
    expect(limit).to.include({
      where: 'imsmanifest.xml, item a',
      message:
        'Die Zeitbegrenzung attemptAbsoluteDurationLimit="PT1H" von „a“ wird vom Player nicht durchgesetzt; die Aktivität bleibt ohne Zeitlimit verfügbar.',
    });
    expect(limit?.messageEn).to.equal(
      'The time limit attemptAbsoluteDurationLimit="PT1H" of "a" is not enforced by the player; the activity stays available without a time limit.',
    );
  });

  it('warns of random selection on each new attempt and of constrained choice', () => {
    expect(sequencingWarnings(read(randomTestPackage()).warnings)).to.deep.equal(['sequencing-random-each-attempt quiz ']);
    expect(sequencingWarnings(read(constrainedChoicePackage()).warnings)).to.deep.equal([
      'sequencing-constrained-choice teilA constrainChoice',
      'sequencing-constrained-choice teilB preventActivation',
    ]);
    // the measure rollup follows SN RB.1.1 (our patch of the engine): nothing to warn about
    const measured = read(
      sequencingPackage({
        identifier: 'com.example.seq.measured',
        title: 'Punkte',
        orgSequencing: '<imsss:objectives><imsss:primaryObjective objectiveID="kurs" satisfiedByMeasure="true"/></imsss:objectives>',
        items: [
          { id: 'a', title: 'A' },
          { id: 'b', title: 'B' },
        ],
      }),
    ).warnings;
    expect(sequencingWarnings(measured)).to.deep.equal([]);
    const excluded = read(one('<imsss:rollupRules rollupObjectiveSatisfied="false" objectiveMeasureWeight="0.5"/>')).warnings;
    expect(sequencingWarnings(excluded)).to.deep.equal([]);
    for (const w of [...measured, ...excluded, ...read(randomTestPackage()).warnings].filter((e) => e.code.startsWith('sequencing-'))) {
      expect(w.message, `${w.code} has German text`).to.not.equal(w.code);
      expect(w.messageEn, `${w.code} has English text`).to.not.equal(w.code);
    }
  });
});
