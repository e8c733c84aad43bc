// The final quiz page. Questions are drawn in the browser on every attempt, so
// the page ships the whole pool as data; the form is built by the runtime.
import { escapeHtml } from './html.ts';
import { renderPage } from './page-layout.ts';
import type { ModuleYaml, Quiz } from './schema.ts';

export function renderQuizPage(module: ModuleYaml, quiz: Quiz, title: string): string {
  const percent = Math.round(quiz.masteryScore * 100);
  const needed = Math.ceil(quiz.masteryScore * quiz.draw - 1e-9);
  const main = `<article class="quiz">
<header class="page-header">
<p class="eyebrow">Abschlusstest · ${quiz.draw} Fragen</p>
<h1>${escapeHtml(title)}</h1>
</header>
<div class="quiz-intro">
<p>Der Test stellt Ihnen ${quiz.draw} Fragen, die bei jedem Versuch zufällig aus ${quiz.pool.length} Fragen ausgewählt werden.
<span id="quiz-threshold">Bestanden haben Sie ab ${percent} % richtigen Antworten, also mit mindestens ${needed} von ${quiz.draw} Fragen.</span></p>
<ul>
<li>Bei runden Auswahlfeldern ist genau eine Antwort richtig.</li>
<li>Bei eckigen Kästchen können mehrere Antworten richtig sein. Eine solche Frage zählt nur, wenn Sie alle richtigen und keine falsche Antwort gewählt haben.</li>
<li>Nach der Auswertung sehen Sie zu jeder Antwort eine Erläuterung. Sie können den Test beliebig oft wiederholen.</li>
</ul>
</div>
<form id="quiz-form" class="quiz-form" novalidate>
<div id="quiz-questions"></div>
<p class="form-error" id="quiz-error" role="alert"></p>
<div class="quiz-actions"><button type="submit" class="button button-primary">Antworten auswerten</button></div>
</form>
<section class="quiz-result" id="quiz-result" tabindex="-1" aria-labelledby="quiz-result-title" hidden></section>
</article>`;

  return renderPage({
    title,
    moduleTitle: module.title,
    pageData: { kind: 'quiz', moduleId: module.id, masteryScore: quiz.masteryScore, draw: quiz.draw, pool: quiz.pool },
    main,
  });
}
