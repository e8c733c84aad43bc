/// <reference lib="dom" />
// Per-option feedback lists for knowledge checks and the quiz. Correctness is
// written out in words ("Richtige Antwort", "Ihre Wahl"), not only shown by colour.
import { el } from './dom.ts';
import type { RuntimeQuestion } from './page-data.ts';

/** chosen: only the learner's picks; relevant: picks plus missed correct options; all: every option. */
export type FeedbackScope = 'chosen' | 'relevant' | 'all';

/** Builds a list with one explained entry per option in scope. */
export function optionFeedbackList(question: RuntimeQuestion, selected: readonly number[], scope: FeedbackScope): HTMLUListElement {
  const chosen = new Set(selected);
  const list = el('ul', { class: 'feedback-list' });
  question.options.forEach((option, index) => {
    const isChosen = chosen.has(index);
    if (scope === 'chosen' && !isChosen) return;
    if (scope === 'relevant' && !isChosen && !option.correct) return;
    const verdict = option.correct ? 'Richtige Antwort' : 'Falsche Antwort';
    const choice = isChosen ? 'Ihre Wahl' : 'nicht gewählt';
    const tone = isChosen === option.correct ? 'is-ok' : 'is-miss';
    list.append(
      el(
        'li',
        { class: `feedback-item ${option.correct ? 'is-correct' : 'is-wrong'} ${tone}` },
        el('span', { class: 'feedback-verdict' }, `${verdict} · ${choice}`),
        el('span', { class: 'feedback-option' }, option.text),
        el('span', { class: 'feedback-text' }, option.feedback),
      ),
    );
  });
  return list;
}
