import type { EventDoc } from './model.ts';
import type { QualificationPort, Viewer } from './ports.ts';
import type { InsightRepository } from './repository.ts';

export const TIMELINE_PAGE = 20;
const TIMELINE_EXPORT_MAX = 10_000;

export interface TimelinePage {
  learner: { id: string; name: string };
  events: EventDoc[];
  page: number;
  more: boolean;
  moduleSlug?: string;
}

/** A learner's timeline from the events projection; who may read it is the qualification's path rule. */
export function createTimeline(deps: { qualification: QualificationPort; repo: InsightRepository }) {
  return {
    async of(viewer: Viewer, learnerId: string, opts: { moduleSlug?: string; page?: number; all?: boolean } = {}): Promise<TimelinePage> {
      await deps.qualification.planning.assertMayViewPath(viewer, learnerId);
      const page = Math.max(1, opts.page ?? 1);
      const [{ events, more }, [person]] = await Promise.all([
        // an export takes the whole timeline (a year is a few hundred events), a page twenty of them
        deps.repo.timeline(
          learnerId,
          opts.all
            ? { moduleSlug: opts.moduleSlug, skip: 0, limit: TIMELINE_EXPORT_MAX }
            : { moduleSlug: opts.moduleSlug, skip: (page - 1) * TIMELINE_PAGE, limit: TIMELINE_PAGE },
        ),
        deps.qualification.directory.findUsers([learnerId]),
      ]);
      return {
        learner: { id: learnerId, name: person?.name ?? learnerId },
        events,
        page,
        more,
        ...(opts.moduleSlug !== undefined ? { moduleSlug: opts.moduleSlug } : {}),
      };
    },
  };
}
export type TimelineService = ReturnType<typeof createTimeline>;
