/// <reference lib="dom" />
// SCORM 2004 (4th Edition) tracking. Completion and success are separate data
// model elements here; the quiz reports score.scaled, which the LMS compares
// with the primary objective's minNormalizedMeasure from the manifest.
import { scorm2004Interaction } from './interaction.ts';
import { findScormApi } from './scorm-api-finder.ts';
import { createScormAdapter, numberOf, type ScormDialect } from './scorm-adapter.ts';
import type { TrackingAdapter } from './tracking.ts';

/** The SCORM 2004 RTE API (API_1484_11). */
interface Scorm2004Api {
  Initialize(arg: ''): string;
  Terminate(arg: ''): string;
  GetValue(element: string): string;
  SetValue(element: string, value: string): string;
  Commit(arg: ''): string;
  GetLastError(): string;
}

const SCORM2004: ScormDialect = {
  findApi() {
    const api = findScormApi<Scorm2004Api>('API_1484_11');
    return (
      api && {
        initialize: () => api.Initialize(''),
        terminate: () => api.Terminate(''),
        getValue: (element) => api.GetValue(element),
        setValue: (element, value) => void api.SetValue(element, value),
        commit: () => void api.Commit(''),
        lastError: () => api.GetLastError(),
      }
    );
  },
  // SCORM 2004 4th Edition: suspend_data up to 64000 characters, location up to 1000.
  limits: { suspendData: 64000, location: 1000 },
  elements: { location: 'cmi.location', mode: 'cmi.mode' },
  resume(get, set) {
    const completed = get('cmi.completion_status') === 'completed';
    if (!completed) set('cmi.completion_status', 'incomplete');
    return {
      completed,
      passed: get('cmi.success_status') === 'passed',
      bestScore: numberOf(get('cmi.score.scaled')),
      masteryScore: numberOf(get('cmi.scaled_passing_score')),
    };
  },
  writeScore(set, best) {
    set('cmi.score.scaled', best.toFixed(4));
    set('cmi.score.raw', String(Math.round(best * 100)));
    set('cmi.score.min', '0');
    set('cmi.score.max', '100');
  },
  writeResult(set, success) {
    set('cmi.success_status', success ? 'passed' : 'failed');
    set('cmi.completion_status', 'completed');
  },
  writeCompleted: (set) => set('cmi.completion_status', 'completed'),
  interaction: scorm2004Interaction,
  // "suspend" lets the learner resume; "normal" closes a finished attempt.
  writeExit: (set, completed) => set('cmi.exit', completed ? 'normal' : 'suspend'),
};

export const createScorm2004Adapter = (): TrackingAdapter => createScormAdapter(SCORM2004);
