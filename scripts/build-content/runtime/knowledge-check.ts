/// <reference lib="dom" />
// Makes the server-rendered knowledge-check forms interactive: "Antwort prüfen"
// evaluates the selection and writes the result plus per-option explanations
// into the form's live region. A wrong answer first only explains the learner's
// own picks, so a second try is still worth it; after two misses the correct
// options are explained as well.
import { selectedIndices } from './dom.ts';
import { isSelectionCorrect } from './evaluate.ts';
import { optionFeedbackList } from './feedback.ts';
import { choiceInteraction } from './interaction.ts';
import type { LessonPageData } from './page-data.ts';
import type { Session } from './session.ts';

export function setupKnowledgeChecks(data: LessonPageData, session: Session): void {
  for (const [formId, question] of Object.entries(data.checks)) {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) continue;
    const output = form.querySelector<HTMLElement>('.check-feedback');
    if (!output) continue;

    // Restore an earlier answer (without feedback) when the learner comes back.
    void session.ready.then(() => {
      for (const index of session.state.checks[formId] ?? []) {
        const input = form.querySelector<HTMLInputElement>(`input[name="${formId}"][value="${index}"]`);
        if (input) input.checked = true;
      }
    });

    let misses = 0;
    // latency of a try: from the page (or this check's previous try) to the answer
    let shownAt = new Date();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const selected = selectedIndices(form, formId);
      output.textContent = '';
      const heading = document.createElement('p');
      heading.className = 'feedback-summary';
      if (selected.length === 0) {
        heading.textContent = 'Bitte wählen Sie zuerst eine Antwort aus.';
        output.append(heading);
        return;
      }
      const correct = isSelectionCorrect(question, selected);
      if (!correct) misses += 1;
      const revealed = correct || misses >= 2;
      heading.textContent = correct
        ? 'Richtig.'
        : revealed
          ? 'Leider nicht richtig. Unten sehen Sie, welche Antworten zutreffen und warum.'
          : 'Noch nicht ganz. Lesen Sie die Erläuterungen zu Ihrer Auswahl und versuchen Sie es noch einmal.';
      heading.classList.add(correct ? 'is-ok' : 'is-miss');
      output.append(heading, optionFeedbackList(question, selected, revealed ? 'relevant' : 'chosen'));
      session.updateState((state) => {
        state.checks[formId] = selected;
      });
      const answeredAt = new Date();
      void session.answer([choiceInteraction(data.lessonId, question, selected, correct, shownAt, answeredAt)]);
      shownAt = answeredAt;
    });
  }
}
