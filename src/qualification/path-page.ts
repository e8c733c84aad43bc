import type { PlanningService } from './planning.ts';
import type { PathService } from './path.ts';
import type { DirectoryPort, Viewer } from './ports.ts';
import type { RequirementsService } from './requirements.ts';

/**
 * The path page: the learner's own (with their mentees) or, read-only, somebody else's for their
 * mentor, trainers and admins (never edited by them).
 */
export function createPathPage(deps: { path: PathService; planning: PlanningService; requirements: RequirementsService; directory: DirectoryPort }) {
  return {
    async of(viewer: Viewer, learnerId: string) {
      const readOnly = learnerId !== viewer.id;
      if (readOnly) await deps.planning.assertMayViewPath(viewer, learnerId);
      const [view, requirements, [learner], mentees] = await Promise.all([
        deps.path.view(learnerId),
        deps.requirements.get(),
        readOnly ? deps.directory.findUsers([learnerId]) : Promise.resolve([undefined]),
        readOnly ? Promise.resolve([]) : deps.planning.menteesOf(viewer.id),
      ]);
      return { view, requirements, readOnly, learner, mentees };
    },
  };
}
