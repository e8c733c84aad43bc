// Renders a loaded module into the format-independent part of a package:
// lesson pages, the quiz page and the diagrams, plus the plan the manifests use.
import path from 'node:path';
import { renderLessonPage } from './lesson-page.ts';
import { renderLesson } from './markdown.ts';
import { QUIZ_ID, createPlan, type PackagePlan } from './package-plan.ts';
import { renderQuizPage } from './quiz-page.ts';
import type { ModuleSource, RenderedLesson } from './types.ts';

export interface RenderedModule {
  plan: PackagePlan;
  lessons: RenderedLesson[];
  /** Page and asset files by package path. */
  files: Map<string, Buffer>;
}

export function renderModule(source: ModuleSource): RenderedModule {
  const assetNames = new Set(source.assets.map((a) => a.name));
  const lessons = source.lessons.map((lesson) => ({ file: lesson.file, rendered: renderLesson(lesson, assetNames) }));
  const plan = createPlan(
    source.meta,
    lessons.map(({ file, rendered }) => ({ file: path.basename(file), rendered })),
    source.quiz.masteryScore,
    source.assets.map((a) => a.name),
  );

  const files = new Map<string, Buffer>();
  const lessonItems = plan.items.filter((item) => item.kind === 'lesson');
  lessons.forEach(({ rendered }, index) => {
    const item = lessonItems[index];
    if (!item) return;
    files.set(item.href, Buffer.from(renderLessonPage(source.meta, rendered, index + 1, lessons.length), 'utf8'));
  });
  const quizItem = plan.items.find((item) => item.id === QUIZ_ID);
  if (quizItem) files.set(quizItem.href, Buffer.from(renderQuizPage(source.meta, source.quiz, quizItem.title), 'utf8'));
  for (const asset of source.assets) files.set(`assets/${asset.name}`, asset.content);

  return { plan, lessons: lessons.map((l) => l.rendered), files };
}
