import type { Clock } from '../../shared/clock.ts';
import type { Activity, Statement } from '../types.ts';
import { isPlainObject } from '../validation/formats.ts';
import type { createActivityStore } from './activity-store.ts';

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
    if (isPlainObject(o) && (o.objectType ?? 'Activity') === 'Activity' && typeof o.id === 'string' && isPlainObject(o.definition))
      out.push(o as unknown as Activity);
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
 * Up to this many activities missing from the cache are read with a write each after the insert
 * (insertDefinitionIfNew: read and first write in one round trip); more are read in one query while
 * the statements are inserted and written in one bulk write (a batch naming many activities).
 */
const ONE_BY_ONE = 4;

/**
 * The Activities resource's definitions, merged from every statement that defines an activity, and
 * written only when a statement changes one. Content sends the same definition with every statement,
 * so the definitions this process read or wrote in the last minute are kept: a statement that changes
 * nothing in them costs no read of lrs_activities. Another instance's change is seen at the latest
 * when the entry expires; the read-merge-write was never atomic across requests (no transactions,
 * database.md), so this widens an existing last-writer-wins window, it does not open one.
 */
export function createActivityDefinitions(deps: { repo: ActivityRepository; clock: Clock }) {
  const cache = new Map<string, { json: string; at: number }>();
  const remember = (id: string, json: string, at: number) => {
    cache.delete(id);
    cache.set(id, { json, at });
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  };

  /** The definitions the statements give each activity, merged onto `base` in statement order. */
  function merged(defined: Activity[], base: (id: string) => string | undefined): Map<string, Record<string, unknown>> {
    const next = new Map<string, Record<string, unknown>>();
    for (const a of defined) {
      const before = next.get(a.id) ?? (base(a.id) !== undefined ? (JSON.parse(base(a.id)!) as Record<string, unknown>) : {});
      next.set(a.id, mergeDefinition(before, a.definition as Record<string, unknown>));
    }
    return next;
  }

  return {
    /**
     * What is known of the activities these statements define: from the cache; the rest, when there
     * are many, read from the database (the store starts this while it inserts the statements: it
     * reads nothing they write), else left to `write`.
     */
    async read(statements: Statement[]): Promise<KnownDefinitions> {
      const now = deps.clock.now().getTime();
      const known = new Map<string, string>();
      const unknown: string[] = [];
      for (const id of new Set(statements.flatMap(definedActivities).map((a) => a.id))) {
        const hit = cache.get(id);
        if (hit && hit.at + CACHE_MS > now) known.set(id, hit.json);
        else unknown.push(id);
      }
      if (unknown.length <= ONE_BY_ONE) return { known, fresh: new Set(), deferred: new Set(unknown), at: now };
      for (const [id, json] of await deps.repo.getActivityDefinitions(unknown)) known.set(id, json);
      return { known, fresh: new Set(unknown), deferred: new Set(), at: now };
    },

    /** Merges the definitions of the stored statements into what is stored and writes those that changed. */
    async write(statements: Statement[], read: KnownDefinitions): Promise<void> {
      const defined = statements.flatMap(definedActivities);
      if (!defined.length) return;
      const known = new Map(read.known);
      const fresh = new Set(read.fresh);
      const firstGuess = merged(defined, (id) => known.get(id));
      // the deferred ones: stored as they are here unless the activity has a definition already
      await Promise.all(
        [...read.deferred]
          .filter((id) => firstGuess.has(id))
          .map(async (id) => {
            const json = JSON.stringify(firstGuess.get(id));
            known.set(id, (await deps.repo.insertDefinitionIfNew(id, json)) ?? json);
            fresh.add(id);
          }),
      );
      const next = read.deferred.size ? merged(defined, (id) => known.get(id)) : firstGuess;
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
        remember(id, json, changed.has(id) || fresh.has(id) || !hit ? read.at : hit.at);
      }
    },

    /** The Activities resource (Communication §2.5): the definition as stored, read from the database. */
    async activity(id: string): Promise<Activity> {
      const definition = await deps.repo.getActivityDefinition(id);
      return definition ? { objectType: 'Activity', id, definition: JSON.parse(definition) as Activity['definition'] } : { objectType: 'Activity', id };
    },
  };
}
export type ActivityDefinitions = ReturnType<typeof createActivityDefinitions>;

/** The lrs_activities operations the definitions need (statements/activity-store.ts). */
export type ActivityRepository = ReturnType<typeof createActivityStore>;

/**
 * What `read` found: definitions as stored (JSON), which of them came from the database just now,
 * and which it left to `write` to read with their first write.
 */
export interface KnownDefinitions {
  known: Map<string, string>;
  fresh: Set<string>;
  deferred: Set<string>;
  at: number;
}
