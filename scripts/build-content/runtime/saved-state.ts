// The small JSON object stored as suspend data (SCORM) or in the xAPI State
// document (cmi5): the learner's knowledge-check answers and quiz history.
// Versioned so a later format change can ignore old data instead of crashing.

export interface SavedState {
  v: 1;
  /** Selected option indices per knowledge-check form id. */
  checks: Record<string, number[]>;
  attempts: number;
  /** Best scaled quiz score so far, -1 if none. */
  best: number;
}

export function emptyState(): SavedState {
  return { v: 1, checks: {}, attempts: 0, best: -1 };
}

export function parseState(raw: string | undefined): SavedState {
  if (!raw) return emptyState();
  try {
    const data = JSON.parse(raw) as Partial<SavedState>;
    if (data.v !== 1) return emptyState();
    const checks: Record<string, number[]> = {};
    for (const [id, selected] of Object.entries(data.checks ?? {})) {
      if (Array.isArray(selected)) checks[id] = selected.filter((n): n is number => Number.isInteger(n));
    }
    return {
      v: 1,
      checks,
      attempts: Number.isInteger(data.attempts) ? (data.attempts as number) : 0,
      best: typeof data.best === 'number' ? data.best : -1,
    };
  } catch {
    return emptyState();
  }
}

export function serializeState(state: SavedState): string {
  return JSON.stringify(state);
}
