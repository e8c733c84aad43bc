import { expect } from 'chai';
import { ReportBuilder } from '../../src/content/report.ts';
import { readScormManifest } from '../../src/content/scorm-manifest.ts';
import type { ScormManifest, ValidationReport } from '../../src/content/types.ts';
import { parseXml } from '../../src/content/xml.ts';
import { activityTreeSettings, type SequencingSettings } from '../../src/player/sequencing/activity-tree.ts';
import {
  constrainedChoicePackage,
  forcedSequentialPackage,
  objectivesPackage,
  postTestRollupPackage,
  preTestPackage,
  randomTestPackage,
  remediationPackage,
  sequencingPackage,
} from '../fixtures/player/sequencing-packages.ts';

/**
 * The activity tree mapping proven by playing the fixture packages headless through scorm-again's
 * SN engine, the way the server does: one API instance per request, the sequencing state
 * serialized after each and restored into the next, SCO sessions replayed with
 * Initialize / SetValue / adl.nav.request / Terminate.
 */

interface Validity {
  continue: boolean;
  previous: boolean;
  choice: Record<string, 'true' | 'false'>;
  hideLmsUi: string[];
}
interface Step {
  delivered: string[];
  validity?: Validity;
  ended?: { reason: string; exception?: string | null };
  errors: string[];
  accepted?: boolean;
}
interface Tracking {
  completionStatus: string;
  successStatus: string;
  score: number | null;
}
/** The part of scorm-again's Scorm2004API the tests use (its package types do not resolve under NodeNext). */
interface HeadlessApi {
  Initialize(p: ''): string;
  Terminate(p: ''): string;
  SetValue(k: string, v: string): string;
  GetValue(k: string): string;
  GetLastError(): string;
  processNavigationRequest(request: string, target?: string): boolean;
  serializeSequencingState(): string;
  deserializeSequencingState(s: string): boolean;
  getActivityTrackingData(id: string): Tracking | null;
  applyCurrentActivityLaunchData(): void;
}
interface Sco {
  set(k: string, v: string | number): void;
  get(k: string): string;
}

/** Parses the package's manifest with the content parser and stores it as JSON, as an import does. */
function importManifest(files: Record<string, string>): { manifest: ScormManifest; report: ValidationReport } {
  const xml = parseXml(Buffer.from(files['imsmanifest.xml'] ?? ''));
  if (!xml.ok) throw new Error(`manifest: ${xml.problem}`);
  const report = new ReportBuilder();
  const read = readScormManifest(xml.root, xml.namespaces, report, new Set(Object.keys(files)));
  if (!read) throw new Error(JSON.stringify(report.build().errors));
  return { manifest: JSON.parse(JSON.stringify(read.manifest)) as ScormManifest, report: report.build() };
}

/**
 * Mocha loads test files through require, where 'scorm-again' resolves to its browser (IIFE)
 * bundle; a dynamic import takes the package's ESM build.
 */
let engine: { Scorm2004API: new (settings: object) => HeadlessApi };

/** A learner's registration on the server: the engine lives only as its serialized state. */
class Learner {
  private state: string | undefined;
  private tracked: HeadlessApi | undefined;
  constructor(private readonly settings: SequencingSettings) {}

  static of(files: Record<string, string>): Learner {
    return new Learner(activityTreeSettings(importManifest(files).manifest));
  }

  private open(step: Step): HeadlessApi {
    const api = new engine.Scorm2004API({
      autocommit: false,
      lmsCommitUrl: false,
      logLevel: 5,
      sequencing: {
        ...structuredClone(this.settings),
        eventListeners: {
          onActivityDelivery: (a: { id: string }) => step.delivered.push(a.id),
          onNavigationValidityUpdate: (v: Validity) => (step.validity = v),
          onSequencingSessionEnd: (d: Step['ended']) => (step.ended = d),
          onSequencingError: (e: string) => step.errors.push(e),
        },
      },
    });
    if (this.state && !api.deserializeSequencingState(this.state)) throw new Error('sequencing state not restored');
    return api;
  }

  private close(api: HeadlessApi): void {
    this.state = api.serializeSequencingState();
    this.tracked = api;
  }

  /** A navigation request from the LMS's own controls (start, choice in the table of contents …). */
  nav(request: string, target?: string): Step {
    const step: Step = { delivered: [], errors: [] };
    const api = this.open(step);
    step.accepted = api.processNavigationRequest(request, target);
    this.close(api);
    return step;
  }

