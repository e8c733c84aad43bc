/// <reference lib="dom" />
// Page entry shared by all package formats: reads the page data written by the
// build, starts the tracking session and wires up the lesson or quiz. Each
// format's entry file passes in its own adapter.
import { PAGE_DATA_ELEMENT_ID, type PageData } from './page-data.ts';
import { setupLesson } from './lesson.ts';
import { setupQuiz } from './quiz.ts';
import { createSession } from './session.ts';
import type { TrackingAdapter } from './tracking.ts';

function readPageData(): PageData | null {
  const element = document.getElementById(PAGE_DATA_ELEMENT_ID);
  if (!element?.textContent) return null;
  return JSON.parse(element.textContent) as PageData;
}

export function startPage(createAdapter: () => TrackingAdapter): void {
  const run = (): void => {
    const data = readPageData();
    if (!data) return;
    const session = createSession(createAdapter());
    if (data.kind === 'lesson') setupLesson(data, session);
    else setupQuiz(data, session);
    // pagehide fires on close, navigation and bfcache; SCORM needs Terminate/LMSFinish there.
    window.addEventListener('pagehide', () => void session.end());
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}
