import type { KeyedQueue } from '../../shared/keyed-queue.ts';
import type { Learner } from '../activity-iris.ts';
import type { ProgressProjection } from '../progress.ts';
import type { PlayerRepository } from '../repository.ts';
import type { NavRequest as SequencingRequest } from '../sequencing/engine.ts';
import type { SequencedNav, SequencedNavigation } from '../sequencing/navigation.ts';
import type { AttemptAccess } from './attempt-access.ts';
import { exitUrlOf, type NavResult } from './launch-views.ts';

/** SCORM 2004: the player's controls and the page's question after a Terminate, decided by the sequencing engine. */
export function createSequencingRequests(deps: {
  repo: PlayerRepository;
  access: AttemptAccess;
  projection: ProgressProjection;
  sequenced: SequencedNavigation;
  attemptQueue: KeyedQueue;
}) {
  const { repo, access } = deps;
  return {
    /** A request of the player's controls (Weiter, Zurück, Unterbrechen, Beenden, the contents). */
    async sequencingRequest(learner: Learner, attemptId: string, request: SequencingRequest, target: string | undefined): Promise<NavResult> {
      const attempt = await access.ownAttempt(learner, attemptId);
      if (attempt.state === 'ended' || attempt.format !== 'scorm2004') return { open: false, exitUrl: exitUrlOf(attempt) };
      const version = await access.requireVersion(attempt.versionId);
      const step = await deps.attemptQueue(attempt.id, () => deps.sequenced.request(attempt, version, request, target));
      // the attempt's status is its root activity's now, and the progress record follows
      await deps.projection.refresh((await repo.findAttempt(attempt.id)) ?? attempt);
      if (step.kind === 'ended') return { open: false, exitUrl: exitUrlOf(attempt) };
      return { open: true, ...(step.kind === 'between' && step.refused ? { refused: step.refused } : {}) };
    },

    /** After a SCO's Terminate: where the page goes (an activity the engine delivered, or away), or its new controls. */
    async sequencingState(learner: Learner, attemptId: string): Promise<{ next: string | null; nav: SequencedNav | null }> {
      const attempt = await access.ownAttempt(learner, attemptId);
      const page = `/player/attempts/${attempt.id}`;
      if (attempt.format !== 'scorm2004') return { next: null, nav: null };
      const version = await access.requireVersion(attempt.versionId);
      const state = await deps.attemptQueue(attempt.id, () => deps.sequenced.state(attempt, version));
      const fresh = (await repo.findAttempt(attempt.id)) ?? attempt;
      if (fresh.state !== 'open') return { next: exitUrlOf(fresh), nav: null };
      return { next: state.running ? page : null, nav: state.nav };
    },
  };
}
