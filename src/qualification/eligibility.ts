import { moduleDone, type Eligibility, type ModuleTitlesPort, type ProgressPort, type Q1Module, type Q1Progress, type Q2TopicProgress } from './ports.ts';
import type { MissingReasons } from './missing.ts';
import type { PrerequisiteRepository, Prerequisites } from './prerequisite-repository.ts';
import type { RequirementsService } from './requirements.ts';
import type { Requirements, SessionRepository } from './session-repository.ts';
import type { SeatRepository } from './seat-repository.ts';

export interface EligibilityDeps {
  prerequisites: PrerequisiteRepository;
  seats: SeatRepository;
  sessions: SessionRepository;
  requirements: RequirementsService;
  /** The player's progress records. */
  progress: ProgressPort;
  /** Content's module titles. */
  titles: ModuleTitlesPort;
  /** The sentences of what is missing. */
  reasons: MissingReasons;
}

const summary = (p: Prerequisites) => ({
  authorisation: {
    state: p.authorisation.state,
    number: p.authorisation.number,
    date: p.authorisation.date,
    partner: p.authorisation.partner,
    decidedBy: p.authorisation.decidedBy,
    decidedAt: p.authorisation.decidedAt,
    reason: p.authorisation.reason,
  },
  workshop: {
    state: p.workshop.state,
    date: p.workshop.date,
    place: p.workshop.place,
    decidedBy: p.workshop.decidedBy,
    decidedAt: p.workshop.decidedAt,
    reason: p.workshop.reason,
  },
});

/** Q1 modules still open, by title, in the order of the requirements. */
export const openModules = (q1: Q1Module[]): string[] => q1.filter((m) => !moduleDone(m.status)).map((m) => m.title);

/**
 * The Q1 modules in the order the requirements list them, each with its title (the slug where content
 * does not know it); 'not-attempted' for modules the progress port does not mention. Only the fields
 * of the eligibility contract are passed on, whatever else the player's records carry.
 */
function q1Modules(reported: Q1Progress[], titles: Map<string, string>, req: Requirements): Q1Module[] {
  return req.q1Modules.map((slug) => {
    const m = reported.find((x) => x.moduleSlug === slug);
    return {
      moduleSlug: slug,
      title: titles.get(slug) ?? slug,
      status: m?.status ?? 'not-attempted',
      ...(m?.score !== undefined ? { score: m.score } : {}),
      ...(m?.timeSpentSeconds !== undefined ? { timeSpentSeconds: m.timeSpentSeconds } : {}),
    };
  });
}

async function q1Progress(port: ProgressPort, titles: Map<string, string>, learnerId: string, req: Requirements): Promise<Q1Module[]> {
  return q1Modules(await port.progressFor(learnerId, req.q1Modules), titles, req);
}

/** Many learners' progress: one batch call when the port offers it, else one call per learner. */
async function reportedOfLearners(port: ProgressPort, learnerIds: string[], slugs: string[]): Promise<Map<string, Q1Progress[]>> {
  if (port.progressForLearners) return port.progressForLearners(learnerIds, slugs);
  return new Map(await Promise.all(learnerIds.map(async (id) => [id, await port.progressFor(id, slugs)] as const)));
}

/**
 * Eligibility for the certificate: both prerequisites verified, every Q1 module completed or passed,
 * every required Q2 topic attended (a trainer's "attended" mark on a session of that topic).
 */
export function createEligibility(deps: EligibilityDeps) {
  return {
    /** The titles of the required Q1 modules, once for a whole roster. */
    moduleTitles: async (req?: Requirements) => deps.titles.moduleTitles((req ?? (await deps.requirements.get())).q1Modules),

    /** One learner's Q1 modules; a caller that asks for many learners passes the titles it read once. */
    async q1Progress(learnerId: string, req?: Requirements, titles?: Map<string, string>): Promise<Q1Module[]> {
      const r = req ?? (await deps.requirements.get());
      return q1Progress(deps.progress, titles ?? (await deps.titles.moduleTitles(r.q1Modules)), learnerId, r);
    },

    /** The Q1 modules of many learners (a roster), by learner id, with one read of the player's records. */
    async q1ProgressOfLearners(learnerIds: string[], req: Requirements, titles: Map<string, string>): Promise<Map<string, Q1Module[]>> {
      const reported = await reportedOfLearners(deps.progress, learnerIds, req.q1Modules);
      return new Map(learnerIds.map((id) => [id, q1Modules(reported.get(id) ?? [], titles, req)]));
    },

    async eligibility(learnerId: string): Promise<Eligibility> {
      const req = await deps.requirements.get();
      const [p, q1, marks] = await Promise.all([
        deps.prerequisites.get(learnerId),
        deps.titles.moduleTitles(req.q1Modules).then((titles) => q1Progress(deps.progress, titles, learnerId, req)),
        deps.seats.attendanceOfLearners([learnerId]),
      ]);
      const attended = marks.filter((m) => m.status === 'attended');
      const sessions = await deps.sessions.findSessions(attended.map((m) => m.sessionId));
      const q2: Q2TopicProgress[] = req.q2Topics.map((t) => {
        const mark = attended.find((m) => m.topic === t.key);
        const s = sessions.find((x) => x.id === mark?.sessionId);
        return {
          topic: t.key,
          title: t.title,
          requiresQ1: t.requiresQ1,
          attended: Boolean(mark),
          sessionId: mark?.sessionId,
          sessionTitle: s?.title,
          date: s?.startsAt,
        };
      });
      const open = openModules(q1);
      const missing = [
        ...deps.reasons.prerequisiteGaps(p),
        ...(open.length ? [deps.reasons.q1Incomplete(open, false)] : []),
        ...req.q2Topics.filter((t) => !q2.find((x) => x.topic === t.key)?.attended).map((t) => deps.reasons.q2TopicMissing(t)),
      ];
      return { learnerId, eligible: missing.length === 0, missing, prerequisites: summary(p), q1, q2 };
    },
  };
}
export type EligibilityService = ReturnType<typeof createEligibility>;
