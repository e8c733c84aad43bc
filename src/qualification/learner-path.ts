import type { EligibilityService } from './eligibility.ts';
import type { PlanningService } from './planning.ts';
import type { PathService, PathView } from './path.ts';
import type { DirectoryPort, Eligibility, Viewer } from './ports.ts';
import type { RequirementsService } from './requirements.ts';

/**
 * A learner's path and eligibility as somebody sees them: the learner their own (with their
 * mentees), their mentor, trainers and admins read-only (planning.assertMayViewPath says who).
 */
export function createLearnerPath(deps: {
  path: PathService;
  eligibility: EligibilityService;
  planning: PlanningService;
  requirements: RequirementsService;
  directory: DirectoryPort;
}) {
  const mayView = async (viewer: Viewer, learnerId: string) => {
    if (learnerId !== viewer.id) await deps.planning.assertMayViewPath(viewer, learnerId);
  };
  return {
    /** The path page: the four stages, the requirements, whose path (read-only) or one's mentees. */
    async page(viewer: Viewer, learnerId: string) {
      await mayView(viewer, learnerId);
      const readOnly = learnerId !== viewer.id;
      const [view, requirements, [learner], mentees] = await Promise.all([
        deps.path.view(learnerId),
        deps.requirements.get(),
        readOnly ? deps.directory.findUsers([learnerId]) : Promise.resolve([undefined]),
        readOnly ? Promise.resolve([]) : deps.planning.menteesOf(viewer.id),
      ]);
      return { view, requirements, readOnly, learner, mentees };
    },
    async view(viewer: Viewer, learnerId: string): Promise<PathView> {
      await mayView(viewer, learnerId);
      return deps.path.view(learnerId);
    },
    async eligibility(viewer: Viewer, learnerId: string): Promise<Eligibility> {
      await mayView(viewer, learnerId);
      return deps.eligibility.eligibility(learnerId);
    },
  };
}
