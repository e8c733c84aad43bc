/// <reference lib="dom" />
// Finds the LMS-provided SCORM API object following the SCORM Run-Time
// Environment's discovery algorithm: walk up window.parent (the LMS frame set),
// then try window.opener and its parents (LMS opened the SCO in a pop-up).
//
// Why our own finder instead of an npm wrapper: in the npm registry,
// pipwerks-scorm-api-wrapper is a 2016 module shim whose dependency is a git
// URL (cannot install from the registry alone, unmaintained upstream), and
// @gamestdio/scorm / scorm-api-wrapper are single releases built for TypeScript 2
// with no updates since. scorm-again is maintained, but it is the LMS side of the
// API, not a content wrapper. The discovery algorithm is ~30 lines, so we keep it here.

export type ScormApiName = 'API' | 'API_1484_11';

// The ADL sample code gives up after 500 levels to avoid endless loops in odd frame setups.
const MAX_DEPTH = 500;

function readApi<T>(win: Window, name: ScormApiName): T | null {
  try {
    // Cross-origin frames throw on property access; treat that as "not here".
    const candidate = (win as unknown as Record<string, unknown>)[name];
    return candidate && typeof candidate === 'object' ? (candidate as T) : null;
  } catch {
    return null;
  }
}

function searchUp<T>(start: Window, name: ScormApiName): T | null {
  let win: Window = start;
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    const api = readApi<T>(win, name);
    if (api) return api;
    let parent: Window | null;
    try {
      parent = win.parent;
    } catch {
      return null;
    }
    if (!parent || parent === win) return null;
    win = parent;
  }
  return null;
}

export function findScormApi<T>(name: ScormApiName): T | null {
  const fromParents = searchUp<T>(window, name);
  if (fromParents) return fromParents;
  try {
    if (window.opener) return searchUp<T>(window.opener as Window, name);
    if (window.top?.opener) return searchUp<T>(window.top.opener as Window, name);
  } catch {
    return null;
  }
  return null;
}
