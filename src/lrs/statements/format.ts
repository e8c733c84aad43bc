import { isPlainObject } from '../validation/formats.ts';
import { identifyingPart } from './identity.ts';

/**
 * The three result formats of GET /statements (Communication §2.1.3): `exact` as stored, `ids` with
 * agents, groups and activities reduced to their identifiers, `canonical` with one language per
 * language map, chosen by Accept-Language.
 */
type Json = Record<string, unknown>;

function idsActor(a: unknown): unknown {
  return isPlainObject(a) ? identifyingPart(a as never) : a;
}

function idsObject(o: unknown): unknown {
  if (!isPlainObject(o)) return o;
  const type = o.objectType ?? 'Activity';
  if (type === 'Activity') return { id: o.id };
  if (type === 'Agent' || type === 'Group') return idsActor(o);
  if (type === 'SubStatement') return idsStatement(o);
  return o;
}

function idsContext(c: unknown): unknown {
  if (!isPlainObject(c)) return c;
  const out: Json = { ...c };
  if (c.instructor) out.instructor = idsActor(c.instructor);
  if (c.team) out.team = idsActor(c.team);
  // 9274.1.1 §4.2.2.5: the agents and groups of contextAgents/contextGroups are reduced like any other
  if (Array.isArray(c.contextAgents)) out.contextAgents = c.contextAgents.map((x: unknown) => (isPlainObject(x) ? { ...x, agent: idsActor(x.agent) } : x));
  if (Array.isArray(c.contextGroups)) out.contextGroups = c.contextGroups.map((x: unknown) => (isPlainObject(x) ? { ...x, group: idsActor(x.group) } : x));
  if (isPlainObject(c.contextActivities)) {
    out.contextActivities = Object.fromEntries(Object.entries(c.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v.map(idsObject) : idsObject(v)]));
  }
  return out;
}

function idsStatement(s: Json): Json {
  const out: Json = { ...s, actor: idsActor(s.actor), object: idsObject(s.object) };
  if (isPlainObject(s.verb)) out.verb = { id: s.verb.id };
  if (s.authority) out.authority = idsActor(s.authority);
  if (s.context) out.context = idsContext(s.context);
  return out;
}

/** Picks the best language of a map for the caller's Accept-Language preferences. */
function pickLanguage(map: Json, preferred: string[]): Json {
  const tags = Object.keys(map);
  if (tags.length <= 1) return map;
  for (const want of preferred) {
    if (want === '*') break;
    const exact = tags.find((t) => t.toLowerCase() === want);
    if (exact) return { [exact]: map[exact] };
    const prefix = tags.find((t) => t.toLowerCase().split('-')[0] === want.split('-')[0]);
    if (prefix) return { [prefix]: map[prefix] };
  }
  const fallback = tags.find((t) => t.toLowerCase().startsWith('en')) ?? tags[0]!;
  return { [fallback]: map[fallback] };
}

const LANGUAGE_MAP_KEYS = new Set(['display', 'name', 'description']);

function canonicalValue(v: unknown, preferred: string[], parentKey: string): unknown {
  if (Array.isArray(v)) return v.map((x) => canonicalValue(x, preferred, parentKey));
  if (!isPlainObject(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'extensions') out[k] = x;
    else if (LANGUAGE_MAP_KEYS.has(k) && isPlainObject(x) && Object.values(x).every((s) => typeof s === 'string') && !(k === 'name' && parentKey === 'actor')) {
      out[k] = pickLanguage(x, preferred);
    } else out[k] = canonicalValue(x, preferred, k);
  }
  return out;
}

/** Accept-Language as an ordered list of lower-case tags. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}

export function formatStatement(s: Json, format: 'ids' | 'exact' | 'canonical', languages: string[]): Json {
  if (format === 'ids') return idsStatement(s);
  if (format === 'canonical') return canonicalValue(s, languages, '') as Json;
  return s;
}
