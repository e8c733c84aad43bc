/// <reference lib="dom" />
// SCORM tracking, the part both editions share: when data is written and committed, and how a
// result is kept (the best score; a pass is never overwritten by a later failed practice attempt,
// so the LMS keeps the learner's best result). What differs between SCORM 1.2 and 2004, the API's
// names and the data model's elements, each edition describes in its dialect
// (scorm12-adapter.ts, scorm2004-adapter.ts).
import type { ChoiceInteraction } from './interaction.ts';
import { createOfflineAdapter, type TrackingAdapter } from './tracking.ts';

/** The calls both RTE APIs offer, under one set of names; each returns a value or "true"/"false". */
export interface ScormCalls {
  initialize(): string;
  terminate(): string;
  getValue(element: string): string;
  setValue(element: string, value: string): void;
  commit(): void;
  lastError(): string;
}

type Get = (element: string) => string;
type Set = (element: string, value: string) => void;

export interface ScormDialect {
  /** The LMS's API, found in a parent window; null when the page runs without one. */
  findApi(): ScormCalls | null;
  limits: { suspendData: number; location: number };
  elements: { location: string; mode: string };
  /** Reads what earlier sessions left (scores as 0–1) and marks a new attempt as begun. */
  resume(get: Get, set: Set): { completed: boolean; passed: boolean; bestScore?: number; masteryScore?: number };
  writeScore(set: Set, best: number): void;
  writeResult(set: Set, success: boolean): void;
  writeCompleted(set: Set, alreadyCompleted: boolean): void;
  /** The cmi.interactions.n elements of one answer, in the order the edition's RTE accepts them. */
  interaction(n: number, interaction: ChoiceInteraction): Array<[string, string]>;
  /** cmi.exit (1.2: cmi.core.exit): "suspend" keeps an unfinished attempt open for resuming. */
  writeExit(set: Set, completed: boolean): void;
}

export function createScormAdapter(dialect: ScormDialect): TrackingAdapter {
  const api = dialect.findApi();
  if (!api) return createOfflineAdapter();

  let initialized = false;
  let finished = false;
  let completed = false;
  let passed = false;
  let bestScore = -1;
  // The next free interaction index. Counted here, not read before each write: the player's frame
  // answers reads from a mirror of the data it was started with (README "Content isolation").
  let interactions = 0;

  const set: Set = (element, value) => {
    if (initialized && !finished) api.setValue(element, value);
  };
  const commit = (): void => {
    if (initialized && !finished) api.commit();
  };

  const report = async (scaled: number, success: boolean): Promise<boolean> => {
    if (!initialized || finished) return false;
    if (passed && !success) return false;
    if (scaled > bestScore || success) {
      bestScore = Math.max(bestScore, scaled);
      dialect.writeScore(set, bestScore);
    }
    dialect.writeResult(set, success);
    passed = passed || success;
    completed = true;
    commit();
    return true;
  };

  return {
    async start() {
      if (api.initialize() !== 'true') {
        return {
          connected: false,
          hint: `Die Verbindung zur Lernplattform ist fehlgeschlagen (SCORM-Fehler ${api.lastError()}). Ihr Fortschritt wird nicht gespeichert.`,
        };
      }
      initialized = true;
      const earlier = dialect.resume((element) => api.getValue(element), set);
      completed = earlier.completed;
      passed = earlier.passed;
      if (earlier.bestScore !== undefined) bestScore = earlier.bestScore;
      interactions = numberOf(api.getValue('cmi.interactions._count')) ?? 0;
      const mode = api.getValue(dialect.elements.mode);
      const readOnly = mode === 'browse' || mode === 'review';
      commit();
      return {
        connected: true,
        readOnly,
        hint: readOnly ? 'Ansichtsmodus: In diesem Modus speichert die Lernplattform keine Ergebnisse.' : undefined,
        location: api.getValue(dialect.elements.location) || undefined,
        suspendData: api.getValue('cmi.suspend_data') || undefined,
        masteryScore: earlier.masteryScore,
        alreadyCompleted: completed,
        alreadyPassed: passed,
      };
    },
    async saveLocation(location, suspendData) {
      set(dialect.elements.location, location.slice(0, dialect.limits.location));
      if (suspendData.length <= dialect.limits.suspendData) set('cmi.suspend_data', suspendData);
      commit();
    },
    async complete() {
      dialect.writeCompleted(set, completed);
      completed = true;
      commit();
    },
    async answer(list) {
      if (!initialized || finished || list.length === 0) return;
      // each answer is a new record (journaling, RTE 2004 §4.2.9): earlier tries stay visible
      for (const interaction of list) {
        for (const [element, value] of dialect.interaction(interactions, interaction)) set(element, value);
        interactions += 1;
      }
      commit();
    },
    pass: (scaled) => report(scaled, true),
    fail: (scaled) => report(scaled, false),
    async finish() {
      if (!initialized || finished) return;
      dialect.writeExit(set, completed);
      commit();
      finished = true;
      api.terminate();
    },
  };
}

/** A number the LMS returned, or undefined for "" and anything else that is not one. */
export function numberOf(value: string): number | undefined {
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? n : undefined;
}
