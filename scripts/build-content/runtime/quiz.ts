/// <reference lib="dom" />
// The final quiz: draws `draw` questions from the pool on every attempt
// (options shuffled too), checks that all are answered, scores without partial
// credit, shows "bestanden"/"nicht bestanden" with an explanation for every
// option, and reports completion plus the scaled score to the LMS.
import { byId, el, focusElement, selectedIndices } from './dom.ts';
import { cryptoRandom, drawQuestions, isPassed, isSelectionCorrect, requiredCorrect, shuffledIndices } from './evaluate.ts';
import { optionFeedbackList } from './feedback.ts';
import { choiceInteraction, type ChoiceInteraction } from './interaction.ts';
import type { QuizPageData, RuntimeQuestion } from './page-data.ts';
import type { Session } from './session.ts';
import type { StartResult } from './tracking.ts';

interface DrawnQuestion {
  question: RuntimeQuestion;
  /** Display order of the option indices. */
  order: number[];
  name: string;
}

/** The test part of the interactions' ids (cmi5: <AU>/test/abschlusstest/question/<pool id>). */
const QUIZ_GROUP = 'abschlusstest';

function percent(scaled: number): string {
  return `${Math.round(scaled * 100)} %`;
}

function renderQuestion(drawn: DrawnQuestion, position: number, total: number): HTMLFieldSetElement {
  const { question, order, name } = drawn;
  const hintId = `${name}-hint`;
  const fieldset = el('fieldset', { class: 'question', id: name, 'aria-describedby': hintId });
  fieldset.append(
    el('legend', {}, el('span', { class: 'question-number' }, `Frage ${position} von ${total}`), ' ', question.question),
    el('p', { class: 'check-hint', id: hintId }, question.type === 'single' ? 'Wählen Sie eine Antwort.' : 'Mehrere Antworten können richtig sein.'),
  );
  for (const index of order) {
    const option = question.options[index];
    if (!option) continue;
    const inputId = `${name}-o${index}`;
    const input = el('input', { type: question.type === 'single' ? 'radio' : 'checkbox', name, id: inputId, value: String(index) });
    fieldset.append(el('div', { class: 'option' }, input, el('label', { for: inputId }, option.text)));
  }
  return fieldset;
}

function trackingMessage(start: StartResult, recorded: boolean, passedBefore: boolean): string {
  if (!start.connected) return 'Ohne Verbindung zur Lernplattform wird das Ergebnis nicht gespeichert.';
  if (start.readOnly) return 'Im Ansichtsmodus wird das Ergebnis nicht gespeichert.';
  if (recorded) return 'Ihr Ergebnis wurde an die Lernplattform übermittelt.';
  if (passedBefore) return 'Sie haben diesen Test bereits bestanden; die Lernplattform behält dieses Ergebnis.';
  return 'Dieser Versuch war ein Übungsversuch und wurde nicht gewertet. Für einen neuen gewerteten Versuch öffnen Sie den Test erneut über die Lernplattform.';
}

function thresholdText(masteryScore: number, draw: number): string {
  return `Bestanden haben Sie ab ${percent(masteryScore)} richtigen Antworten, also mit mindestens ${requiredCorrect(masteryScore, draw)} von ${draw} Fragen.`;
}

