import { expect } from 'chai';
import { ReportBuilder } from '../../src/content/report.ts';
import { readScormManifest } from '../../src/content/scorm-manifest.ts';
import type { ScormManifest, ValidationReport } from '../../src/content/types.ts';
import { parseXml } from '../../src/content/xml.ts';
import { activityTreeSettings, type SequencingSettings } from '../../src/player/sequencing/activity-tree.ts';
import { forcedSequentialPackage } from '../fixtures/player/sequencing-packages.ts';

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

const passed = (score?: number) => (sco: Sco) => {
  sco.set('cmi.completion_status', 'completed');
  if (score === undefined) sco.set('cmi.success_status', 'passed');
  else sco.set('cmi.score.scaled', score);
};
const completedOnly = (sco: Sco) => sco.set('cmi.completion_status', 'completed');

describe('player: SCORM 2004 activity tree played by the sequencing engine', () => {
  const debug = console.debug;
  before(async () => {
    engine = (await import('scorm-again')) as unknown as typeof engine;
    // the engine reports every delivery and restore on console.debug
    console.debug = () => {};
  });
  after(() => {
    console.debug = debug;
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
      const step = learner.session(completedOnly);
      expect(step.delivered, 'Vertiefung is disabled').to.deep.equal([]);
      expect(step.errors).to.include('SB.2.2-2');
      expect(learner.status('grundlagen')).to.include({ completionStatus: 'completed', successStatus: 'unknown' });

      const failed = Learner.of(pkg);
      failed.nav('start');
      failed.session(passed());
      expect(failed.session((sco) => { completedOnly(sco); sco.set('cmi.success_status', 'failed'); }).delivered).to.deep.equal([]);
    });

    it('completes and passes the course only with the last SCO', () => {
      const learner = Learner.of(pkg);
      learner.nav('start');
      learner.session(passed());
      expect(learner.status('org')).to.include({ completionStatus: 'unknown', successStatus: 'unknown' });
      learner.session(passed());
      expect(learner.status('org').completionStatus).to.not.equal('completed');
      expect(learner.status('org').successStatus).to.not.equal('passed');
      const end = learner.session(passed());
      expect(end.ended?.reason).to.equal('end_of_content');
      expect(learner.status('org')).to.include({ completionStatus: 'completed', successStatus: 'passed' });
    });
  });
});
