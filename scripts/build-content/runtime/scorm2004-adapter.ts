/// <reference lib="dom" />
// SCORM 2004 (4th Edition) tracking. Completion and success are separate data
// model elements here; the quiz reports score.scaled, which the LMS compares
// with the primary objective's minNormalizedMeasure from the manifest.
import { findScormApi } from './scorm-api-finder.ts';
import { createOfflineAdapter, type TrackingAdapter } from './tracking.ts';

/** The SCORM 2004 RTE API (API_1484_11). */
interface Scorm2004Api {
  Initialize(arg: ''): string;
  Terminate(arg: ''): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(arg: ''): string;
  GetLastError(): string;
}

// SCORM 2004 4th Edition: suspend_data up to 64000 characters, location up to 1000.
const SUSPEND_LIMIT = 64000;
const LOCATION_LIMIT = 1000;

export function createScorm2004Adapter(): TrackingAdapter {
  const api = findScormApi<Scorm2004Api>('API_1484_11');
  if (!api) return createOfflineAdapter();

  let initialized = false;
  let finished = false;
  let completed = false;
  let passed = false;
  let bestScore = -1;

  const set = (element: string, value: string): void => {
    if (initialized && !finished) api.SetValue(element, value);
  };
  const commit = (): void => {
    if (initialized && !finished) api.Commit('');
  };

  const report = async (scaled: number, success: boolean): Promise<boolean> => {
    if (!initialized || finished) return false;
    // Keep the best result: a failed practice attempt after a pass changes nothing.
    if (passed && !success) return false;
    if (scaled > bestScore || success) {
      bestScore = Math.max(bestScore, scaled);
      set('cmi.score.scaled', bestScore.toFixed(4));
      set('cmi.score.raw', String(Math.round(bestScore * 100)));
      set('cmi.score.min', '0');
      set('cmi.score.max', '100');
    }
    set('cmi.success_status', success ? 'passed' : 'failed');
    set('cmi.completion_status', 'completed');
    passed = passed || success;
    completed = true;
    commit();
    return true;
  };

  return {
    async start() {
      if (api.Initialize('') !== 'true') {
        return { connected: false, hint: `Die Verbindung zur Lernplattform ist fehlgeschlagen (SCORM-Fehler ${api.GetLastError()}). Ihr Fortschritt wird nicht gespeichert.` };
      }
      initialized = true;
      completed = api.GetValue('cmi.completion_status') === 'completed';
      passed = api.GetValue('cmi.success_status') === 'passed';
      const scaled = Number.parseFloat(api.GetValue('cmi.score.scaled'));
      if (Number.isFinite(scaled)) bestScore = scaled;
      if (!completed) set('cmi.completion_status', 'incomplete');
      const mode = api.GetValue('cmi.mode');
      const mastery = Number.parseFloat(api.GetValue('cmi.scaled_passing_score'));
      commit();
      return {
        connected: true,
        readOnly: mode === 'browse' || mode === 'review',
        hint: mode === 'browse' || mode === 'review' ? 'Ansichtsmodus: In diesem Modus speichert die Lernplattform keine Ergebnisse.' : undefined,
        location: api.GetValue('cmi.location') || undefined,
        suspendData: api.GetValue('cmi.suspend_data') || undefined,
        masteryScore: Number.isFinite(mastery) ? mastery : undefined,
        alreadyCompleted: completed,
        alreadyPassed: passed,
      };
    },
    async saveLocation(location, suspendData) {
      set('cmi.location', location.slice(0, LOCATION_LIMIT));
      if (suspendData.length <= SUSPEND_LIMIT) set('cmi.suspend_data', suspendData);
      commit();
    },
    async complete() {
      set('cmi.completion_status', 'completed');
      completed = true;
      commit();
    },
    pass: (scaled) => report(scaled, true),
    fail: (scaled) => report(scaled, false),
    async finish() {
      if (!initialized || finished) return;
      // "suspend" lets the learner resume; "normal" closes a finished attempt.
      set('cmi.exit', completed ? 'normal' : 'suspend');
      commit();
      finished = true;
      api.Terminate('');
    },
  };
}
