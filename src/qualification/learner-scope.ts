import { forbidden } from '../shared/errors.ts';
import type { Viewer } from './ports.ts';
import type { SessionRepository } from './session-repository.ts';

/** The learners a person sees and acts on as staff (their prerequisites, evidence, certificates). */
export interface LearnerScope {
  includes(learnerId: string): boolean;
}

const EVERYONE: LearnerScope = { includes: () => true };
const NOBODY: LearnerScope = { includes: () => false };

/**
 * Admins act on every learner, trainers on the members of the cohorts they lead (as rosters and
 * paths are cohort-scoped), everybody else on nobody. Read per call: a cohort change counts at once.
 */
export function createLearnerScopes(deps: { sessions: Pick<SessionRepository, 'listCohorts'> }) {
  async function of(viewer: Viewer): Promise<LearnerScope> {
    if (viewer.roles.includes('admin')) return EVERYONE;
    if (!viewer.roles.includes('trainer')) return NOBODY;
    const ids = new Set((await deps.sessions.listCohorts({ trainerId: viewer.id })).flatMap((c) => c.learnerIds));
    return { includes: (learnerId) => ids.has(learnerId) };
  }
  return {
    of,
    /** 403 unless the viewer may act on this learner as staff. */
    async assertIncludes(viewer: Viewer, learnerId: string): Promise<void> {
      if (!(await of(viewer)).includes(learnerId)) throw forbidden('qualification:errors.notYourLearner');
    },
  };
}
export type LearnerScopes = ReturnType<typeof createLearnerScopes>;
