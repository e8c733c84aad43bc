// What goes into a package, independent of the format: the ordered learning
// objects (lessons, then the final quiz) and the shared files they depend on.
// The three manifest writers all read this one plan, so cmi5, SCORM 2004 and
// SCORM 1.2 packages of a module always contain the same pages.
import type { ModuleYaml } from './schema.ts';
import type { RenderedLesson } from './types.ts';

export const SHARED_CSS = 'shared/styles.css';
export const SHARED_JS = 'shared/runtime.js';
export const QUIZ_ID = 'quiz';

export interface PlanItem {
  /** Lesson id, or "quiz" for the final test. */
  id: string;
  kind: 'lesson' | 'quiz';
  title: string;
  description: string;
  /** Page path inside the package. */
  href: string;
}

export interface PackagePlan {
  module: ModuleYaml;
  items: PlanItem[];
  masteryScore: number;
  /** Files every page needs (CSS, runtime, diagrams), sorted. */
  sharedFiles: string[];
}

export function lessonHref(lessonFile: string): string {
  return `pages/${lessonFile.replace(/\.md$/, '.html')}`;
}

export function createPlan(
  module: ModuleYaml,
  lessons: Array<{ file: string; rendered: RenderedLesson }>,
  masteryScore: number,
  assetNames: string[],
): PackagePlan {
  const items: PlanItem[] = lessons.map(({ file, rendered }) => ({
    id: rendered.id,
    kind: 'lesson',
    title: rendered.title,
    description: rendered.summary,
    href: lessonHref(file),
  }));
  items.push({
    id: QUIZ_ID,
    kind: 'quiz',
    title: `Abschlusstest: ${module.title}`,
    description: `Zufällig zusammengestellter Test zum Modul „${module.title}“. Bestanden ab ${Math.round(masteryScore * 100)} % richtiger Antworten.`,
    href: 'pages/quiz.html',
  });
  const sharedFiles = [SHARED_CSS, SHARED_JS, ...assetNames.map((n) => `assets/${n}`)].sort();
  return { module, items, masteryScore, sharedFiles };
}

/** cmi5 AU ids are stable IRIs below the course id. */
export function auId(moduleId: string, itemId: string): string {
  return `${moduleId.replace(/\/+$/, '')}/au/${itemId}`;
}
