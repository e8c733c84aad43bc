import type { Activity, HeadlessApi, NavigationValidityUpdate, SequencingSettings } from './scorm-again-types.ts';

// scorm-again's CommonJS entry is a browser bundle without exports: its ES module is what Node can
// run, and a dynamic import reaches it also where this file is loaded as CommonJS (mocha with tsx).
// Its measure rollup carries a fix of ours (scripts/dependency-patches, applied by npm's postinstall).
type Library = { Scorm2004API: new (settings: object) => HeadlessApi };
let library: Promise<Library> | undefined;
const scormAgain = () => (library ??= import('scorm-again/scorm2004') as Promise<unknown> as Promise<Library>);

/**
 * The SCORM 2004 sequencing engine, run on the server: scorm-again's Overall Sequencing Process
 * (SN book OP.1) with its activity tree, rollup, global objectives, selection and randomisation and
 * navigation look-ahead, used headless. The server is the authority for every navigation and every
 * delivery; the learner's browser only runs the SCO's runtime (RTE) and reports its data.
 *
 * One engine lives for one request: it is opened from the attempt's stored state, acts, and its new
 * state is stored again (serializeSequencingState keeps the whole tracking tree, the global
 * objectives and the selection/randomisation of every cluster).
 */

export type NavRequest =
  'start' | 'resumeAll' | 'continue' | 'previous' | 'choice' | 'jump' | 'exit' | 'exitAll' | 'suspendAll' | 'abandon' | 'abandonAll' | 'retry' | 'retryAll';
export const NAV_REQUESTS: readonly NavRequest[] = [
  'start',
  'resumeAll',
  'continue',
  'previous',
  'choice',
  'jump',
  'exit',
  'exitAll',
  'suspendAll',
  'abandon',
  'abandonAll',
  'retry',
  'retryAll',
];

/** What one navigation did: the activity delivered (to launch next), or the end of the session. */
export interface NavOutcome {
  /** The navigation request was valid and processed. */
  valid: boolean;
  /** Identifier of the activity the engine delivered, if it delivered one. */
  delivered: string | null;
  /** The sequencing session ended (exit all, suspend all, abandon all, or the end of the course). */
  sessionEnded: boolean;
  /** SN exception code when the request was refused (e.g. "NB.2.1-2"). */
  exception: string | null;
}

export interface RootStatus {
  completion: 'completed' | 'incomplete' | 'unknown';
  success: 'passed' | 'failed' | 'unknown';
  /** The rolled-up normalized measure (−1…1) when known. */
  measure: number | null;
}

export interface TreeNode {
  id: string;
  title: string;
  depth: number;
  /** A leaf: something that can be delivered. */
  leaf: boolean;
  completion: string;
  success: string;
  current: boolean;
  active: boolean;
  suspended: boolean;
}

export interface NavValidity {
  continue: boolean;
  previous: boolean;
  /** Activity id → a choice request for it would be valid now. */
  choice: Record<string, boolean>;
  /** adlnav:hideLMSUI of the current activity (continue, previous, exit, exitAll, suspendAll, …). */
  hideLmsUi: string[];
}

/** CMI elements whose values End Attempt reads (RTE → SN data transfer) or the SCO writes for sequencing. */
const REPLAYED =
  /^(cmi\.(completion_status|success_status|score\.(scaled|raw|min|max)|progress_measure|exit|session_time|location|objectives\.\d+\.(id|success_status|completion_status|progress_measure|score\.(scaled|raw|min|max)|description))|adl\.data\.\d+\.store)$/;

const ID = /\.(\d+)\.id$/;
/** The fields of a global objective entry that are its value (not the mapping flags). */
const GLOBAL_VALUE = /^(satisfiedStatus|normalizedMeasure|rawScore|minScore|maxScore|progressMeasure|completionStatus)(Known)?$/;
/** Objective ids first, by index (RTE 4.2.17: an objective's id must be set before its other elements). */
function replayOrder(keys: string[]): string[] {
  const replayed = keys.filter((k) => REPLAYED.test(k));
  const ids = replayed.filter((k) => ID.test(k)).sort((a, b) => Number(ID.exec(a)![1]) - Number(ID.exec(b)![1]));
  return [...ids, ...replayed.filter((k) => !ID.test(k))];
}

