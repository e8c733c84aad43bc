import type { QueryFields, RefFields } from './query-fields.ts';

/**
 * How GET /statements finds its statements without reading them all. A page walks the hours the
 * statements were stored in, in page order: with no key filter it reads the statements of those
 * hours by their indexed `hour`; otherwise it reads the key rows (model.ts, StatementKeyDoc) of the
 * most selective filter for those hours: one row per statement and agent, verb, activity or
 * registration key, its own or its StatementRef target's. Both are equalities on one indexed field,
 * which MongoDB and the embedded FerretDB (patch 03) serve from the index. Keys give a SUPERSET (own
 * and target fields share them, voided statements keep theirs); `matchesFilter` decides exactly.
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

const HOUR = 3_600_000;
/** The hour bucket of a time, as text ("2026-12-01T08"): equal text is what the database finds by index. */
export const hourOf = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString().slice(0, 13);
const hourNumber = (hour: string) => Date.parse(`${hour}:00:00.000Z`) / HOUR;

/**
 * Every statement's key rows include `${id}|referenced`, which no query reads. A statement whose
 * StatementRef target is not stored yet writes that row for its target first (a marker), so the
 * target, when it comes, finds the marker as a duplicate in its own key-row insert and only then
 * looks for the statements that target it: no look-up of lrs_statement_refs on every insert.
 */
export const REFERENCED_KEY = 'referenced';

/**
 * The keys of a statement: its own fields and those it took over from its StatementRef target. An
 * agent or activity that is also the statement's actor or object is not written again as related:
 * a related_agents / related_activities query reads both keys (filterKeys). Without key filters, or
 * with only the credential's authority, a page reads the statements by their `hour` instead.
 */
export function statementKeys(f: Omit<MatchFields, 'stored' | 'voided' | 'authorityKey'>): string[] {
  const agents = new Set([...f.agents, ...f.refAgents]);
  const activities = new Set([...f.activities, ...f.refActivities]);
  const keys = [
    ...[...agents].map((k) => `agent:${k}`),
    ...[...f.relatedAgents, ...f.refRelatedAgents].filter((k) => !agents.has(k)).map((k) => `related-agent:${k}`),
    ...[f.verbId, f.refVerbId].filter(Boolean).map((v) => `verb:${v}`),
    ...[...activities].map((a) => `activity:${a}`),
    ...[...f.relatedActivities, ...f.refRelatedActivities].filter((a) => !activities.has(a)).map((a) => `related-activity:${a}`),
    ...[f.registration, f.refRegistration].filter(Boolean).map((r) => `registration:${r}`),
    REFERENCED_KEY,
  ];
  return [...new Set(keys)];
}

/**
 * The keys a query needs, as groups (a statement has a group when it has any key of it), the most
 * selective first (a registration or a learner holds few statements, a verb many): the first group is
 * read hour by hour, the others are only checked for its candidates. Empty: read by hour alone.
 */
export function filterKeys(f: StatementFilter): string[][] {
  const related = (kind: string, value: string, withRelated: boolean | undefined) =>
    withRelated ? [`${kind}:${value}`, `related-${kind}:${value}`] : [`${kind}:${value}`];
  const ranked: Array<[number, string[] | undefined]> = [
    [0, f.registration ? [`registration:${f.registration}`] : undefined],
    [0, f.limitRegistration ? [`registration:${f.limitRegistration}`] : undefined],
    [1, f.agentKey ? related('agent', f.agentKey, f.relatedAgents) : undefined],
    [1, f.limitActorKey ? [`agent:${f.limitActorKey}`] : undefined],
    [2, f.activity ? related('activity', f.activity, f.relatedActivities) : undefined],
    [3, f.verb ? [`verb:${f.verb}`] : undefined],
  ];
  const groups = ranked
    .filter((r): r is [number, string[]] => Boolean(r[1]))
    .sort((a, b) => a[0] - b[0])
    .map((r) => r[1]);
  return groups.filter((g, i) => groups.findIndex((o) => o.join() === g.join()) === i);
}

/**
 * Whether a statement belongs to the query (Communication §2.1.3): not voided, it or its StatementRef
 * target matches every filter, inside since/until, and visible to the credential.
 */
export function matchesFilter(d: MatchFields, f: StatementFilter): boolean {
  if (d.voided) return false;
  const side = (
    agents: string[],
    relatedAgents: string[],
    verb: string | null,
    activities: string[],
    relatedActivities: string[],
    registration: string | null,
  ) =>
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

type SortKey = { stored: number; id: string };
const compare = (a: SortKey, b: SortKey) => (a.stored !== b.stored ? a.stored - b.stored : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether (stored, id) comes after the cursor in the page order. */
export function afterCursor(stored: number, id: string, after: PageCursor | undefined, ascending: boolean): boolean {
  if (!after) return true;
  const cmp = compare({ stored, id }, after);
  return ascending ? cmp > 0 : cmp < 0;
}

/** Page order: stored, then id, in either direction. */
export function pageOrder(ascending: boolean): (a: SortKey, b: SortKey) => number {
  return ascending ? compare : (a, b) => compare(b, a);
}

/**
 * The hour buckets a page walks, in page order and in windows growing from 1 to `max` hours: from the
 * cursor (or until/since) to the end of what is stored. Empty hours cost the database nothing but a
 * probe of the index, so the walk needs no list of hours that hold statements.
 */
export function* hourWindows(
  span: { first: string; last: string },
  f: StatementFilter,
  opts: { ascending: boolean; after?: PageCursor; max: number },
): Generator<string[]> {
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
  for (let h = opts.ascending ? lo : hi; opts.ascending ? h <= hi : h >= lo;) {
    const window: string[] = [];
    for (let k = 0; k < size && (opts.ascending ? h <= hi : h >= lo); k++, h += opts.ascending ? 1 : -1) window.push(hourOf(h * HOUR));
    yield window;
    size = Math.min(size * 2, opts.max);
  }
}
