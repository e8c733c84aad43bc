/// <reference lib="dom" />
// Lesson page behaviour: remembers the last section read (resume location),
// offers to jump back there, and sends "completed" when the learner clicks
// "Lektion abschließen" at the end of the text.
import { byId, el, focusElement } from './dom.ts';
import { setupKnowledgeChecks } from './knowledge-check.ts';
import type { LessonPageData } from './page-data.ts';
import type { Session } from './session.ts';

function sectionHeadings(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('.lesson-body h2[id]'));
}

/** The last h2 that has scrolled into the upper part of the viewport. */
function currentHeading(headings: HTMLElement[]): HTMLElement | undefined {
  const line = window.innerHeight * 0.4;
  let current: HTMLElement | undefined;
  for (const heading of headings) {
    if (heading.getBoundingClientRect().top <= line) current = heading;
  }
  return current;
}

function trackLocation(session: Session): void {
  const headings = sectionHeadings();
  let scheduled = false;
  window.addEventListener(
    'scroll',
    () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        const heading = currentHeading(headings);
        if (heading) session.setLocation(heading.id);
      });
    },
    { passive: true },
  );
}

function offerResume(session: Session): void {
  void session.ready.then((start) => {
    const headings = sectionHeadings();
    const target = headings.find((h) => h.id === start.location);
    const box = byId('resume');
    if (!target || !box || target === headings[0]) return;
    const button = el('button', { type: 'button', class: 'button' }, 'Dorthin springen');
    button.addEventListener('click', () => {
      focusElement(target);
      box.hidden = true;
    });
    box.append(el('p', {}, `Sie waren zuletzt beim Abschnitt „${target.textContent ?? ''}“.`), button);
    box.hidden = false;
  });
}

function addReturnButton(container: HTMLElement, session: Session, returnUrl: string): void {
  if (container.querySelector('.return-button')) return;
  const button = el('button', { type: 'button', class: 'button return-button' }, 'Zurück zur Kursübersicht');
  button.addEventListener('click', () => {
    void session.end().finally(() => {
      window.location.href = returnUrl;
    });
  });
  container.append(button);
}

function setupCompletion(session: Session): void {
  const button = byId<HTMLButtonElement>('complete-lesson');
  const status = byId('complete-status');
  if (!button || !status) return;

  void session.ready.then((start) => {
    if (start.alreadyCompleted) status.textContent = 'Diese Lektion haben Sie bereits abgeschlossen.';
  });

  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Wird gespeichert …';
    void session.complete().then(() => {
      button.disabled = false;
      const start = session.start;
      if (!start.connected) {
        status.textContent = 'Lektion abgeschlossen. Ohne Verbindung zur Lernplattform wird dies nicht gespeichert.';
      } else if (start.readOnly) {
        status.textContent = 'Lektion abgeschlossen. Im Ansichtsmodus wird dies nicht gespeichert.';
      } else {
        status.textContent = 'Lektion abgeschlossen und gespeichert. Sie können mit der nächsten Lektion weitermachen.';
      }
      if (start.returnUrl && button.parentElement) addReturnButton(button.parentElement, session, start.returnUrl);
    });
  });
}

export function setupLesson(data: LessonPageData, session: Session): void {
  setupKnowledgeChecks(data, session);
  trackLocation(session);
  offerResume(session);
  setupCompletion(session);
}
