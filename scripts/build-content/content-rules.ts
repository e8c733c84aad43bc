// Editorial guidelines from the curriculum brief. Breaking them does not make a
// package invalid, so they are reported as warnings for the authors instead of
// failing the build.
import type { ModuleSource, RenderedLesson } from './types.ts';

export const GUIDELINES = {
  lessons: { min: 5, max: 8 },
  minutes: { min: 3, max: 6 },
  words: { min: 450, max: 900 },
  checksPerLesson: { min: 1, max: 2 },
  minPool: 14,
  draw: 10,
  masteryScore: 0.8,
} as const;

export function contentWarnings(source: ModuleSource, lessons: RenderedLesson[]): string[] {
  const g = GUIDELINES;
  const where = source.meta.slug;
  const warnings: string[] = [];
  if (lessons.length < g.lessons.min || lessons.length > g.lessons.max) {
    warnings.push(`${where}: ${lessons.length} Lektionen (empfohlen ${g.lessons.min}–${g.lessons.max})`);
  }
  for (const lesson of lessons) {
    const at = `${where}/${lesson.id}`;
    if (lesson.minutes < g.minutes.min || lesson.minutes > g.minutes.max) {
      warnings.push(`${at}: ${lesson.minutes} Minuten (empfohlen ${g.minutes.min}–${g.minutes.max})`);
    }
    if (lesson.words < g.words.min || lesson.words > g.words.max) {
      warnings.push(`${at}: etwa ${lesson.words} Wörter (empfohlen ${g.words.min}–${g.words.max})`);
    }
    if (lesson.checks.length < g.checksPerLesson.min || lesson.checks.length > g.checksPerLesson.max) {
      warnings.push(`${at}: ${lesson.checks.length} Wissenschecks (empfohlen ${g.checksPerLesson.min}–${g.checksPerLesson.max})`);
    }
  }
  const quiz = source.quiz;
  if (quiz.pool.length < g.minPool) warnings.push(`${where}: ${quiz.pool.length} Testfragen im Pool (empfohlen mindestens ${g.minPool})`);
  if (quiz.draw !== g.draw) warnings.push(`${where}: draw ist ${quiz.draw} (vorgesehen ${g.draw})`);
  if (quiz.masteryScore !== g.masteryScore) warnings.push(`${where}: masteryScore ist ${quiz.masteryScore} (vorgesehen ${g.masteryScore})`);
  return warnings;
}
