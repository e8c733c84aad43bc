import { groupBy } from '../shared/batch.ts';
import type { QualificationPort, Viewer } from './ports.ts';
import type { InsightRepository } from './repository.ts';

export type QuestionSort = 'share' | 'answers' | 'attempts' | 'module';

export interface QuestionRow {
  key: string;
  activityId: string;
  moduleSlug: string;
  moduleTitle: string;
  /** The question as the package worded it; its id's last part where the package gave no text. */
  text: string;
  answers: number;
  learners: number;
  /** Answers per learner who answered (retries of the test raise it). */
  attemptsPerLearner: number;
  /** Share of judged answers that were correct (0–1), null where the package judged none. */
  correctShare: number | null;
  /** The most frequent wrong answers, with the choice texts where the package named them. */
  wrong: Array<{ response: string; count: number }>;
}

/** A response's choice ids as people read them: "a[,]c" (SCORM 2004) or "a,c" (1.2) → "Text A + Text C". */
export function responseLabel(response: string, choices: Array<{ id: string; text: string }>): string {
  if (!response) return '–';
  const ids = response
    .split(/\[,\]|,/)
    .map((s) => s.trim())
    .filter(Boolean);
  const byId = new Map(choices.map((c) => [c.id, c.text]));
  return ids.map((id) => byId.get(id) || id).join(' + ');
}

const lastPart = (activityId: string) => decodeURIComponent(activityId.split('/').at(-1) ?? activityId);

/**
 * Per question the cohort answered: share correct, the frequent wrong answers, attempts. From the
 * answers projection (one record per "answered" statement) of the cohort's members.
 */
export function createQuestionStats(deps: { qualification: QualificationPort; repo: InsightRepository; moduleTitles: () => Promise<Map<string, string>> }) {
  return {
    async forCohort(
      viewer: Viewer,
      cohortId: string,
      opts: { sort?: QuestionSort; moduleSlug?: string } = {},
    ): Promise<{ cohort: { id: string; name: string }; modules: Array<{ slug: string; title: string }>; rows: QuestionRow[] }> {
      const cohort = await deps.qualification.planning.visibleCohort(viewer, cohortId);
      const [answers, titles] = await Promise.all([deps.repo.answersOf(cohort.learnerIds), deps.moduleTitles()]);
      const byQuestion = groupBy(answers, (a) => a.questionKey);
      const questions = await deps.repo.questions([...byQuestion.keys()]);
      let rows = questions.map((qd): QuestionRow => {
        const list = byQuestion.get(qd._id) ?? [];
        const judged = list.filter((a) => a.success !== null);
        const choices = JSON.parse(qd.choicesJson) as Array<{ id: string; text: string }>;
        const wrongCounts = new Map<string, number>();
        for (const a of judged) if (a.success === false) wrongCounts.set(a.response, (wrongCounts.get(a.response) ?? 0) + 1);
        const learners = new Set(list.map((a) => a.learnerId)).size;
        return {
          key: qd._id,
          activityId: qd.activityId,
          moduleSlug: qd.moduleSlug,
          moduleTitle: titles.get(qd.moduleSlug) ?? qd.moduleSlug,
          text: qd.text || lastPart(qd.activityId),
          answers: list.length,
          learners,
          attemptsPerLearner: learners ? Math.round((list.length / learners) * 100) / 100 : 0,
          correctShare: judged.length ? judged.filter((a) => a.success).length / judged.length : null,
          wrong: [...wrongCounts.entries()]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .slice(0, 3)
            .map(([response, count]) => ({ response: responseLabel(response, choices), count })),
        };
      });
      if (opts.moduleSlug) rows = rows.filter((r) => r.moduleSlug === opts.moduleSlug);
      const sort = opts.sort ?? 'share';
      const cmp: Record<QuestionSort, (a: QuestionRow, b: QuestionRow) => number> = {
        // the hardest first: what to go over in the Q2 session
        share: (a, b) => (a.correctShare ?? 2) - (b.correctShare ?? 2),
        answers: (a, b) => b.answers - a.answers,
        attempts: (a, b) => b.attemptsPerLearner - a.attemptsPerLearner,
        module: (a, b) => a.moduleTitle.localeCompare(b.moduleTitle, 'de'),
      };
      rows.sort((a, b) => cmp[sort](a, b) || a.text.localeCompare(b.text, 'de'));
      return { cohort: { id: cohort.id, name: cohort.name }, modules: [...titles].map(([slug, title]) => ({ slug, title })), rows };
    },
  };
}
export type QuestionStatsService = ReturnType<typeof createQuestionStats>;
