/// <reference lib="dom" />
// SCORM 1.2 tracking. A lesson SCO sets lesson_status "completed"; the quiz SCO
// sets score raw/min/max and "passed"/"failed". A pass is never overwritten by a
// later failed practice attempt, so the LMS keeps the learner's best result.
import { findScormApi } from './scorm-api-finder.ts';
import { createOfflineAdapter, type TrackingAdapter } from './tracking.ts';

/** The SCORM 1.2 RTE API; every call returns the strings "true"/"false" or a value. */
interface Scorm12Api {
  LMSInitialize(arg: ''): string;
  LMSFinish(arg: ''): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(arg: ''): string;
  LMSGetLastError(): string;
}

// cmi.suspend_data holds at most 4096 characters in SCORM 1.2.
const SUSPEND_LIMIT = 4096;
const LOCATION_LIMIT = 255;

export function createScorm12Adapter(): TrackingAdapter {
  const api = findScormApi<Scorm12Api>('API');
  if (!api) return createOfflineAdapter();

  let initialized = false;
  let finished = false;
  let completed = false;
  let passed = false;
  let bestScore = -1;

  const set = (element: string, value: string): void => {
    if (initialized && !finished) api.LMSSetValue(element, value);
  };
  const commit = (): void => {
    if (initialized && !finished) api.LMSCommit('');
  };

  const report = async (scaled: number, success: boolean): Promise<boolean> => {
    if (!initialized || finished) return false;
    if (passed && !success) return false;
    if (scaled > bestScore || success) {
      bestScore = Math.max(bestScore, scaled);
      set('cmi.core.score.min', '0');
      set('cmi.core.score.max', '100');
      set('cmi.core.score.raw', String(Math.round(bestScore * 100)));
    }
    set('cmi.core.lesson_status', success ? 'passed' : 'failed');
    passed = passed || success;
    completed = true;
    commit();
    return true;
  };

  return {
    async start() {
      if (api.LMSInitialize('') !== 'true') {
        return { connected: false, hint: `Die Verbindung zur Lernplattform ist fehlgeschlagen (SCORM-Fehler ${api.LMSGetLastError()}). Ihr Fortschritt wird nicht gespeichert.` };
      }
      initialized = true;
      const status = api.LMSGetValue('cmi.core.lesson_status');
      completed = status === 'completed' || status === 'passed';
      passed = status === 'passed';
      const raw = Number.parseFloat(api.LMSGetValue('cmi.core.score.raw'));
      if (Number.isFinite(raw)) bestScore = raw / 100;
      if (status === 'not attempted' || status === '') set('cmi.core.lesson_status', 'incomplete');
      const mastery = Number.parseFloat(api.LMSGetValue('cmi.student_data.mastery_score'));
      const mode = api.LMSGetValue('cmi.core.lesson_mode');
      const readOnly = mode === 'browse' || mode === 'review';
      commit();
      return {
        connected: true,
        readOnly,
        hint: readOnly ? 'Ansichtsmodus: In diesem Modus speichert die Lernplattform keine Ergebnisse.' : undefined,
        location: api.LMSGetValue('cmi.core.lesson_location') || undefined,
        suspendData: api.LMSGetValue('cmi.suspend_data') || undefined,
        masteryScore: Number.isFinite(mastery) ? mastery / 100 : undefined,
        alreadyCompleted: completed,
        alreadyPassed: passed,
      };
    },
    async saveLocation(location, suspendData) {
      set('cmi.core.lesson_location', location.slice(0, LOCATION_LIMIT));
      if (suspendData.length <= SUSPEND_LIMIT) set('cmi.suspend_data', suspendData);
      commit();
    },
    async complete() {
      if (!completed) set('cmi.core.lesson_status', 'completed');
      completed = true;
      commit();
    },
    pass: (scaled) => report(scaled, true),
    fail: (scaled) => report(scaled, false),
    async finish() {
      if (!initialized || finished) return;
      // "suspend" keeps the attempt open so location and suspend_data come back next time.
      set('cmi.core.exit', completed ? '' : 'suspend');
      commit();
      finished = true;
      api.LMSFinish('');
    },
  };
}
