// The one interface every tracking back end implements. Lesson and quiz code
// only talk to this, so the same page runtime serves cmi5, SCORM 2004 and
// SCORM 1.2; each package bundles exactly one adapter.
import type { ChoiceInteraction } from './interaction.ts';

export interface StartResult {
  /** False when the page runs without an LMS (opened directly, or the launch failed). */
  connected: boolean;
  /** Shown to the learner when not connected or when results are not recorded. */
  hint?: string;
  /** True in browse/review launches: the LMS does not accept results. */
  readOnly?: boolean;
  /** Resume location saved in an earlier session (heading id). */
  location?: string;
  /** Opaque runtime state saved in an earlier session (JSON string). */
  suspendData?: string;
  /** Pass mark from the LMS, if it overrides the one in the package (0–1). */
  masteryScore?: number;
  /** Where the learner returns to after finishing (cmi5 returnURL). */
  returnUrl?: string;
  /** The LMS already has a completion for this learning object. */
  alreadyCompleted?: boolean;
  /** The LMS already has a pass for this learning object. */
  alreadyPassed?: boolean;
  /** cmi5: only one passed/failed result per launch; further attempts are practice. */
  oneResultPerSession?: boolean;
}

export interface TrackingAdapter {
  start(): Promise<StartResult>;
  /** Stores the resume location and the runtime state (both small strings). */
  saveLocation(location: string, suspendData: string): Promise<void>;
  complete(): Promise<void>;
  /**
   * Reports a passed/failed result with a scaled score (0–1).
   * Resolves to false when the result was deliberately not sent again
   * (cmi5 allows one passed/failed statement per session).
   */
  pass(scaled: number): Promise<boolean>;
  fail(scaled: number): Promise<boolean>;
  /**
   * Records what the learner answered (SCORM: cmi.interactions.n; cmi5: one "answered" statement
   * each), so trainers see which questions are hard. One call per submitted form.
   */
  answer(interactions: readonly ChoiceInteraction[]): Promise<void>;
  /** Ends the session; safe to call more than once. */
  finish(): Promise<void>;
}

export const OFFLINE_HINT =
  'Hinweis: Diese Seite ist nicht mit einer Lernplattform verbunden. Sie können alles ausprobieren, Ihr Fortschritt wird aber nicht gespeichert.';

/** Used when no LMS is found: everything works, nothing is recorded. */
export function createOfflineAdapter(hint: string = OFFLINE_HINT): TrackingAdapter {
  return {
    start: async () => ({ connected: false, hint }),
    saveLocation: async () => undefined,
    complete: async () => undefined,
    pass: async () => false,
    fail: async () => false,
    answer: async () => undefined,
    finish: async () => undefined,
  };
}