/**
 * scorm-again logs deliveries and restores with console.debug whatever its log level; a server logs
 * through its own logger. The engine's calls are synchronous, so the override never leaks.
 */
function quietly<T>(fn: () => T): T {
  const debug = console.debug;
  console.debug = () => undefined;
  try {
    return fn();
  } finally {
    console.debug = debug;
  }
}

export class SequencingEngine {
  private readonly api: HeadlessApi;
  private delivered: string | null = null;
  private ended = false;

  private constructor(
    private readonly lib: Library,
    private readonly settings: SequencingSettings,
    state: string | null,
    private readonly now: () => Date,
  ) {
    this.api = quietly(() => {
      const api = new lib.Scorm2004API({
        sequencing: {
          ...settings,
          // SN: rollup happens at End Attempt (Terminate), not on every SetValue
          autoRollupOnCMIChange: false,
          eventListeners: {
            onActivityDelivery: (activity: { id: string }) => {
              this.delivered = activity.id;
            },
            onSequencingSessionEnd: () => {
              this.ended = true;
            },
          },
        },
        autocommit: false,
        lmsCommitUrl: false,
        logLevel: 5,
      });
      api.getSequencingService()?.updateConfiguration({ now });
      if (state && !api.deserializeSequencingState(state)) throw new Error('sequencing state could not be restored');
      return api;
    });
    if (state) this.restoreActivityFlags(state);
  }

  /**
   * scorm-again 3.4.3 restores the suspension state after the tree and sets the current activity with
   * the activating setter (ActivityTree.currentActivity = …), so a SCO that has already terminated
   * comes back "active" and its attempt would be ended a second time. The flags it serialized are
   * put back as they were.
   */
  private restoreActivityFlags(state: string): void {
    const saved =
      (JSON.parse(state) as { sequencing?: { activityStates?: Record<string, { isActive?: boolean; isSuspended?: boolean }> } }).sequencing?.activityStates ??
      {};
    const visit = (a: { id: string; isActive: boolean; isSuspended: boolean; children: unknown[] }) => {
      const s = saved[a.id];
      if (s) {
        a.isActive = Boolean(s.isActive);
        a.isSuspended = Boolean(s.isSuspended);
      }
      for (const c of a.children) visit(c as typeof a);
    };
    visit(this.tree as unknown as Parameters<typeof visit>[0]);
  }

  /** Opens the engine for an activity tree, from a stored state or (null) before the first start. */
  static async open(settings: SequencingSettings, state: string | null, now: () => Date = () => new Date()): Promise<SequencingEngine> {
    return new SequencingEngine(await scormAgain(), settings, state, now);
  }

  /** A copy of this engine to try a request on: what it does there changes nothing here. */
  fork(): SequencingEngine {
    return new SequencingEngine(this.lib, this.settings, this.serialize(), this.now);
  }

  private get service() {
    const s = this.api.getSequencingService();
    if (!s) throw new Error('sequencing engine without an activity tree');
    return s;
  }
  private get process() {
    const p = this.service.getOverallSequencingProcess();
    if (!p) throw new Error('sequencing engine without its overall sequencing process');
    return p;
  }
  private get tree() {
    const root = this.service.getSequencingState().rootActivity;
    if (!root) throw new Error('sequencing engine without a root activity');
    return root;
  }

  private outcome(valid: boolean): NavOutcome {
    const result = this.service.getSequencingState().lastSequencingResult as { exception?: string | null } | null;
    return { valid, delivered: valid ? this.delivered : null, sessionEnded: this.ended, exception: valid ? null : (result?.exception ?? null) };
  }

  /** The activity the engine delivered last and whose attempt is still running (is active or suspended). */
  currentActivity(): { id: string; active: boolean; suspended: boolean } | null {
    const a = this.service.getSequencingState().currentActivity;
    return a ? { id: a.id, active: a.isActive, suspended: a.isSuspended } : null;
  }

