// A lesson page: title, reading time, the rendered Markdown with its knowledge
// checks, and the "Lektion abschließen" button that sends completion.
import { escapeHtml } from './html.ts';
import { renderPage } from './page-layout.ts';
import type { RuntimeQuestion } from './runtime/page-data.ts';
import type { ModuleYaml } from './schema.ts';
import type { RenderedLesson } from './types.ts';

export function renderLessonPage(module: ModuleYaml, lesson: RenderedLesson, position: number, total: number): string {
  const checks: Record<string, RuntimeQuestion> = {};
  for (const { id, check } of lesson.checks) checks[id] = { id, ...check };

  const main = `<article class="lesson">
<header class="page-header">
<p class="eyebrow">Lektion ${position} von ${total} · Lesezeit etwa ${lesson.minutes} Minuten</p>
<h1>${escapeHtml(lesson.title)}</h1>
</header>
<div class="resume" id="resume" hidden></div>
<div class="lesson-body">
${lesson.html}
</div>
<section class="lesson-end" aria-labelledby="lesson-end-title">
<h2 id="lesson-end-title">Lektion abschließen</h2>
<p>Sie haben das Ende der Lektion erreicht. Mit dem Button melden Sie der Lernplattform, dass Sie die Lektion bearbeitet haben.</p>
<button type="button" class="button button-primary" id="complete-lesson">Lektion abschließen</button>
<p class="complete-status" id="complete-status" role="status" aria-live="polite"></p>
</section>
</article>`;

  return renderPage({
    title: lesson.title,
    moduleTitle: module.title,
    pageData: { kind: 'lesson', moduleId: module.id, lessonId: lesson.id, checks },
    main,
  });
}
