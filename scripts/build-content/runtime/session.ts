/// <reference lib="dom" />
// Wraps a TrackingAdapter for the page code: waits for the LMS handshake,
// keeps the saved state, debounces location saves, and turns tracking errors
// into a visible hint instead of breaking the page.
import { byId } from './dom.ts';
import type { ChoiceInteraction } from './interaction.ts';
import { emptyState, parseState, serializeState, type SavedState } from './saved-state.ts';
import type { StartResult, TrackingAdapter } from './tracking.ts';

const CONNECTION_LOST =
  'Die Verbindung zur Lernplattform ist gestört. Ihr Fortschritt wurde möglicherweise nicht gespeichert. Bitte laden Sie die Lerneinheit später erneut über die Lernplattform.';

// Saving is an HTTP request in cmi5; a few seconds of delay keeps scrolling from flooding the LRS.
const SAVE_DELAY_MS = 3000;

export interface Session {
  /** Resolves once the LMS handshake is done (or has failed). */
  ready: Promise<StartResult>;
  readonly state: SavedState;
  readonly start: StartResult;
  setLocation(location: string): void;
  updateState(mutate: (state: SavedState) => void): void;
  complete(): Promise<void>;
  /** Resolves to true if the result reached the LMS. */
  report(scaled: number, passed: boolean): Promise<boolean>;
  /** Records the learner's answers; not in browse/review launches, where the LMS takes no results. */
  answer(interactions: readonly ChoiceInteraction[]): Promise<void>;
  /** Ends the session (idempotent). Synchronous for SCORM, so it works during pagehide. */
  end(): Promise<void>;
}

export function showHint(text: string): void {
  const region = byId('tracking-status');
  if (!region) return;
  region.textContent = '';
  const p = document.createElement('p');
  p.className = 'notice';
  p.textContent = text;
  region.append(p);
}

export function createSession(adapter: TrackingAdapter): Session {
  let state: SavedState = emptyState();
  let start: StartResult = { connected: false };
  let location = '';
  let settled = false;
  let ended = false;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const ready = adapter
    .start()
    .catch((): StartResult => ({ connected: false, hint: CONNECTION_LOST }))
    .then((result) => {
      start = result;
      state = parseState(result.suspendData);
      location = result.location ?? '';
      settled = true;
      if (result.hint) showHint(result.hint);
      return result;
    });

  const guarded = async <T>(action: () => Promise<T>, fallback: T): Promise<T> => {
    const result = await ready;
    if (!result.connected || ended) return fallback;
    try {
      return await action();
    } catch {
      showHint(CONNECTION_LOST);
      return fallback;
    }
  };

  const flush = (): Promise<void> => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = undefined;
    return guarded(() => adapter.saveLocation(location, serializeState(state)), undefined);
  };
  const scheduleSave = (): void => {
    if (saveTimer === undefined) saveTimer = setTimeout(() => void flush(), SAVE_DELAY_MS);
  };

  return {
    ready,
    get state() {
      return state;
    },
    get start() {
      return start;
    },
    setLocation(next) {
      if (next === location) return;
      location = next;
      scheduleSave();
    },
    updateState(mutate) {
      void ready.then(() => {
        mutate(state);
        scheduleSave();
      });
    },
    async complete() {
      await flush();
      await guarded(() => adapter.complete(), undefined);
    },
    async report(scaled, passed) {
      await flush();
      return guarded(() => (passed ? adapter.pass(scaled) : adapter.fail(scaled)), false);
    },
    async answer(interactions) {
      await guarded(async () => {
        if (!start.readOnly) await adapter.answer(interactions);
      }, undefined);
    },
    async end() {
      if (ended) return;
      if (settled && start.connected) {
        // Called directly (not after an await) so SCORM's synchronous API runs before the page unloads.
        const pending = saveTimer !== undefined;
        if (saveTimer !== undefined) clearTimeout(saveTimer);
        saveTimer = undefined;
        const saved = pending ? adapter.saveLocation(location, serializeState(state)) : Promise.resolve();
        ended = true;
        const finished = adapter.finish();
        await Promise.allSettled([saved, finished]);
        return;
      }
      ended = true;
    },
  };
}
