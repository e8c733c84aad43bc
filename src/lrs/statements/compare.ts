import { isPlainObject } from '../validation/formats.ts';

/** Deep equality of JSON values, ignoring the order of object keys. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Whether a statement sent again with a known id is the same statement (Data §2.3, Communication
 * §2.1.1): the properties the LRS sets itself (stored, authority, version, and a timestamp the client
 * left out) do not count.
 */
export function sameStatement(stored: Record<string, unknown>, incoming: Record<string, unknown>): boolean {
  const strip = (s: Record<string, unknown>) => {
    const { stored: _s, authority: _a, version: _v, id: _i, ...rest } = s;
    if (incoming.timestamp === undefined) delete rest.timestamp;
    return rest;
  };
  return jsonEqual(strip(stored), strip(incoming));
}