  /** One SCO session of the delivered activity, ended with `request` as adl.nav.request. */
  session(play: (sco: Sco) => void, request = 'continue'): Step {
    const step: Step = { delivered: [], errors: [] };
    const api = this.open(step);
    // delivery happened in an earlier request: the restored engine must seed the launch data
    // (cmi.completion_threshold, adl.data) itself, before Initialize
    api.applyCurrentActivityLaunchData();
    if (api.Initialize('') !== 'true') throw new Error(`Initialize: ${api.GetLastError()}`);
    play({
      set: (k, v) => {
        if (api.SetValue(k, String(v)) !== 'true') throw new Error(`SetValue ${k}=${v}: ${api.GetLastError()}`);
      },
      get: (k) => api.GetValue(k),
    });
    if (request) api.SetValue('adl.nav.request', request);
    if (api.Terminate('') !== 'true') throw new Error(`Terminate: ${api.GetLastError()}`);
    this.close(api);
    return step;
  }

  /** The rolled-up status of an activity after the last request. */
  status(id: string): Tracking {
    const t = this.tracked?.getActivityTrackingData(id);
    if (!t) throw new Error(`no activity ${id}`);
    return t;
  }
}

/** A SCO that completes and reports success itself (or only a scaled score, which the LMS judges). */
const passed = (score?: number) => (sco: Sco) => {
  sco.set('cmi.completion_status', 'completed');
  if (score === undefined) sco.set('cmi.success_status', 'passed');
  else sco.set('cmi.score.scaled', score);
};
const failed = (sco: Sco) => {
  sco.set('cmi.completion_status', 'completed');
  sco.set('cmi.success_status', 'failed');
};
const completedOnly = (sco: Sco) => sco.set('cmi.completion_status', 'completed');
/** cmi.objectives as the SCO sees them: id/success_status/score.scaled/score.raw. */
const objectivesOf = (sco: Sco) =>
  Array.from({ length: Number(sco.get('cmi.objectives._count')) }, (_, i) =>
    ['id', 'success_status', 'score.scaled', 'score.raw'].map((f) => sco.get(`cmi.objectives.${i}.${f}`)).join('/'),
  );
const notDone = (t: Tracking) => {
  expect(t.completionStatus, 'course completed too early').to.not.equal('completed');
  expect(t.successStatus, 'course passed too early').to.not.equal('passed');
};

