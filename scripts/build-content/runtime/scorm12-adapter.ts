/// <reference lib="dom" />
// SCORM 1.2 tracking. A lesson SCO sets lesson_status "completed"; the quiz SCO
// sets score raw/min/max and "passed"/"failed" (one element holds both).
import { scorm12Interaction } from './interaction.ts';
import { findScormApi } from './scorm-api-finder.ts';
import { createScormAdapter, numberOf, type ScormDialect } from './scorm-adapter.ts';
import type { TrackingAdapter } from './tracking.ts';

/** The SCORM 1.2 RTE API; every call returns the strings "true"/"false" or a value. */
interface Scorm12Api {
  LMSInitialize(arg: ''): string;
  LMSFinish(arg: ''): string;
  LMSGetValue(element: string): string;
  LMSSetValue(element: string, value: string): string;
  LMSCommit(arg: ''): string;
  LMSGetLastError(): string;
}

const SCORM12: ScormDialect = {
  findApi() {
    const api = findScormApi<Scorm12Api>('API');
    return (
      api && {
        initialize: () => api.LMSInitialize(''),
        terminate: () => api.LMSFinish(''),
        getValue: (element) => api.LMSGetValue(element),
        setValue: (element, value) => void api.LMSSetValue(element, value),
        commit: () => void api.LMSCommit(''),
        lastError: () => api.LMSGetLastError(),
      }
    );
  },
  // cmi.suspend_data holds at most 4096 characters in SCORM 1.2, lesson_location 255.
  limits: { suspendData: 4096, location: 255 },
  elements: { location: 'cmi.core.lesson_location', mode: 'cmi.core.lesson_mode' },
  resume(get, set) {
    const status = get('cmi.core.lesson_status');
    if (status === 'not attempted' || status === '') set('cmi.core.lesson_status', 'incomplete');
    const raw = numberOf(get('cmi.core.score.raw'));
    const mastery = numberOf(get('cmi.student_data.mastery_score'));
    return {
      completed: status === 'completed' || status === 'passed',
      passed: status === 'passed',
      bestScore: raw === undefined ? undefined : raw / 100,
      masteryScore: mastery === undefined ? undefined : mastery / 100,
    };
  },
  writeScore(set, best) {
    set('cmi.core.score.min', '0');
    set('cmi.core.score.max', '100');
    set('cmi.core.score.raw', String(Math.round(best * 100)));
  },
  writeResult: (set, success) => set('cmi.core.lesson_status', success ? 'passed' : 'failed'),
  // lesson_status also carries "passed": completing a passed SCO must not overwrite it
  writeCompleted: (set, alreadyCompleted) => {
    if (!alreadyCompleted) set('cmi.core.lesson_status', 'completed');
  },
  interaction: scorm12Interaction,
  writeExit: (set, completed) => set('cmi.core.exit', completed ? '' : 'suspend'),
};

export const createScorm12Adapter = (): TrackingAdapter => createScormAdapter(SCORM12);
