import type { Clock } from '../../shared/clock.ts';
import type { ContentVersion } from '../ports.ts';
import type { Attempt, PlayerRepository } from '../repository.ts';
import { toMap } from '../scorm-rules.ts';
import type { NavOutcome, NavRequest, SequencingEngine } from './engine.ts';
import type { Sequencer } from './sequencer.ts';

/** A row of the table of contents: a visible, selected activity with its status. */
export interface SequencedTocEntry {
  id: string;
  title: string;
  depth: number;
  /** Something that can be launched (a cluster is a heading). */
  leaf: boolean;
  current: boolean;
  /** A choice request for it is valid now (navigation look-ahead). */
  enabled: boolean;
  status: 'not-attempted' | 'incomplete' | 'completed' | 'passed' | 'failed';
}

/** The LMS's navigation controls (SN: offered only when valid, hidden where hideLMSUI asks). */
export interface SequencedNav {
  buttons: Array<{ request: 'previous' | 'continue' | 'suspendAll' | 'exitAll'; enabled: boolean }>;
  toc: SequencedTocEntry[];
  /** For the SCO's adl.nav.request_valid.* (RTE 4.3): continue, previous and the valid choice targets. */
  requestValid: { continue: boolean; previous: boolean; choice: string[] };
}

/** What the player shows after a navigation step. */
export type SequencedStep =
  /** `resumed`: the activity's attempt was suspended and goes on (RTE 4.2.9: cmi.entry "resume", its data kept). */
  | { kind: 'deliver'; itemId: string; resumed: boolean; launchCmi: Record<string, string>; nav: SequencedNav; refused?: string }
  /** Nothing is running: the learner picks the next step (after a SCO exited without a request). */
  | { kind: 'between'; nav: SequencedNav; refused?: string }
  | { kind: 'ended'; suspended: boolean };

/** The buttons in the order the bar shows them; hideLMSUI token that hides each (SCORM CAM 5.1 adlnav). */
const BUTTONS = [
  { request: 'previous', hiddenBy: 'previous' },
  { request: 'continue', hiddenBy: 'continue' },
  { request: 'suspendAll', hiddenBy: 'suspendAll' },
  { request: 'exitAll', hiddenBy: 'exitAll' },
] as const;

function statusOf(completion: string, success: string, attempted: boolean): SequencedTocEntry['status'] {
  if (success === 'passed' || success === 'failed') return success;
  if (completion === 'completed') return 'completed';
  return attempted || completion === 'incomplete' ? 'incomplete' : 'not-attempted';
}

/** Requests that must deliver an activity to have done anything (the others end or suspend the session). */
const DELIVERING = new Set<NavRequest>(['continue', 'previous', 'choice', 'jump', 'retry', 'retryAll', 'resumeAll', 'start']);

/**
 * A request tried on a copy of the engine: would it deliver an activity (or end the session)? The
 * engine's look-ahead is optimistic (it offers Continue to an activity a precondition disables and
 * choices that constrained choice refuses); trying is exact.
 */
function wouldWork(engine: SequencingEngine, request: NavRequest, target: string | undefined, running: Record<string, string> | null): boolean {
  const trial = engine.fork();
  const o = running
    ? trial.endSession(running, request === 'choice' || request === 'jump' ? `{target=${target ?? ''}}${request}` : request)
    : trial.navigate(request, target);
  return o.valid && (!DELIVERING.has(request) || o.delivered !== null || o.sessionEnded);
}

/**
 * The controls and contents: every offer is tried on a copy of the engine (with the running SCO's
 * data so far), so nothing is offered that leads nowhere. Only Continue and Previous follow the
 * engine's look-ahead while a SCO runs: the SCO's result decides them and is not in yet (the request
 * is tried again when it is made).
 */
function navOf(engine: SequencingEngine, running: Record<string, string> | null): SequencedNav {
  const valid = engine.validity();
  const current = engine.currentActivity();
  const offered = (request: NavRequest, target?: string) =>
    (request === 'continue' || request === 'previous') && running ? true : wouldWork(engine, request, target, running);
  const toc = engine.walk().map((n) => ({
    id: n.id,
    title: n.title,
    depth: n.depth,
    leaf: n.leaf,
    current: n.current,
    enabled: n.leaf && !(n.current && n.active) && valid.choice[n.id] === true && offered('choice', n.id),
    status: statusOf(n.completion, n.success, n.active || n.suspended),
  }));
  const enabled = {
    previous: valid.previous && offered('previous'),
    continue: valid.continue && offered('continue'),
    suspendAll: Boolean(current),
    exitAll: true,
  };
  return {
    buttons: BUTTONS.filter((b) => !valid.hideLmsUi.includes(b.hiddenBy)).map((b) => ({ request: b.request, enabled: enabled[b.request] })),
    toc,
    requestValid: { continue: enabled.continue, previous: enabled.previous, choice: toc.filter((e) => e.enabled).map((e) => e.id) },
  };
}

