import type { EligibilityService } from './eligibility.ts';
import type { PlanningService } from './planning.ts';
import type { PathService, PathView } from './path.ts';
import type { DirectoryPort, Eligibility, MentorLinksPort, Viewer } from './ports.ts';
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
  mentorLinks?: MentorLinksPort;
}) {
  const mayView = async (viewer: Viewer, learnerId: string) => {
    if (learnerId !== viewer.id) await deps.planning.assertMayViewPath(viewer, learnerId);
  };
  return {
    /** The path page: the four stages, the requirements, whose path (read-only) or one's mentees. */
    async page(viewer: Viewer, learnerId: string) {
      await mayView(viewer, learnerId);
      const readOnly = learnerId !== viewer.id;
      const [view, requirements, [learner], mentees, mentorship] = await Promise.all([
        deps.path.view(learnerId),
        deps.requirements.get(),
        readOnly ? deps.directory.findUsers([learnerId]) : Promise.resolve([undefined]),
        readOnly ? Promise.resolve([]) : deps.planning.menteesOf(viewer.id),
        deps.planning.mentorOf(learnerId),
      ]);
      const spaceUrl = deps.mentorLinks?.mentorSpace(learnerId);
      // the learner sees who their mentor is; the mentor (reading the mentee's path) the way to their space
      const [mentorPerson] = mentorship && !readOnly ? await deps.directory.findUsers([mentorship.mentorId]) : [];
      const mentor = mentorPerson ? { name: mentorPerson.name, spaceUrl } : undefined;
      const menteeSpaceUrl = readOnly && mentorship?.mentorId === viewer.id ? spaceUrl : undefined;
      return { view, requirements, readOnly, learner, mentees, mentor, menteeSpaceUrl };
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
