import type { EligibilityService } from './eligibility.ts';
import { FIX_URLS } from './missing.ts';
import type { Eligibility } from './ports.ts';
import type { SeatRepository } from './seat-repository.ts';
import type { Q2Session, SessionRepository } from './session-repository.ts';

export type StageState = 'done' | 'open' | 'blocked';
export interface PathStage {
  key: 'prerequisites' | 'q1' | 'q2' | 'certificate';
  state: StageState;
  /** The next step as an i18n key of the qualification namespace and where to take it. */
  next?: { key: string; url: string };
}
export interface PathView {
  eligibility: Eligibility;
  stages: PathStage[];
  /** The learner's Q2 registrations (seat or waiting list), upcoming and past. */
  registrations: Array<{ session: Q2Session; status: 'registered' | 'waiting' }>;
}

/** The learner's path in four stages: prerequisites → Q1 → Q2 → certificate, each with its state and next step. */
export function createPathService(deps: { eligibility: EligibilityService; seats: SeatRepository; sessions: SessionRepository }) {
  return {
    async view(learnerId: string): Promise<PathView> {
      const e = await deps.eligibility.eligibility(learnerId);
      const [seats, waits] = await Promise.all([deps.seats.seatsOfLearner(learnerId), deps.seats.waitsOfLearner(learnerId)]);
      const sessions = await deps.sessions.findSessions([...seats, ...waits].map((x) => x.sessionId));
      const registrations = sessions.map((session) => ({
        session,
        status: seats.some((s) => s.sessionId === session.id) ? ('registered' as const) : ('waiting' as const),
      }));

      const preOpen = e.missing.filter((m) => m.code.startsWith('authorisation') || m.code.startsWith('workshop'));
      const q1Done = !e.missing.some((m) => m.code === 'q1-incomplete');
      const q2Done = e.q2.every((t) => t.attended);
      const pending =
        preOpen.length > 0 &&
        preOpen.every((m) => m.code.endsWith('not-verified')) &&
        e.prerequisites.authorisation.state !== 'rejected' &&
        e.prerequisites.workshop.state !== 'rejected';
      const stages: PathStage[] = [
        {
          key: 'prerequisites',
          state: preOpen.length ? 'open' : 'done',
          next: preOpen.length ? { key: pending ? 'path.next.waitForVerification' : 'path.next.enterPrerequisites', url: preOpen[0]!.fixUrl } : undefined,
        },
        { key: 'q1', state: q1Done ? 'done' : 'open', next: q1Done ? undefined : { key: 'path.next.q1', url: FIX_URLS.q1 } },
        {
          key: 'q2',
          state: q2Done ? 'done' : preOpen.length ? 'blocked' : 'open',
          next: q2Done
            ? undefined
            : preOpen.length
              ? { key: 'path.next.prerequisitesFirst', url: preOpen[0]!.fixUrl }
              : { key: 'path.next.q2', url: `${FIX_URLS.sessions}?topic=${encodeURIComponent(e.q2.find((t) => !t.attended)?.topic ?? '')}` },
        },
        {
          key: 'certificate',
          state: e.eligible ? 'open' : 'blocked',
          next: e.eligible ? { key: 'path.next.certificate', url: '/certificates' } : undefined,
        },
      ];
      return { eligibility: e, stages, registrations };
    },
  };
}
export type PathService = ReturnType<typeof createPathService>;