  /** Activities whose attempt is suspended now (cmi.exit "suspend", or suspend all): their SCO resumes when delivered. */
  suspendedActivities(): Set<string> {
    const out = new Set<string>();
    const visit = (a: Activity) => {
      if (a.isSuspended) out.add(a.id);
      for (const c of a.children) visit(c);
    };
    visit(this.tree as unknown as Activity);
    return out;
  }

  /** The session was suspended (suspend all): a later resume all continues from the suspended activity. */
  suspended(): boolean {
    return Boolean((this.process as unknown as { activityTree: { suspendedActivity: unknown } }).activityTree.suspendedActivity);
  }

  /** A navigation request from the LMS (its buttons and table of contents) while no SCO is running. */
  navigate(request: NavRequest, target?: string): NavOutcome {
    this.delivered = null;
    const valid = quietly(() => this.service.processNavigationRequest(request, target));
    return this.outcome(valid);
  }

  /**
   * The end of a SCO's session: its CMI data (as committed at Terminate) is played into the engine's
   * runtime as the SCO wrote it, then Terminate runs End Attempt, rollup and the navigation request
   * (adl.nav.request, or `request` when the LMS asked for one), as SN OP.1 does after a SCO's Terminate.
   */
  endSession(cmi: Record<string, string>, request?: string): NavOutcome {
    this.delivered = null;
    return quietly(() => {
      const api = this.api;
      // a restored engine has not seeded the SCO's runtime (objectives, completion threshold, shared data)
      api.applyCurrentActivityLaunchData();
      if (api.Initialize('') !== 'true') throw new Error(`sequencing engine refused Initialize (${api.GetLastError()})`);
      // a commit carries every element; "unknown" and "" are what the SCO left untouched, and playing
      // them back would count as the SCO reporting them (no auto-satisfaction, SN 3.13.3)
      for (const key of replayOrder(Object.keys(cmi))) if (cmi[key] !== '' && cmi[key] !== 'unknown') api.SetValue(key, cmi[key]!);
      const nav = request ?? cmi['adl.nav.request'];
      if (nav && nav !== '_none_') api.SetValue('adl.nav.request', nav);
      api.Terminate('');
      return this.outcome(true);
    });
  }

  /**
   * The CMI data SN and RTE 4.2.17 give a SCO before it starts: cmi.objectives with the ids its
   * manifest declares (primary first) and the values read through mapInfo from global objectives,
   * cmi.completion_threshold, the shared data stores (adl.data); as flattened elements for
   * scorm-again's loadFromFlattenedJSON.
   */
  launchCmi(): Record<string, string> {
    const out: Record<string, string> = {};
    // reset() gives the current activity a fresh runtime and seeds it (applyCurrentActivityLaunchData)
    quietly(() => this.api.reset());
    const cmi = this.api.cmi as unknown as { completion_threshold: string; objectives: { childArray: Array<Record<string, unknown>> } };
    if (cmi.completion_threshold !== '') out['cmi.completion_threshold'] = cmi.completion_threshold;
    cmi.objectives.childArray.forEach((o, n) => {
      const p = `cmi.objectives.${n}.`;
      const score = (o.score ?? {}) as Record<string, string>;
      out[`${p}id`] = String(o.id);
      for (const k of ['success_status', 'completion_status', 'progress_measure', 'description'] as const) {
        const v = o[k];
        if (typeof v === 'string' && v !== '' && v !== 'unknown') out[`${p}${k}`] = v;
      }
      for (const k of ['scaled', 'raw', 'min', 'max'] as const) if (score[k] !== undefined && score[k] !== '') out[`${p}score.${k}`] = String(score[k]);
    });
    // 4th Ed. shared data (adlcp:data): the stores the SCO maps, with their content where it may read them
    const stores =
      (this.api as unknown as { adl: { data?: { childArray?: Array<{ id: string; store: string; _readSharedData?: boolean }> } } }).adl.data?.childArray ?? [];
    stores.forEach((d, n) => {
      out[`adl.data.${n}.id`] = d.id;
      if (d._readSharedData !== false && d.store) out[`adl.data.${n}.store`] = d.store;
    });
    return out;
  }

