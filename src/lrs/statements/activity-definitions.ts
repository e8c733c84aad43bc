import type { Clock } from '../../shared/clock.ts';
import type { Activity, Statement } from '../types.ts';
import { isPlainObject } from '../validation/formats.ts';
import type { StatementRepository } from './repository.ts';

/** How long a definition this process read or wrote counts as current, and how many it keeps. */
const CACHE_MS = 60_000;
const CACHE_SIZE = 10_000;

/** Language maps merge, everything else is replaced: what the Activities resource returns (Communication §2.5). */
export function mergeDefinition(old: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  const out = { ...old };
  for (const [k, v] of Object.entries(next)) {
    if ((k === 'name' || k === 'description') && isPlainObject(v) && isPlainObject(old[k])) out[k] = { ...old[k], ...v };
    else if (k === 'extensions' && isPlainObject(v) && isPlainObject(old[k])) out[k] = { ...old[k], ...v };
    else out[k] = v;
  }
  return out;
}

/** Every activity a statement defines, with its definition, in statement order. */
function definedActivities(s: Statement): Activity[] {
  const out: Activity[] = [];
  const visit = (o: unknown) => {
    if (isPlainObject(o) && (o.objectType ?? 'Activity') === 'Activity' && typeof o.id === 'string' && isPlainObject(o.definition)) out.push(o as unknown as Activity);
  };
  const fromContext = (c: Statement['context']) => {
    const ca = c?.contextActivities as Record<string, unknown> | undefined;
    if (ca) for (const v of Object.values(ca)) (Array.isArray(v) ? v : [v]).forEach(visit);
  };
  visit(s.object);
  fromContext(s.context);
  if ((s.object as { objectType?: string }).objectType === 'SubStatement') {
    const sub = s.object as unknown as Statement;
    visit(sub.object);
    fromContext(sub.context);
  }
  return out;
}

/**
 * The Activities resource's definitions, merged from every statement that defines an activity, and
 * written only when a statement changes one. Content sends the same definition with every statement,
 * so the definitions this process read or wrote in the last minute are kept: a statement that changes
 * nothing in them costs no read of lrs_activities. Another instance's change is seen at the latest
 * when the entry expires; the read-merge-write was never atomic across requests (no transactions,
 * database.md), so this widens an existing last-writer-wins window, it does not open one.
 */
export function createActivityDefinitions(deps: { repo: StatementRepository; clock: Clock }) {
  const cache = new Map<string, { json: string; at: number }>();
  const remember = (id: string, json: string, at: number) => {
    cache.delete(id);
    cache.set(id, { json, at });
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  };

  return {
    /**
     * What is known of the activities these statements define: from the cache, the rest read from
     * the database. The store starts this while it inserts the statements (it reads nothing they write).
     */
    async read(statements: Statement[]): Promise<KnownDefinitions> {
      const now = deps.clock.now().getTime();
      const known = new Map<string, string>();
      const fresh = new Set<string>();
      const unknown: string[] = [];
      for (const id of new Set(statements.flatMap(definedActivities).map((a) => a.id))) {
        const hit = cache.get(id);
        if (hit && hit.at + CACHE_MS > now) known.set(id, hit.json);
        else unknown.push(id);
      }
      for (const [id, json] of await deps.repo.getActivityDefinitions(unknown)) known.set(id, json);
      for (const id of unknown) fresh.add(id);
      return { known, fresh, at: now };
    },

    /** Merges the definitions of the stored statements into what `read` found and writes those that changed. */
    async write(statements: Statement[], read: KnownDefinitions): Promise<void> {
      const defined = statements.flatMap(definedActivities);
      if (!defined.length) return;
      const { known } = read;
      const next = new Map<string, Record<string, unknown>>();
      for (const a of defined) {
        const base = next.get(a.id) ?? (known.has(a.id) ? (JSON.parse(known.get(a.id)!) as Record<string, unknown>) : {});
        next.set(a.id, mergeDefinition(base, a.definition as Record<string, unknown>));
      }
      const changed = new Map<string, string>();
      for (const [id, definition] of next) {
        const json = JSON.stringify(definition);
        if (known.get(id) !== json) changed.set(id, json);
      }
      await deps.repo.saveActivityDefinitions(changed);
      for (const id of next.keys()) {
        // an entry that came from the cache and did not change keeps its age: it expires a minute
        // after it was last read from or written to the database
        const hit = cache.get(id);
        const json = changed.get(id) ?? known.get(id)!;
        remember(id, json, changed.has(id) || read.fresh.has(id) || !hit ? read.at : hit.at);
      }
    },
  };
}
export type ActivityDefinitions = ReturnType<typeof createActivityDefinitions>;

/** What `read` found: definitions as stored (JSON) and which of them came from the database just now. */
export interface KnownDefinitions {
  known: Map<string, string>;
  fresh: Set<string>;
  at: number;
}
