// Schemas for the author-edited sources under content/<module>/.
// Authors edit YAML and Markdown by hand, so every file is validated here and a
// mistake fails the build with a message that names the file, instead of
// producing a package that breaks in the LMS.
import { z } from 'zod';

// Lesson and question ids end up in IRIs, HTML ids and SCORM identifiers,
// so they are restricted to lower-case ASCII slugs.
const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'nur a–z, 0–9 und Bindestriche');
const text = z.string().trim().min(1);

export const optionSchema = z.object({
  text,
  correct: z.boolean(),
  feedback: text,
});

// Shared by in-lesson knowledge checks and quiz questions: a single-choice
// question needs exactly one correct option, a multiple-choice one at least one.
const questionFields = {
  question: text,
  type: z.enum(['single', 'multiple']),
  options: z.array(optionSchema).min(2).max(6),
};

function checkCorrectCount(q: { type: 'single' | 'multiple'; options: Array<{ correct: boolean }> }, ctx: z.RefinementCtx): void {
  const correct = q.options.filter((o) => o.correct).length;
  if (q.type === 'single' && correct !== 1) {
    ctx.addIssue({ code: 'custom', message: `Single-Choice braucht genau eine richtige Option (gefunden: ${correct})` });
  }
  if (q.type === 'multiple' && correct < 1) {
    ctx.addIssue({ code: 'custom', message: 'Multiple-Choice braucht mindestens eine richtige Option' });
  }
}

export const checkSchema = z.object(questionFields).superRefine(checkCorrectCount);

export const quizQuestionSchema = z.object({ id: slug, ...questionFields }).superRefine(checkCorrectCount);

export const quizSchema = z
  .object({
    masteryScore: z.number().gt(0).lte(1),
    draw: z.number().int().min(1),
    pool: z.array(quizQuestionSchema).min(1),
  })
  .superRefine((quiz, ctx) => {
    if (quiz.pool.length < quiz.draw) {
      ctx.addIssue({ code: 'custom', message: `pool (${quiz.pool.length}) ist kleiner als draw (${quiz.draw})` });
    }
    const seen = new Set<string>();
    for (const q of quiz.pool) {
      if (seen.has(q.id)) ctx.addIssue({ code: 'custom', message: `Fragen-id doppelt: ${q.id}` });
      seen.add(q.id);
    }
  });

export const moduleSchema = z.object({
  id: z.url({ protocol: /^https$/ }),
  slug,
  title: text,
  titleEn: text,
  description: text,
  lessons: z.array(z.string().regex(/^\d{2}-[a-z0-9-]+\.md$/, 'Dateiname wie 01-thema.md')).min(1),
  quiz: z.string().regex(/^[a-z0-9-]+\.yaml$/),
});

export const lessonFrontMatterSchema = z.object({
  id: slug,
  title: text,
  minutes: z.number().int().min(1).max(30),
});

export type Option = z.infer<typeof optionSchema>;
export type Check = z.infer<typeof checkSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
export type Quiz = z.infer<typeof quizSchema>;
export type ModuleYaml = z.infer<typeof moduleSchema>;
export type LessonFrontMatter = z.infer<typeof lessonFrontMatterSchema>;

/** Parses `value` or throws an error naming the source file and every problem. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(`${file}: ungültiger Inhalt\n${z.prettifyError(result.error)}`);
}
