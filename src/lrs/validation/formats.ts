/** Value formats of xAPI 1.0.3 (Data §4): IRIs, UUIDs, timestamps, durations, language tags, e-mail IRIs. */

/** An absolute IRI: a scheme, a colon, no white space (RFC 3987 in the form xAPI uses). */
const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]*$/i;
export const isIri = (v: unknown): v is string => typeof v === 'string' && IRI.test(v);

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 4122 UUIDs (variant 10xx); xAPI 1.0.3 Data §4.1.1. */
const UUID_RFC4122 = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RFC4122.test(v);

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** ISO 8601 date-time (Data §4.5); "-00:00" is refused as RFC 3339 says it means "unknown". */
export function isTimestamp(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = TIMESTAMP.exec(v);
  if (!m) return false;
  const [, , mo, d, h, mi, s, , zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return false;
  if (zone && /^-00(:?00)?$/.test(zone)) return false;
  return !Number.isNaN(Date.parse(zone ? v : `${v}Z`));
}

/** Whether a valid timestamp names its offset (Z or ±hh[:mm]). */
export const hasZone = (v: string): boolean => /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(v.slice(19));

/** Milliseconds since the epoch of a valid timestamp; without a zone, UTC is assumed. */
export function timestampMillis(v: string): number {
  return Date.parse(hasZone(v) ? v : `${v}Z`);
}

// weeks stand alone in ISO 8601 (P4W, never P4W1D)
const DURATION =
  /^(P(?!$)(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?D)?(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?|P\d+(?:[.,]\d+)?W)$/;
export const isDuration = (v: unknown): v is string => typeof v === 'string' && DURATION.test(v);

/** RFC 5646 language tags (well-formed, not registry-checked). */
const LANGUAGE_TAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|i-[a-z]{2,8})$/i;
export const isLanguageTag = (v: unknown): v is string => typeof v === 'string' && LANGUAGE_TAG.test(v);

const MAILTO = /^mailto:[^\s@:]+@[^\s@]+$/i;
export const isMailto = (v: unknown): v is string => typeof v === 'string' && MAILTO.test(v);

export const isSha1Hex = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{40}$/i.test(v);

/** An internet media type as in RFC 2046: type/subtype with optional parameters. */
export const isMediaType = (v: unknown): v is string => typeof v === 'string' && /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(v);

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