export function setupQuiz(data: QuizPageData, session: Session): void {
  const form = byId<HTMLFormElement>('quiz-form');
  const list = byId('quiz-questions');
  const error = byId('quiz-error');
  const result = byId('quiz-result');
  if (!form || !list || !error || !result) return;

  let masteryScore = data.masteryScore;
  let drawn: DrawnQuestion[] = [];
  // for the interactions' latency: when this attempt's questions were shown, and each last changed
  let shownAt = new Date();
  let changedAt = new Map<string, Date>();
  list.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement) changedAt.set(event.target.name, new Date());
  });

  const newAttempt = (): void => {
    drawn = drawQuestions(data.pool, data.draw, cryptoRandom).map((question, i) => ({
      question,
      order: shuffledIndices(question.options.length, cryptoRandom),
      name: `frage-${i + 1}`,
    }));
    list.replaceChildren(...drawn.map((d, i) => renderQuestion(d, i + 1, drawn.length)));
    shownAt = new Date();
    changedAt = new Map();
    error.textContent = '';
    result.hidden = true;
    result.replaceChildren();
    form.hidden = false;
  };

  void session.ready.then((start) => {
    // cmi5 and SCORM let the LMS override the pass mark; the learner must see the one that applies.
    if (start.masteryScore !== undefined && start.masteryScore > 0 && start.masteryScore <= 1) masteryScore = start.masteryScore;
    const threshold = byId('quiz-threshold');
    if (threshold) threshold.textContent = thresholdText(masteryScore, data.draw);
    const { attempts, best } = session.state;
    if (attempts > 0 && best >= 0 && threshold) {
      threshold.textContent += ` Bisher: ${attempts} ${attempts === 1 ? 'Versuch' : 'Versuche'}, bestes Ergebnis ${percent(best)}.`;
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const answers = drawn.map((d) => selectedIndices(form, d.name));
    const missing = drawn.filter((_, i) => (answers[i] ?? []).length === 0);
    if (missing.length > 0) {
      const numbers = missing.map((d) => d.name.replace('frage-', ''));
      error.textContent = `Bitte beantworten Sie noch ${missing.length === 1 ? 'Frage' : 'die Fragen'} ${numbers.join(', ')}.`;
      const first = missing[0] && document.querySelector<HTMLInputElement>(`input[name="${missing[0].name}"]`);
      if (first) first.focus();
      return;
    }
    error.textContent = '';
    const correctFlags = drawn.map((d, i) => isSelectionCorrect(d.question, answers[i] ?? []));
    const correctCount = correctFlags.filter(Boolean).length;
    const scaled = correctCount / drawn.length;
    const passed = isPassed(scaled, masteryScore);
    const now = new Date();
    const interactions = drawn.map((d, i) =>
      choiceInteraction(QUIZ_GROUP, d.question, answers[i] ?? [], correctFlags[i] === true, shownAt, changedAt.get(d.name) ?? now),
    );
    showResult({ drawn, answers, correctFlags, correctCount, scaled, passed, interactions });
  });

  function showResult(r: {
    drawn: DrawnQuestion[];
    answers: number[][];
    correctFlags: boolean[];
    correctCount: number;
    scaled: number;
    passed: boolean;
    interactions: ChoiceInteraction[];
  }): void {
    if (!form || !result) return;
    form.hidden = true;
    const verdict = r.passed ? 'bestanden' : 'nicht bestanden';
    const trackingNote = el('p', { class: 'tracking-note', role: 'status' }, 'Ergebnis wird an die Lernplattform übermittelt …');
    const again = el('button', { type: 'button', class: 'button' }, 'Neuen Versuch starten');
    again.addEventListener('click', () => {
      newAttempt();
      const firstQuestion = list?.querySelector<HTMLElement>('fieldset');
      if (firstQuestion) focusElement(firstQuestion);
    });
    const actions = el('div', { class: 'quiz-actions' }, again);

    const details = el('div', { class: 'quiz-review' }, el('h2', {}, 'Ihre Antworten im Einzelnen'));
    r.drawn.forEach((d, i) => {
      const ok = r.correctFlags[i] === true;
      details.append(
        el(
          'section',
          { class: `review-item ${ok ? 'is-ok' : 'is-miss'}` },
          el('h3', {}, `Frage ${i + 1}: ${d.question.question}`),
          el('p', { class: 'review-verdict' }, ok ? 'Richtig beantwortet.' : 'Nicht richtig beantwortet.'),
          optionFeedbackList(
            { ...d.question, options: d.order.map((o) => d.question.options[o]).filter((o) => o !== undefined) },
            (r.answers[i] ?? []).map((a) => d.order.indexOf(a)),
            'all',
          ),
        ),
      );
    });

    result.replaceChildren(
      el('h2', { id: 'quiz-result-title', class: r.passed ? 'result-passed' : 'result-failed' }, `Ergebnis: ${verdict}`),
      el(
        'p',
        { class: 'result-score' },
        `Sie haben ${r.correctCount} von ${r.drawn.length} Fragen richtig beantwortet (${percent(r.scaled)}). ` +
          (r.passed
            ? 'Herzlichen Glückwunsch, Sie haben den Abschlusstest bestanden.'
            : `Zum Bestehen brauchen Sie mindestens ${requiredCorrect(masteryScore, r.drawn.length)} richtige Antworten. Lesen Sie die Erläuterungen und versuchen Sie es noch einmal.`),
      ),
      trackingNote,
      actions,
      details,
    );
    result.hidden = false;
    focusElement(result);

    const passedBefore = session.start.alreadyPassed === true || isPassed(session.state.best, masteryScore);
    session.updateState((state) => {
      state.attempts += 1;
      state.best = Math.max(state.best, r.scaled);
    });
    // the answers first, so trainers see every question of a scored attempt (also a practice one)
    void session
      .answer(r.interactions)
      .then(() => session.complete())
      .then(() => session.report(r.scaled, r.passed))
      .then((recorded) => {
        const start = session.start;
        trackingNote.textContent = trackingMessage(start, recorded, passedBefore);
        if (recorded && start.oneResultPerSession) {
          again.textContent = 'Übungsversuch starten';
          trackingNote.textContent +=
            ' Weitere Versuche in dieser Sitzung dienen der Übung. Für einen neuen gewerteten Versuch öffnen Sie den Test erneut über die Lernplattform.';
        }
        if (start.returnUrl) {
          const back = el('button', { type: 'button', class: 'button' }, 'Zurück zur Kursübersicht');
          back.addEventListener('click', () => {
            void session.end().finally(() => {
              window.location.href = start.returnUrl ?? '';
            });
          });
          actions.append(back);
        }
      });
  }

  newAttempt();
}