describe('player: SCORM 2004 activity tree played by the sequencing engine', () => {
  const debug = console.debug;
  before(async () => {
    engine = (await import('scorm-again/scorm2004')) as unknown as typeof engine;
    // the engine reports every delivery and restore on console.debug
    console.debug = () => {};
  });
  after(() => {
    console.debug = debug;
  });

  describe('defaults', () => {
    const plain = sequencingPackage({
      identifier: 'com.example.seq.plain',
      title: 'Ohne Sequencing',
      items: [
        { id: 'eins', title: 'Eins' },
        { id: 'zwei', title: 'Zwei' },
      ],
    });

    it('passes every control with the SCORM default and never an undefined', () => {
      const tree = activityTreeSettings(importManifest(plain).manifest).activityTree;
      expect(tree?.id).to.equal('org');
      expect(tree?.children?.map((c) => c.id)).to.deep.equal(['eins', 'zwei']);
      for (const a of [tree, ...(tree?.children ?? [])]) {
        expect(a?.sequencingControls).to.deep.equal({
          choice: true,
          choiceExit: true,
          flow: false,
          forwardOnly: false,
          useCurrentAttemptObjectiveInfo: true,
          useCurrentAttemptProgressInfo: true,
          preventActivation: false,
          constrainChoice: false,
          rollupObjectiveSatisfied: true,
          rollupProgressCompletion: true,
          objectiveMeasureWeight: 1,
          selectionTiming: 'never',
          randomizationTiming: 'never',
          randomizeChildren: false,
        });
        expect(a?.deliveryControls).to.deep.equal({ tracked: true, completionSetByContent: false, objectiveSetByContent: false });
      }
      const undefinedAt = (v: unknown, path: string): string[] =>
        v === undefined ? [path] : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => undefinedAt(x, `${path}.${k}`)) : [];
      for (const f of [
        plain,
        forcedSequentialPackage(),
        remediationPackage(),
        preTestPackage(),
        postTestRollupPackage(),
        randomTestPackage(),
        constrainedChoicePackage(),
        objectivesPackage(),
      ]) {
        expect(undefinedAt(activityTreeSettings(importManifest(f).manifest), 'settings')).to.deep.equal([]);
      }
    });

    it('offers choice but no flow where the manifest says nothing (SN: flow defaults to false)', () => {
      const learner = Learner.of(plain);
      const start = learner.nav('start');
      expect(start.accepted, 'start needs flow from the root').to.equal(false);
      expect(learner.nav('choice', 'zwei').delivered).to.deep.equal(['zwei']);
      expect(learner.session(passed(), 'continue').delivered, 'no flow').to.deep.equal([]);
      notDone(learner.status('org'));
      learner.nav('choice', 'eins');
      learner.session(passed(), '');
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed' });
    });

    it('maps a manifest stored by the first parser version', () => {
      const stored = importManifest(forcedSequentialPackage()).manifest;
      // that version had no auxiliaryResources and only two limit attributes; its rollup rules said "all"
      const old = JSON.parse(JSON.stringify(stored, (k, v: unknown) => (k === 'auxiliaryResources' ? undefined : v))) as ScormManifest;
      const learner = new Learner(activityTreeSettings(old));
      expect(learner.nav('start').delivered).to.deep.equal(['grundlagen']);
      expect(learner.session(passed()).delivered).to.deep.equal(['vertiefung']);
    });
  });

  describe('(a) forced sequential order', () => {
    const pkg = forcedSequentialPackage();

    it('delivers the SCOs in order by Continue only and offers neither Previous nor choice', () => {
      const learner = Learner.of(pkg);
      const start = learner.nav('start');
      expect(start.delivered).to.deep.equal(['grundlagen']);
      expect(start.validity).to.include({ continue: true, previous: false });
      expect(start.validity?.choice).to.include({ grundlagen: 'false', vertiefung: 'false', abschluss: 'false' });

      expect(learner.session(passed()).delivered).to.deep.equal(['vertiefung']);
      expect(learner.nav('previous').accepted, 'forwardOnly').to.equal(false);
      expect(learner.nav('choice', 'abschluss').accepted, 'choice="false"').to.equal(false);
      expect(learner.session(passed()).delivered).to.deep.equal(['abschluss']);
    });

    it('keeps the next SCO disabled while the one before is not satisfied', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      // objectiveSetByContent: "completed" alone is not "passed"
      const step = learner.session(completedOnly);
      expect(step.delivered, 'Vertiefung is disabled').to.deep.equal([]);
      expect(step.errors).to.include('SB.2.2-2');
      expect(learner.status('grundlagen')).to.include({ completionStatus: 'completed', successStatus: 'unknown' });

      const other = Learner.of(pkg);
      other.nav('start');
      other.session(passed());
      expect(other.session(failed).delivered).to.deep.equal([]);
      expect(other.status('org').successStatus).to.equal('failed');
    });

    it('completes and passes the course only with the last SCO', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed());
      expect(learner.status('org')).to.include({ completionStatus: 'unknown', successStatus: 'unknown' });
      learner.session(passed());
      notDone(learner.status('org'));
      const end = learner.session(passed());
      expect(end.ended?.reason).to.equal('end_of_content');
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed' });
    });
  });

  describe('(b) simple remediation', () => {
    const pkg = remediationPackage();
    const test = (score: number, k1: string, k2: string) => (sco: Sco) => {
      expect(objectivesOf(sco).map((o) => o.split('/')[0])).to.deep.equal(['test-bestanden', 'kapitel1-gekonnt', 'kapitel2-gekonnt']);
      sco.set('cmi.completion_status', 'completed');
      sco.set('cmi.score.scaled', score);
      sco.set('cmi.objectives.1.success_status', k1);
      sco.set('cmi.objectives.2.success_status', k2);
    };

    it('offers again only the content behind the failed objective, then the test', () => {
      const learner = Learner.of(pkg);
      expect(learner.nav('start').delivered).to.deep.equal(['kapitel1']);
      expect(learner.session(completedOnly).delivered).to.deep.equal(['kapitel2']);
      expect(learner.session(completedOnly).delivered).to.deep.equal(['test']);
      const retry = learner.session(test(0.5, 'passed', 'failed'));
      expect(retry.delivered, 'Kapitel 1 mastered: skipped').to.deep.equal(['kapitel2']);
      expect(retry.validity?.previous, 'nothing before Kapitel 2 in this attempt').to.equal(false);
      notDone(learner.status('org'));
      expect(learner.session(completedOnly).delivered).to.deep.equal(['test']);
      const end = learner.session(test(0.9, 'passed', 'passed'));
      expect(end.ended?.reason).to.equal('end_of_content');
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed', score: 0.9 });
    });

    it('goes straight back to the test when it found every chapter mastered but failed on the score', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(completedOnly);
      learner.session(completedOnly);
      expect(learner.session(test(0.7, 'passed', 'passed')).delivered).to.deep.equal(['test']);
      expect(learner.status('org').successStatus).to.not.equal('passed');
    });
  });

  describe('(c) pre-test that skips mastered content', () => {
    const pkg = preTestPackage();
    const pretest = (m1: string, m2: string) => (sco: Sco) => {
      sco.set('cmi.completion_status', 'completed');
      sco.set('cmi.objectives.1.success_status', m1);
      sco.set('cmi.objectives.2.success_status', m2);
    };

    it('skips the module the pre-test found mastered; only the post-test decides the course', () => {
      const learner = Learner.of(pkg);
      expect(learner.nav('start').delivered).to.deep.equal(['vortest']);
      expect(learner.session(pretest('passed', 'failed')).delivered).to.deep.equal(['modul2']);
      expect(learner.status('org')).to.include({ completionStatus: 'unknown', successStatus: 'unknown', score: null });
      expect(learner.session(completedOnly).delivered).to.deep.equal(['nachtest']);
      notDone(learner.status('org'));
      learner.session(passed(0.75));
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed', score: 0.75 });
      expect(learner.status('modul1').completionStatus, 'never delivered').to.equal('unknown');
    });

    it('leads from a fully mastered pre-test directly to the post-test, which can still fail the course', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      expect(learner.session(pretest('passed', 'passed')).delivered).to.deep.equal(['nachtest']);
      learner.session(passed(0.5));
      expect(learner.status('org')).to.include({ successStatus: 'failed', score: 0.5 });
    });

    it('delivers every module when the pre-test found nothing mastered', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      expect(learner.session(pretest('failed', 'failed')).delivered).to.deep.equal(['modul1']);
      expect(learner.session(completedOnly).delivered).to.deep.equal(['modul2']);
    });
  });

  describe('(d) post-test rollup', () => {
    const pkg = postTestRollupPackage();

    it('takes success and measure from the test alone; completion needs every SCO', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed(1));
      learner.session(passed(1));
      expect(learner.status('org'), 'lessons weigh nothing').to.include({ successStatus: 'unknown', score: null });
      notDone(learner.status('org'));
      learner.session(passed(0.6), 'exitAll');
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'failed', score: 0.6 });
    });

    it('passes the course on the test although the lessons failed', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(failed);
      learner.session(failed);
      learner.session(passed(0.9));
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed', score: 0.9 });
    });

    it('does not complete the course when the learner chose the test and skipped a lesson', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      expect(learner.session(passed(1), '{target=pruefung}choice').delivered).to.deep.equal(['pruefung']);
      learner.session(passed(0.9));
      expect(learner.status('org')).to.include({ successStatus: 'passed', score: 0.9 });
      expect(learner.status('org').completionStatus).to.not.equal('completed');
    });
  });

  describe('(e) random test', () => {
    const questions = ['frage1', 'frage2', 'frage3', 'frage4'];
    /** Plays one learner through the quiz; returns what was delivered up to the evaluation page. */
    const playQuiz = (learner: Learner): string[] => {
      const seen = [...learner.nav('start').delivered];
      for (let i = 0; i < questions.length && seen.at(-1) !== 'auswertung'; i++) seen.push(...learner.session(passed()).delivered);
      return seen;
    };

    it('keeps the evaluation page out of the table of contents and delivers it by flow', () => {
      const tree = activityTreeSettings(importManifest(randomTestPackage()).manifest).activityTree;
      expect(tree?.children?.find((c) => c.id === 'auswertung')?.isVisible).to.equal(false);
      expect(tree?.children?.find((c) => c.id === 'quiz')?.sequencingControls).to.include({
        selectCount: 2,
        selectionTiming: 'onEachNewAttempt',
        randomizationTiming: 'onEachNewAttempt',
        randomizeChildren: true,
      });
      const learner = Learner.of(randomTestPackage({ timing: 'once' }));
      expect(playQuiz(learner).at(-1)).to.equal('auswertung');
    });

    it('asks selectCount questions of the pool in a drawn order (timing "once")', () => {
      const pkg = randomTestPackage({ timing: 'once' });
      const firsts = new Set<string>();
      for (let run = 0; run < 30; run++) {
        const learner = Learner.of(pkg);
        const seen = playQuiz(learner);
        expect(seen.at(-1)).to.equal('auswertung');
        const asked = seen.slice(0, -1);
        expect(asked).to.have.length(2);
        expect(new Set(asked).size).to.equal(2);
        for (const q of asked) expect(questions).to.include(q);
        firsts.add(asked[0] ?? '');
        if (run === 0) {
          notDone(learner.status('org'));
          learner.session(passed());
          expect(learner.status('org'), 'unselected questions do not count').to.include({ completionStatus: 'completed', successStatus: 'passed' });
        }
      }
      expect(firsts.size, 'the first question varies').to.be.greaterThan(1);
    });

    it('documents scorm-again 3.4.3: "onEachNewAttempt" delivers the first child before it draws', () => {
      // SN SR.1/SR.2: the selection is made when the attempt on the quiz begins; the engine makes it in
      // the delivery of the first child it found by flow in document order: that child is always asked,
      // one to three questions in all, and now and then Continue finds nothing after it (SB.2.2-2)
      // (import report: sequencing-random-each-attempt)
      for (let run = 0; run < 15; run++) expect(playQuiz(Learner.of(randomTestPackage()))[0]).to.equal('frage1');
    });
  });

  describe('(f) choice with constrained choice', () => {
    const pkg = constrainedChoicePackage();

    it('does not let choice start Teil B (preventActivation); Continue gets there', () => {
      const learner = Learner.of(pkg);
      expect(learner.nav('start').delivered).to.deep.equal(['a1']);
      for (const target of ['b1', 'b2']) {
        const step = learner.nav('choice', target);
        expect(step.accepted, target).to.equal(false);
        expect(step.errors).to.include('SB.2.9-6');
      }
      expect(learner.session(passed()).delivered).to.deep.equal(['a2']);
      expect(learner.session(passed()).delivered).to.deep.equal(['a3']);
      expect(learner.session(passed()).delivered).to.deep.equal(['b1']);
    });

    it('refuses a choice beyond the next activity inside Teil A (constrainChoice)', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      const step = learner.session(passed(), '{target=a3}choice');
      expect(step.delivered).to.deep.equal([]);
      expect(step.validity?.choice).to.include({ a3: 'false' });
    });

    it('documents scorm-again 3.4.3: constrainChoice and preventActivation refuse every choice between siblings', () => {
      // SN SB.2.9 / 4th ed. constrainChoice: the logically next activity may be chosen; preventActivation
      // only keeps choice from starting an activity that is not yet active (import report: sequencing-constrained-choice)
      const learner = Learner.of(pkg);
      learner.nav('start');
      let validNext = '';
      const step = learner.session((sco) => (validNext = sco.get('adl.nav.request_valid.choice.{target=a2}')), '{target=a2}choice');
      expect(validNext, 'the SCO is told it may').to.equal('true');
      expect(step.delivered, 'but the request is refused').to.deep.equal([]);
      expect(step.errors).to.include('NB.2.1-11');

      const inB = Learner.of(pkg);
      inB.nav('start');
      for (let i = 0; i < 3; i++) inB.session(passed());
      expect(inB.session(passed(), '{target=b2}choice').delivered, 'inside the active Teil B').to.deep.equal([]);
    });
  });

  describe('(g) primary and secondary objectives with global maps', () => {
    const pkg = objectivesPackage();
    const lernen = (sco: Sco) => {
      sco.set('cmi.objectives.1.success_status', 'passed');
      sco.set('cmi.objectives.1.score.scaled', 0.9);
      sco.set('cmi.objectives.1.score.raw', 90);
      sco.set('adl.data.0.store', 'meine Notiz');
      sco.set('cmi.score.scaled', 0.7);
      sco.set('cmi.completion_status', 'completed');
    };

    it('maps the read and write flags of imsss:mapInfo and adlseq:mapInfo as declared', () => {
      const lernenSettings = activityTreeSettings(importManifest(pkg).manifest).activityTree?.children?.[0];
      const none = {
        readCompletionStatus: false,
        writeCompletionStatus: false,
        readProgressMeasure: false,
        writeProgressMeasure: false,
        readRawScore: false,
        writeRawScore: false,
        readMinScore: false,
        writeMinScore: false,
        readMaxScore: false,
        writeMaxScore: false,
        updateAttemptData: false,
      };
      expect(lernenSettings?.primaryObjective).to.deep.equal({
        objectiveID: 'lernen-bestanden',
        isPrimary: true,
        satisfiedByMeasure: true,
        minNormalizedMeasure: 0.6,
      });
      expect(lernenSettings?.objectives).to.deep.equal([
        {
          objectiveID: 'verstanden',
          isPrimary: false,
          satisfiedByMeasure: false,
          mapInfo: [
            {
              targetObjectiveID: 'obj-verstanden',
              readSatisfiedStatus: false,
              readNormalizedMeasure: false,
              writeSatisfiedStatus: true,
              writeNormalizedMeasure: true,
              // adlseq:mapInfo: what it says, reads default to true, writes to false
              readCompletionStatus: true,
              writeCompletionStatus: false,
              readProgressMeasure: true,
              writeProgressMeasure: false,
              readRawScore: false,
              writeRawScore: true,
              readMinScore: true,
              writeMinScore: false,
              readMaxScore: true,
              writeMaxScore: false,
              updateAttemptData: false,
            },
          ],
        },
        // no adlseq:mapInfo: only satisfaction and measure are shared
        {
          objectiveID: 'vorwissen',
          isPrimary: false,
          satisfiedByMeasure: false,
          mapInfo: [
            {
              targetObjectiveID: 'obj-vorwissen',
              readSatisfiedStatus: true,
              readNormalizedMeasure: true,
              writeSatisfiedStatus: false,
              writeNormalizedMeasure: false,
              ...none,
            },
          ],
        },
      ]);
    });

    it("starts cmi.objectives with the SCO's declared objectives, primary first", () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      let objectives: string[] = [];
      learner.session((sco) => (objectives = objectivesOf(sco)), '');
      expect(objectives).to.deep.equal(['lernen-bestanden/unknown//', 'verstanden/unknown//', 'vorwissen/unknown//']);
    });

    it('writes the objective to its global and reads it into the next SCO, with the 4th edition raw score', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      const step = learner.session(lernen);
      expect(step.delivered).to.deep.equal(['anwenden']);
      expect(learner.status('lernen'), 'satisfied by measure 0.7 ≥ 0.6').to.include({ successStatus: 'passed', score: 0.7 });
      notDone(learner.status('org'));
      let objectives: string[] = [];
      learner.session((sco) => (objectives = objectivesOf(sco)), '');
      expect(objectives).to.deep.equal(['anwenden-primary/unknown//', 'aus-lernen/passed/0.9/90']);
    });

    it('shares the data store: Lernen writes, Anwenden reads and may not write', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(lernen);
      learner.session((sco) => {
        expect(sco.get('adl.data.0.id')).to.equal('notizen');
        expect(sco.get('adl.data.0.store')).to.equal('meine Notiz');
        expect(() => sco.set('adl.data.0.store', 'überschrieben')).to.throw(/SetValue/);
      }, '');
    });

    it('initialises cmi.completion_threshold and completes Anwenden by its progress measure', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(lernen);
      learner.session((sco) => {
        expect(sco.get('cmi.completion_threshold')).to.equal('0.8');
        sco.set('cmi.progress_measure', 0.5);
      }, '');
      expect(learner.status('anwenden').completionStatus, '0.5 < 0.8').to.equal('incomplete');
      learner.nav('choice', 'anwenden');
      learner.session((sco) => sco.set('cmi.progress_measure', 0.85), '');
      expect(learner.status('anwenden').completionStatus).to.equal('completed');
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed' });
    });

    it('documents scorm-again 3.4.3: cmi.time_limit_action is not taken from adlcp:timeLimitAction', () => {
      // RTE 4.2.26: initialised from the manifest; the engine keeps it for the activity but never seeds
      // cmi with it, so the player has to (as it has to for cmi.launch_data and cmi.max_time_allowed)
      expect(activityTreeSettings(importManifest(pkg).manifest).activityTree?.children?.[1]?.timeLimitAction).to.equal('exit,message');
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(lernen);
      learner.session((sco) => expect(sco.get('cmi.time_limit_action')).to.equal('continue,no message'), '');
    });

    it("hides the LMS's Previous while Anwenden is delivered (hideLMSUI)", () => {
      const learner = Learner.of(pkg);
      expect(learner.nav('start').validity?.hideLmsUi).to.deep.equal([]);
      expect(learner.session(lernen).validity?.hideLmsUi).to.deep.equal(['previous']);
    });
  });

  describe('rules with measures and rollup rules', () => {
    it('skips an activity whose referenced objective is above the measure threshold', () => {
      const pkg = sequencingPackage({
        identifier: 'com.example.seq.threshold',
        title: 'Schwelle',
        orgSequencing: '<imsss:controlMode choice="true" flow="true"/>',
        items: [
          {
            id: 'eins',
            title: 'Eins',
            sequencing:
              '<imsss:objectives><imsss:primaryObjective objectiveID="eins-p"><imsss:mapInfo targetObjectiveID="g-eins" writeNormalizedMeasure="true"/></imsss:primaryObjective></imsss:objectives>',
          },
          {
            id: 'zwei',
            title: 'Zwei',
            sequencing: `<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>
              <imsss:ruleCondition referencedObjective="aus-eins" condition="objectiveMeasureGreaterThan" measureThreshold="0.5"/>
            </imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules>
            <imsss:objectives><imsss:primaryObjective objectiveID="zwei-p"/><imsss:objective objectiveID="aus-eins"><imsss:mapInfo targetObjectiveID="g-eins" readNormalizedMeasure="true"/></imsss:objective></imsss:objectives>`,
          },
          { id: 'drei', title: 'Drei' },
        ],
      });
      const high = Learner.of(pkg);
      high.nav('start');
      expect(high.session(passed(0.6)).delivered, '0.6 > 0.5').to.deep.equal(['drei']);
      const low = Learner.of(pkg);
      low.nav('start');
      expect(low.session(passed(0.4)).delivered, '0.4 ≤ 0.5').to.deep.equal(['zwei']);
    });

    it('weighs the measures of the children with objectiveMeasureWeight', () => {
      const pkg = sequencingPackage({
        identifier: 'com.example.seq.weights',
        title: 'Gewichte',
        orgSequencing: '<imsss:controlMode choice="true" flow="true"/>',
        items: [
          { id: 'leicht', title: 'Leicht', sequencing: '<imsss:rollupRules objectiveMeasureWeight="1"/>' },
          { id: 'schwer', title: 'Schwer', sequencing: '<imsss:rollupRules objectiveMeasureWeight="3"/>' },
        ],
      });
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed(0.2));
      learner.session(passed(0.6));
      expect(learner.status('org').score, '(0.2 · 1 + 0.6 · 3) / 4').to.be.closeTo(0.5, 1e-9);
    });

    it('leaves an unattempted child out of satisfaction with requiredForSatisfied="ifAttempted"', () => {
      const pkg = sequencingPackage({
        identifier: 'com.example.seq.considerations',
        title: 'Rücksichten',
        orgSequencing: '<imsss:controlMode choice="true" flow="true"/>',
        items: [
          { id: 'eins', title: 'Eins' },
          { id: 'zusatz', title: 'Zusatz', sequencing: '<adlseq:rollupConsiderations requiredForSatisfied="ifAttempted"/>' },
        ],
      });
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed(), '');
      expect(learner.status('org').successStatus, 'Zusatz not attempted: not required').to.equal('passed');
      expect(learner.status('org').completionStatus, 'but still required for completion').to.not.equal('completed');
    });

    it('judges a primary objective without objectiveID by its measure', () => {
      const pkg = sequencingPackage({
        identifier: 'com.example.seq.noid',
        title: 'Ohne ID',
        items: [
          {
            id: 'eins',
            title: 'Eins',
            sequencing:
              '<imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>',
          },
        ],
      });
      const learner = Learner.of(pkg);
      learner.nav('choice', 'eins');
      learner.session(passed(0.5), '');
      expect(learner.status('eins')).to.include({ successStatus: 'failed', score: 0.5 });
    });

    const ruled = sequencingPackage({
      identifier: 'com.example.seq.rollup',
      title: 'Regeln',
      orgSequencing: `<imsss:controlMode choice="true" flow="true"/>
      <imsss:rollupRules>
        <imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.5">
          <imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions><imsss:rollupAction action="satisfied"/>
        </imsss:rollupRule>
        <imsss:rollupRule childActivitySet="all">
          <imsss:rollupConditions><imsss:rollupCondition condition="completed"/><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions><imsss:rollupAction action="completed"/>
        </imsss:rollupRule>
      </imsss:rollupRules>`,
      items: [
        { id: 'eins', title: 'Eins' },
        { id: 'zwei', title: 'Zwei' },
        { id: 'drei', title: 'Drei' },
      ],
    });

    it('reads minimumPercent as the fraction the manifest writes', () => {
      const learner = Learner.of(ruled);
      learner.nav('start');
      learner.session(passed());
      expect(learner.status('org').successStatus, '1 of 3 is below 50 %').to.not.equal('passed');
      learner.session(passed());
      expect(learner.status('org').successStatus, '2 of 3').to.equal('passed');
    });

    it('combines rollup conditions with "any" when the manifest does not say (IMS SS default)', () => {
      const learner = Learner.of(ruled);
      learner.nav('start');
      learner.session((sco) => {
        sco.set('cmi.completion_status', 'incomplete');
        sco.set('cmi.success_status', 'passed');
      });
      learner.session(failed);
      learner.session(passed());
      expect(learner.status('org').completionStatus, 'each child completed or satisfied').to.equal('completed');
    });
  });

  describe('limit conditions', () => {
    const limited = (limits: string) =>
      sequencingPackage({
        identifier: 'com.example.seq.limits',
        title: 'Grenzen',
        orgSequencing: '<imsss:controlMode choice="true" flow="true"/>',
        items: [
          { id: 'eins', title: 'Eins' },
          { id: 'zwei', title: 'Zwei', sequencing: `<imsss:limitConditions ${limits}/>` },
        ],
      });

    it('allows no new attempt beyond attemptLimit', () => {
      const learner = Learner.of(limited('attemptLimit="1"'));
      learner.nav('start');
      expect(learner.session(passed()).delivered).to.deep.equal(['zwei']);
      learner.session(passed(), '');
      expect(learner.nav('choice', 'zwei').accepted).to.equal(false);
      expect(learner.nav('choice', 'eins').delivered, 'eins has no limit').to.deep.equal(['eins']);
    });

    it('keeps an activity closed before its beginTimeLimit and open before its endTimeLimit', () => {
      const later = Learner.of(limited('beginTimeLimit="2099-01-01T00:00:00Z"'));
      later.nav('start');
      expect(later.session(passed(), '{target=zwei}choice').delivered).to.deep.equal([]);
      const open = Learner.of(limited('endTimeLimit="2099-01-01T00:00:00Z"'));
      open.nav('start');
      expect(open.session(passed(), '{target=zwei}choice').delivered).to.deep.equal(['zwei']);
      const over = Learner.of(limited('endTimeLimit="2000-01-01T00:00:00Z"'));
      over.nav('start');
      expect(over.session(passed(), '{target=zwei}choice').delivered).to.deep.equal([]);
    });

    it('delivers an activity with attemptAbsoluteDurationLimit (not passed on; the import report warns)', () => {
      const pkg = limited('attemptAbsoluteDurationLimit="PT1H"');
      expect(importManifest(pkg).report.warnings.map((w) => w.code)).to.include('sequencing-duration-limit');
      const learner = Learner.of(pkg);
      learner.nav('start');
      expect(learner.session(passed()).delivered).to.deep.equal(['zwei']);
    });

    it('documents scorm-again 3.4.3: an attemptAbsoluteDurationLimit makes the activity undeliverable', () => {
      // its Activity.attemptAbsoluteDuration getter returns the limit, so UP.1 finds the limit reached
      const settings = activityTreeSettings(importManifest(limited('')).manifest);
      const zwei = settings.activityTree?.children?.[1];
      if (zwei) zwei.attemptAbsoluteDurationLimit = 'PT1H';
      const learner = new Learner(settings);
      learner.nav('start');
      const step = learner.session(passed(), '{target=zwei}choice');
      expect(step.delivered).to.deep.equal([]);
      expect(step.errors).to.include('DB.1.1-3');
    });
  });

  describe('measure rollup (SN RB.1.1, with our patch of scorm-again 3.4.3: scripts/dependency-patches)', () => {
    it('weighs the measure of a child with rollupObjectiveSatisfied="false" too', () => {
      // SN RB.1.1 weighs every tracked child's measure; rollupObjectiveSatisfied concerns satisfaction only
      const pkg = sequencingPackage({
        identifier: 'com.example.seq.excluded',
        title: 'Ausgeschlossen',
        orgSequencing: '<imsss:controlMode choice="true" flow="true"/>',
        items: [
          { id: 'eins', title: 'Eins', sequencing: '<imsss:rollupRules rollupObjectiveSatisfied="false"/>' },
          { id: 'zwei', title: 'Zwei' },
        ],
      });
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed(0.2));
      learner.session(passed(0.6));
      expect(learner.status('org').score).to.be.closeTo(0.4, 1e-9);
    });

    it('does not pass a course satisfied by measure on the children scored so far', () => {
      // RB.1.1 divides by the weights of all tracked children: 0.9 · 1 / 2 = 0.45 < 0.7 after the first
      // (upstream divided by the weights of those already scored and passed the course at 0.9)
      const pkg = sequencingPackage({
        identifier: 'com.example.seq.measure',
        title: 'Punkte',
        orgSequencing: `<imsss:controlMode choice="true" flow="true"/>
      <imsss:objectives><imsss:primaryObjective objectiveID="kurs" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>`,
        items: [
          { id: 'eins', title: 'Eins' },
          { id: 'zwei', title: 'Zwei' },
        ],
      });
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed(0.9));
      expect(learner.status('org').successStatus).to.not.equal('passed');
      expect(learner.status('org').score).to.be.closeTo(0.45, 1e-9);
      learner.session(passed(0.8));
      expect(learner.status('org')).to.include({ successStatus: 'passed' });
      expect(learner.status('org').score).to.be.closeTo(0.85, 1e-9);
    });
  });
});