const leavesOf = (engine: SequencingEngine) => engine.walk().filter((n) => n.leaf);

/** An outcome with what the page needs, taken from the engine in the same step. */
interface Settled {
  outcome: NavOutcome;
  resumed: boolean;
  suspended: boolean;
  nav: SequencedNav;
  launchCmi: Record<string, string>;
}

/**
 * SCORM 2004 navigation for attempts: every request goes through the sequencing engine, which
 * decides what is delivered; a launch is made only for what it delivered. Requests while a SCO is
 * still running end that SCO's session first with the data it last committed (SN OP.1: the
 * termination request comes with the navigation request).
 */
export function createSequencedNavigation(deps: { repo: PlayerRepository; clock: Clock; sequencer: Sequencer }) {
  const { repo, sequencer } = deps;

  /** The CMI data the running activity last committed (its End Attempt reads it). */
  async function lastCmi(attemptId: string, itemId: string): Promise<Record<string, string>> {
    return toMap((await repo.findItem(attemptId, itemId))?.cmi ?? []);
  }

  /** A request the LMS makes; `running` is the committed data of the activity still active, if any. */
  function apply(engine: SequencingEngine, request: NavRequest, target: string | undefined, running: Record<string, string> | null): NavOutcome {
    // NB.2.1 validates a request before anything ends: one that would lead nowhere leaves the SCO running
    if (running && !wouldWork(engine, request, target, running)) return { valid: false, delivered: null, sessionEnded: false, exception: 'NB.2.1' };
    if (running) return engine.endSession(running, request === 'choice' || request === 'jump' ? `{target=${target ?? ''}}${request}` : request);
    const outcome = engine.navigate(request, target);
    return outcome.valid && DELIVERING.has(request) && !outcome.delivered && !outcome.sessionEnded ? { ...outcome, valid: false } : outcome;
  }

  /**
   * Where the engine leaves an attempt after an outcome. An LMS policy where SN leaves it to the LMS:
   * a course of one SCO ends when that SCO exits (there is nothing else to choose).
   */
  /** `running`: the committed data of the activity that was running before the step, if any. */
  function settle(engine: SequencingEngine, outcome: NavOutcome, suspendedBefore: Set<string>, running: Record<string, string> | null = null): Settled {
    const current = engine.currentActivity();
    if (!outcome.delivered && !outcome.sessionEnded && current && !current.active && leavesOf(engine).length === 1) {
      // its exit=suspend keeps it for "Fortsetzen" (suspend all), a normal exit ends the attempt
      outcome = { ...outcome, sessionEnded: engine.navigate(current.suspended ? 'suspendAll' : 'exitAll').sessionEnded };
    }
    const resumed = Boolean(outcome.delivered && suspendedBefore.has(outcome.delivered));
    const now = engine.currentActivity();
    // what runs after the step: a SCO just delivered has reported nothing yet; one still running, its last commit
    const data = now?.active ? (outcome.delivered && outcome.delivered !== current?.id ? {} : (running ?? {})) : null;
    return {
      outcome,
      resumed,
      suspended: outcome.sessionEnded && engine.suspended(),
      nav: navOf(engine, data),
      launchCmi: outcome.delivered ? engine.launchCmi() : {},
    };
  }

  async function stepOf(attempt: Attempt, { outcome, resumed, suspended, nav, launchCmi, refused }: Settled & { refused?: string }): Promise<SequencedStep> {
    if (outcome.sessionEnded) {
      await repo.updateAttempt(attempt.id, suspended ? { state: 'suspended' } : { state: 'ended', endedAt: deps.clock.now() });
      return { kind: 'ended', suspended };
    }
    if (outcome.delivered) return { kind: 'deliver', itemId: outcome.delivered, resumed, launchCmi, nav, ...(refused ? { refused } : {}) };
    return { kind: 'between', nav, ...(outcome.valid ? {} : { refused: outcome.exception ?? 'invalid' }) };
  }

  return {
    /**
     * Opening the attempt's page: the activity still running is launched again; a new attempt starts
     * (SN "start"; where the root disallows flow, the first activity a choice may reach, as the
     * learner would pick it); a suspended one resumes (resumeAll); a requested activity is a choice.
     */
    async open(attempt: Attempt, version: ContentVersion, requested?: string): Promise<SequencedStep> {
      const before = await sequencer.read(attempt.id, version, (engine) => engine.currentActivity());
      const running = before.result?.active ? await lastCmi(attempt.id, before.result.id) : null;
      const { result, attempt: after } = await sequencer.update(attempt.id, version, (engine, stored): Settled & { refused?: string } => {
        const current = engine.currentActivity();
        const suspendedBefore = engine.suspendedActivities();
        let outcome: NavOutcome;
        if (requested) {
          outcome = apply(engine, 'choice', requested, running && current?.active ? running : null);
          // a refused choice leaves the running activity where it is: it opens again, with the refusal
          if (!outcome.valid && current?.active)
            return { ...settle(engine, { ...outcome, delivered: current.id }, suspendedBefore, running), refused: outcome.exception ?? 'invalid' };
        } else if (current?.active) {
          outcome = { valid: true, delivered: current.id, sessionEnded: false, exception: null };
        } else if (!stored.sequencingState) {
          outcome = engine.navigate('start');
          // (the engine has no look-ahead before a first delivery: the leaves are tried in order)
          for (const leaf of outcome.valid ? [] : leavesOf(engine)) {
            outcome = engine.navigate('choice', leaf.id);
            if (outcome.valid) break;
          }
        } else if (stored.state === 'suspended') {
          outcome = engine.navigate('resumeAll');
        } else {
          outcome = { valid: true, delivered: null, sessionEnded: false, exception: null };
        }
        return settle(engine, outcome, suspendedBefore, running);
      });
      return stepOf(after, result);
    },

    /** A request from the LMS's controls (buttons, table of contents). */
    async request(attempt: Attempt, version: ContentVersion, request: NavRequest, target?: string): Promise<SequencedStep> {
      const before = await sequencer.read(attempt.id, version, (engine) => engine.currentActivity());
      const running = before.result?.active ? await lastCmi(attempt.id, before.result.id) : null;
      const { result, attempt: after } = await sequencer.update(attempt.id, version, (engine) => {
        const current = engine.currentActivity();
        const suspendedBefore = engine.suspendedActivities();
        return settle(engine, apply(engine, request, target, running && current?.active ? running : null), suspendedBefore, running);
      });
      return stepOf(after, result);
    },

    /**
     * A SCO's Terminate (its terminating commit): End Attempt with its data and the navigation request
     * it set (adl.nav.request), after which the engine may already have delivered the next activity.
     */
    async terminated(attempt: Attempt, version: ContentVersion, itemId: string, cmi: Record<string, string>): Promise<SequencedStep> {
      const { result, attempt: after } = await sequencer.update(attempt.id, version, (engine) => {
        const current = engine.currentActivity();
        const suspendedBefore = engine.suspendedActivities();
        // a late terminate of an activity the engine has left already changes nothing
        if (!current || current.id !== itemId || !current.active)
          return settle(engine, { valid: true, delivered: null, sessionEnded: false, exception: null }, suspendedBefore);
        return settle(engine, engine.endSession(cmi), suspendedBefore);
      });
      return stepOf(after, result);
    },

    /** The controls and contents as they are now (after the steps still running on the attempt). */
    async state(attempt: Attempt, version: ContentVersion): Promise<{ nav: SequencedNav; running: string | null }> {
      const before = await sequencer.read(attempt.id, version, (engine) => engine.currentActivity());
      const running = before.result?.active ? await lastCmi(attempt.id, before.result.id) : null;
      const { result } = await sequencer.read(attempt.id, version, (engine) => ({
        nav: navOf(engine, engine.currentActivity()?.active ? (running ?? {}) : null),
        current: engine.currentActivity(),
      }));
      return { nav: result.nav, running: result.current?.active ? result.current.id : null };
    },
  };
}
export type SequencedNavigation = ReturnType<typeof createSequencedNavigation>;
