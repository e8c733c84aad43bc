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

/** A duration with its seconds cut to hundredths ("PT1.2567S" → "PT1.25S"). */
export function durationForComparison(d: string): string {
  return d.replace(/(\d+)[.,](\d{0,2})\d*S$/, (_m, whole: string, frac: string) => (frac ? `${whole}.${frac}S` : `${whole}S`));
}

/**
 * A statement as comparisons see it: precision of result.duration beyond 0.01 s does not count
 * (1.0.3 Data §4.6; 9274.1.1 §4.2.7 Duration), in the statement and in a SubStatement.
 */
export function forComparison(s: Record<string, unknown>): Record<string, unknown> {
  const cut = (x: Record<string, unknown>) => {
    const r = x.result;
    if (!isPlainObject(r) || typeof r.duration !== 'string') return x;
    return { ...x, result: { ...r, duration: durationForComparison(r.duration) } };
  };
  const out = cut(s);
  return isPlainObject(out.object) && out.object.objectType === 'SubStatement' ? { ...out, object: cut(out.object) } : out;
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
  return jsonEqual(forComparison(strip(stored)), forComparison(strip(incoming)));
}
