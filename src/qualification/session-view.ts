import type { Clock } from '../shared/clock.ts';
import { forbidden } from '../shared/errors.ts';
import { sessionIcs } from './ics.ts';
import type { MissingItem, Viewer } from './ports.ts';
import type { PlanningService } from './planning.ts';
import { presentSession } from './presenters.ts';
import type { RegistrationService } from './registration.ts';
import type { RequirementsService } from './requirements.ts';

export interface SessionViewDeps {
  planning: PlanningService;
  registration: RegistrationService;
  requirements: RequirementsService;
  clock: Clock;
  publicUrl: () => string;
}

/**
 * Q2 sessions as one person sees them, for the pages and the API alike: the meeting link only for
 * registered participants and the session's trainers, the person's own state, the counts, and
 * whether a seat can still be given up. Each read once, side by side.
 */
export function createSessionView(deps: SessionViewDeps) {
  const { planning, registration } = deps;

  async function one(viewer: Viewer, sessionId: string) {
    const s = await planning.sessionOr404(sessionId);
    const [state, counts, requirements, trains] = await Promise.all([
      registration.stateOf(viewer.id, s.id),
      registration.counts(s.id),
      deps.requirements.get(),
      planning.canTrain(viewer, s),
    ]);
    return {
      session: presentSession(s, { showLink: state.status === 'registered' || trains }),
      state,
      counts,
      trains,
      topic: requirements.q2Topics.find((t) => t.key === s.topic),
      /** A seat is given up until the cancellation deadline (a place on the waiting list at any time). */
      cancellable: deps.clock.now() <= s.cancellationDeadline,
    };
  }

  /** Upcoming sessions (optionally of one topic) with the viewer's state and the counts; links only where `withLinks` and the viewer may see them. */
  async function list(viewer: Viewer, topic: string | undefined, opts: { withLinks: boolean }) {
    const sessions = await planning.upcoming(topic);
    const [rows, trained] = await Promise.all([
      registration.listWithStates(viewer.id, sessions),
      opts.withLinks ? planning.trainedSessionIds(viewer, sessions) : new Set<string>(),
    ]);
    return rows.map((row) => ({
      ...row,
      session: presentSession(row.session, { showLink: opts.withLinks && (row.state.status === 'registered' || trained.has(row.session.id)) }),
    }));
  }

  return {
    one,

    /**
     * The session's page: the view, and what would stop a registration, shown before the learner
     * tries (the server checks again on submit); after a refused registration, its reasons instead.
     */
    async page(viewer: Viewer, sessionId: string, refused?: { reasons?: MissingItem[] }) {
      const view = await one(viewer, sessionId);
      const reasons = refused?.reasons;
      const openGaps = view.state.status === 'none' && !reasons ? await registration.gate(viewer.id, sessionId) : [];
      return { ...view, openGaps, reasons };
    },

    list,

    /** The learner's sessions page: the list and the required Q2 topics (its filter), read side by side. */
    async listPage(viewer: Viewer, topic: string | undefined) {
      const [rows, requirements] = await Promise.all([list(viewer, topic, { withLinks: false }), deps.requirements.get()]);
      return { rows, requirements };
    },

    /** The session's calendar file, for its registered participants and trainers. */
    async calendar(viewer: Viewer, sessionId: string): Promise<{ fileName: string; ics: string }> {
      const session = await planning.sessionOr404(sessionId);
      const state = await registration.stateOf(viewer.id, session.id);
      if (state.status !== 'registered' && !(await planning.canTrain(viewer, session))) throw forbidden('qualification:errors.icsForbidden');
      return { fileName: `q2-termin-${session.id}.ics`, ics: sessionIcs(session, { baseUrl: deps.publicUrl(), now: deps.clock.now() }) };
    },
  };
}
export type SessionView = ReturnType<typeof createSessionView>;