  /** Navigation look-ahead (SN: the LMS offers a control only when the request would be valid). */
  validity(): NavValidity {
    const p = this.process as unknown as {
      getAllPredictions(): { continueEnabled: boolean; previousEnabled: boolean; availableChoices: string[] };
      updateNavigationValidity(): void;
    };
    let last: NavigationValidityUpdate | null = null;
    this.service.setEventListeners({ onNavigationValidityUpdate: (v: NavigationValidityUpdate) => (last = v) });
    quietly(() => p.updateNavigationValidity());
    const update = last as NavigationValidityUpdate | null;
    const current = this.currentActivity();
    const choice: Record<string, boolean> = {};
    for (const a of this.walk()) choice[a.id] = update ? update.choice[a.id] === 'true' : false;
    return {
      continue: Boolean(current && update?.continue),
      previous: Boolean(current && update?.previous),
      choice,
      hideLmsUi: [...(update?.hideLmsUi ?? [])],
    };
  }

  /** The activities a learner may see: visible and selected for this attempt (SN 4.6 selection), in order. */
  walk(): TreeNode[] {
    const out: TreeNode[] = [];
    const current = this.service.getSequencingState().currentActivity;
    type A = ReturnType<SequencingEngine['tree']['getAvailableChildren']>[number];
    const visit = (a: A, depth: number) => {
      const children = a.getAvailableChildren();
      out.push({
        id: a.id,
        title: a.title,
        depth,
        leaf: a.children.length === 0,
        completion: a.completionStatus,
        success: a.successStatus,
        current: a === current,
        active: a.isActive,
        suspended: a.isSuspended,
      });
      for (const c of children) if (c.isVisible) visit(c, depth + 1);
    };
    for (const c of this.tree.getAvailableChildren()) if (c.isVisible) visit(c, 0);
    return out;
  }

  /** The root activity's rolled-up status: what the module's completion, success and score are. */
  rootStatus(): RootStatus {
    const root = this.tree as unknown as {
      completionStatus: string;
      attemptProgressStatus: boolean;
      objectiveSatisfiedStatusKnown: boolean;
      objectiveSatisfiedStatus: boolean;
      objectiveMeasureStatus: boolean;
      objectiveNormalizedMeasure: number;
      successStatus: string;
    };
    const completion = root.completionStatus === 'completed' ? 'completed' : root.completionStatus === 'incomplete' ? 'incomplete' : 'unknown';
    const success = root.successStatus === 'passed' ? 'passed' : root.successStatus === 'failed' ? 'failed' : 'unknown';
    return { completion, success, measure: root.objectiveMeasureStatus ? root.objectiveNormalizedMeasure : null };
  }

  /**
   * The global objectives' values (SN 3.10.2: satisfaction, measure and the 4th Ed. extensions) and
   * the shared data stores (adl.data), to keep for the learner beyond this attempt.
   */
  globals(): { objectives: Record<string, string>; data: Record<string, string> } {
    const map = (JSON.parse(this.serialize()) as { globalObjectiveMap?: Record<string, Record<string, unknown>> }).globalObjectiveMap ?? {};
    const objectives: Record<string, string> = {};
    for (const [id, entry] of Object.entries(map)) {
      // the values only: read/write flags belong to each activity's own mapInfo
      objectives[id] = JSON.stringify(Object.fromEntries(Object.entries(entry).filter(([k]) => GLOBAL_VALUE.test(k))));
    }
    const data = (this.api.captureSharedDataSnapshot() ?? {}) as Record<string, string>;
    return { objectives, data };
  }

  /** Before a new attempt's first delivery: what the learner's earlier attempts left in global objectives and shared data. */
  seedGlobals(objectives: Record<string, string>, data: Record<string, string>): void {
    const snapshot = Object.fromEntries(Object.entries(objectives).map(([id, v]) => [id, { id, ...(JSON.parse(v) as object) }]));
    if (Object.keys(snapshot).length) this.api.restoreGlobalObjectiveSnapshot(snapshot);
    if (Object.keys(data).length) this.api.restoreSharedDataSnapshot(data);
  }

  /** The state to store: the whole tracking tree, global objectives, selection and randomisation. */
  serialize(): string {
    return this.api.serializeSequencingState();
  }
}
