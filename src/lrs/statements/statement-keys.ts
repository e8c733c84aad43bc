import type { QueryFields, RefFields } from './query-fields.ts';

/**
 * The filter keys of statements (model.ts, StatementKeyDoc): what lets GET /statements read a few
 * small rows by equality instead of the statements themselves. Every key a statement's own fields or
 * its StatementRef target's fields give is one row, bucketed by the hour the statement was stored, so
 * a page reads the hours it needs, newest (or oldest) first. Reading by key gives a SUPERSET (own and
 * target fields share keys, voided statements keep theirs); `matchesFilter` decides exactly.
 */

/** The filters of a page query (read-statements.ts builds them from the request and the credential). */
export interface StatementFilter {
  agentKey?: string;
  relatedAgents?: boolean;
  verb?: string;
  activity?: string;
  relatedActivities?: boolean;
  registration?: string;
  since?: Date;
  until?: Date;
  authorityKey?: string;
  /** Minted credentials read only their learner's statements in their registration. */
  limitActorKey?: string;
  limitRegistration?: string;
}

/** Where a page ends: the sort key of its last statement (stored, then id). */
export interface PageCursor {
  stored: number;
  id: string;
}

/** The fields `matchesFilter` reads. */
export type MatchFields = QueryFields & RefFields & { stored: Date; voided: boolean; authorityKey: string };

/** The key every statement has: what a query without key filters walks. */
export const ALL_KEY = '*';

const HOUR = 3_600_000;
/** The hour bucket of a time, as text ("2026-12-01T08"): equal text is what the database finds by index. */
export const hourOf = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString().slice(0, 13);
const hourNumber = (hour: string) => Date.parse(`${hour}:00:00.000Z`) / HOUR;

/** The keys of a statement: its own fields and those it took over from its StatementRef target. */
export function statementKeys(f: Omit<MatchFields, 'stored' | 'voided'>): string[] {
  const keys = [
    ALL_KEY,
    `authority:${f.authorityKey}`,
    ...[...f.agents, ...f.refAgents].map((k) => `agent:${k}`),
    ...[...f.relatedAgents, ...f.refRelatedAgents].map((k) => `related-agent:${k}`),
    ...[f.verbId, f.refVerbId].filter(Boolean).map((v) => `verb:${v}`),
    ...[...f.activities, ...f.refActivities].map((a) => `activity:${a}`),
    ...[...f.relatedActivities, ...f.refRelatedActivities].map((a) => `related-activity:${a}`),
    ...[f.registration, f.refRegistration].filter(Boolean).map((r) => `registration:${r}`),
  ];
  return [...new Set(keys)];
}

/**
 * The keys a query needs, the most selective first (a registration or a learner holds few statements,
 * a verb many): the first is read hour by hour, the others are only checked for those candidates.
 */
export function filterKeys(f: StatementFilter): string[] {
  const ranked: Array<[number, string | undefined]> = [
    [0, f.registration && `registration:${f.registration}`],
    [0, f.limitRegistration && `registration:${f.limitRegistration}`],
    [1, f.agentKey && `${f.relatedAgents ? 'related-agent' : 'agent'}:${f.agentKey}`],
    [1, f.limitActorKey && `agent:${f.limitActorKey}`],
    [2, f.activity && `${f.relatedActivities ? 'related-activity' : 'activity'}:${f.activity}`],
    [3, f.authorityKey && `authority:${f.authorityKey}`],
    [4, f.verb && `verb:${f.verb}`],
  ];
  const keys = ranked.filter((r): r is [number, string] => Boolean(r[1])).sort((a, b) => a[0] - b[0]).map((r) => r[1]);
  return [...new Set(keys)];
}

/**
 * Whether a statement belongs to the query (Communication §2.1.3): not voided, it or its StatementRef
 * target matches every filter, inside since/until, and visible to the credential.
 */
export function matchesFilter(d: MatchFields, f: StatementFilter): boolean {
  if (d.voided) return false;
  const side = (agents: string[], relatedAgents: string[], verb: string | null, activities: string[], relatedActivities: string[], registration: string | null) =>
    (!f.agentKey || (f.relatedAgents ? relatedAgents : agents).includes(f.agentKey)) &&
    (!f.verb || verb === f.verb) &&
    (!f.activity || (f.relatedActivities ? relatedActivities : activities).includes(f.activity)) &&
    (!f.registration || registration === f.registration);
  const own = side(d.agents, d.relatedAgents, d.verbId, d.activities, d.relatedActivities, d.registration);
  if (!own && !side(d.refAgents, d.refRelatedAgents, d.refVerbId, d.refActivities, d.refRelatedActivities, d.refRegistration)) return false;
  if (f.authorityKey && d.authorityKey !== f.authorityKey) return false;
  if (f.limitActorKey && !d.agents.includes(f.limitActorKey)) return false;
  if (f.limitRegistration && d.registration !== f.limitRegistration) return false;
  return inRange(d.stored.getTime(), f);
}

/** Since (exclusive) and until (inclusive), as the spec has them. */
export function inRange(stored: number, f: StatementFilter): boolean {
  return (!f.since || stored > f.since.getTime()) && (!f.until || stored <= f.until.getTime());
}

/** Whether (stored, id) comes after the cursor in the page order. */
export function afterCursor(stored: number, id: string, after: PageCursor | undefined, ascending: boolean): boolean {
  if (!after) return true;
  const cmp = stored !== after.stored ? stored - after.stored : id < after.id ? -1 : id > after.id ? 1 : 0;
  return ascending ? cmp > 0 : cmp < 0;
}

/** Page order: stored, then id, in either direction. */
export function pageOrder(ascending: boolean) {
  const dir = ascending ? 1 : -1;
  return (a: { stored: number; id: string }, b: { stored: number; id: string }) =>
    dir * (a.stored !== b.stored ? a.stored - b.stored : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The hour buckets a page walks, in page order and in windows growing from 1 to 1000 hours: from the
 * cursor (or until/since) to the end of what is stored. Empty hours cost the database nothing but a
 * probe of the index, so the walk needs no list of hours that hold statements.
 */
export function* hourWindows(span: { first: string; last: string }, f: StatementFilter, opts: { ascending: boolean; after?: PageCursor }): Generator<string[]> {
  let lo = hourNumber(span.first);
  let hi = hourNumber(span.last);
  if (f.since) lo = Math.max(lo, hourNumber(hourOf(f.since.getTime())));
  if (f.until) hi = Math.min(hi, hourNumber(hourOf(f.until.getTime())));
  if (opts.after) {
    const at = hourNumber(hourOf(opts.after.stored));
    if (opts.ascending) lo = Math.max(lo, at);
    else hi = Math.min(hi, at);
  }
  let size = 1;
  for (let h = opts.ascending ? lo : hi; opts.ascending ? h <= hi : h >= lo; ) {
    const window: string[] = [];
    for (let k = 0; k < size && (opts.ascending ? h <= hi : h >= lo); k++, h += opts.ascending ? 1 : -1) window.push(hourOf(h * HOUR));
    yield window;
    size = Math.min(size * 2, 1000);
  }
}
