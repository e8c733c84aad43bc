import type { ContentVersion, Launchable } from './ports.ts';

/** What the player needs to know about one launchable, read from what the content component parsed. */
export interface ItemSettings {
  id: string;
  title: string;
  href: string;
  /** The tincan activity id; SCORM items and cmi5 AUs get an IRI made by the player. */
  activityId?: string;
  /** cmi5: the AU id of the course structure (the "publisher id", cmi5 §9.6.2.3). */
  publisherId?: string;
  /** SCORM 1.2 adlcp:masteryscore (0–100); cmi5 masteryScore (0–1). */
  masteryScore?: number;
  /** SCORM 2004 adlcp:completionThreshold (0–1). */
  completionThreshold?: number;
  /** SCORM 2004 imsss:minNormalizedMeasure with satisfiedByMeasure (−1–1). */
  scaledPassingScore?: number;
  /** SCORM 1.2 adlcp:datafromlms, 2004 adlcp:dataFromLMS → cmi.launch_data. */
  dataFromLms?: string;
  /** The item's manifest parameters, appended to href. */
  parameters?: string;
  // cmi5 (§13.1.4 AU metadata)
  moveOn?: 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';
  launchMethod?: 'AnyWindow' | 'OwnWindow';
  launchParameters?: string;
  entitlementKey?: string;
  /** cmi5 block ids from the course root down to this AU. */
  blockIds?: string[];
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const pick = (o: Record<string, unknown>, ...keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v !== undefined && v !== null);

/** The settings of one launchable; the field names the content parser might use are all accepted. */
export function itemSettings(l: Launchable): ItemSettings {
  const o = l as unknown as Record<string, unknown>;
  const blocks = pick(o, 'blockIds', 'blocks');
  return {
    id: l.id,
    title: l.title,
    href: l.href,
    activityId: str(pick(o, 'activityId', 'auId', 'iri')),
    masteryScore: num(pick(o, 'masteryScore', 'masteryscore', 'mastery_score')),
    completionThreshold: num(pick(o, 'completionThreshold', 'completion_threshold')),
    scaledPassingScore: num(pick(o, 'scaledPassingScore', 'minNormalizedMeasure', 'scaled_passing_score')),
    dataFromLms: str(pick(o, 'dataFromLms', 'dataFromLMS', 'datafromlms', 'launchData')),
    parameters: str(pick(o, 'parameters')),
    moveOn: str(pick(o, 'moveOn')) as ItemSettings['moveOn'],
    launchMethod: str(pick(o, 'launchMethod')) as ItemSettings['launchMethod'],
    launchParameters: str(pick(o, 'launchParameters')),
    entitlementKey: str(pick(o, 'entitlementKey')),
    blockIds: Array.isArray(blocks) ? blocks.map((b) => (typeof b === 'string' ? b : String((b as { id?: unknown }).id))) : undefined,
  };
}

type Obj = Record<string, unknown>;
/** The parsed manifest stored on a version (JSON text in newer versions, an object in older ones). */
export const manifestOf = (version: ContentVersion): Obj => {
  // read as plain JSON: versions stored before the typed manifest may hold it as text
  const m: unknown = version.manifest;
  if (typeof m === 'string') {
    try {
      return JSON.parse(m) as Obj;
    } catch {
      return {};
    }
  }
  return (m ?? {}) as Obj;
};

/** Every SCORM item of the default organization, in document order (the tree flattened). */
function scormItems(m: Obj): Obj[] {
  const orgs = (m.organizations ?? []) as Obj[];
  const org = orgs.find((o) => o.identifier === m.defaultOrganization) ?? orgs[0];
  const out: Obj[] = [];
  const walk = (items: Obj[]) => {
    for (const i of items) {
      out.push(i);
      walk((i.children ?? []) as Obj[]);
    }
  };
  walk((org?.items ?? []) as Obj[]);
  return out;
}

/**
 * The launchables of a version with what the manifest adds: SCORM 2004 completion threshold and
 * scaled passing score (CAM 2004: adlcp:completionThreshold, imsss:primaryObjective with
 * satisfiedByMeasure and minNormalizedMeasure), cmi5 blocks above each AU.
 */
export function versionItems(version: ContentVersion): ItemSettings[] {
  const m = manifestOf(version);
  const scorm = m.kind === 'scorm' ? new Map(scormItems(m).map((i) => [String(i.identifier), i])) : undefined;
  const blocksOf = new Map<string, string[]>();
  if (m.kind === 'cmi5') {
    const walk = (children: Obj[], path: string[]) => {
      for (const c of children) {
        if (c.type === 'block') walk((c.children ?? []) as Obj[], [...path, String(c.id)]);
        else blocksOf.set(String(c.id), path);
      }
    };
    walk((m.children ?? []) as Obj[], []);
  }
  return version.launchables.map((l) => {
    const s = itemSettings(l);
    const item = scorm?.get(l.id);
    if (item) {
      const ct = item.completionThreshold as { completedByMeasure?: boolean; minProgressMeasure?: number } | undefined;
      if (s.completionThreshold === undefined && ct?.completedByMeasure && typeof ct.minProgressMeasure === 'number')
        s.completionThreshold = ct.minProgressMeasure;
      const primary = ((item.objectives ?? []) as Obj[]).find((o) => o.primary);
      if (s.scaledPassingScore === undefined && primary?.satisfiedByMeasure && typeof primary.minNormalizedMeasure === 'number')
        s.scaledPassingScore = primary.minNormalizedMeasure;
      if (s.masteryScore === undefined && typeof item.masteryScore === 'number') s.masteryScore = item.masteryScore;
      if (s.dataFromLms === undefined && typeof item.dataFromLms === 'string') s.dataFromLms = item.dataFromLms;
    }
    if (m.kind === 'cmi5') {
      // cmi5 §8.1.5: the activityId of a launch is made by the LMS and never the AU's publisher id
      s.publisherId = l.id;
      s.blockIds ??= blocksOf.get(l.id) ?? [];
    }
    if (m.kind === 'tincan') s.activityId ??= l.id;
    return s;
  });
}

/** cmi5 blocks with the AUs below them (for "satisfied" of blocks, cmi5 §9.3.9). */
export function cmi5Blocks(version: ContentVersion): Array<{ id: string; auIds: string[] }> {
  const m = manifestOf(version);
  if (m.kind !== 'cmi5') return [];
  const out: Array<{ id: string; auIds: string[] }> = [];
  const walk = (children: Obj[]): string[] => {
    const aus: string[] = [];
    for (const c of children) {
      if (c.type === 'block') {
        const below = walk((c.children ?? []) as Obj[]);
        out.push({ id: String(c.id), auIds: below });
        aus.push(...below);
      } else aus.push(String(c.id));
    }
    return aus;
  };
  walk((m.children ?? []) as Obj[]);
  return out;
}

/** SCORM: the clusters above an item in the default organization, outermost first. */
export function scormAncestors(version: ContentVersion, itemId: string): Array<{ id: string; title: string }> {
  const m = manifestOf(version);
  if (m.kind !== 'scorm') return [];
  const orgs = (m.organizations ?? []) as Obj[];
  const org = orgs.find((o) => o.identifier === m.defaultOrganization) ?? orgs[0];
  const find = (items: Obj[], path: Array<{ id: string; title: string }>): Array<{ id: string; title: string }> | undefined => {
    for (const i of items) {
      if (i.identifier === itemId) return path;
      const below = find((i.children ?? []) as Obj[], [...path, { id: String(i.identifier), title: String(i.title ?? i.identifier) }]);
      if (below) return below;
    }
    return undefined;
  };
  return find((org?.items ?? []) as Obj[], []) ?? [];
}

/** The cmi5 course id (course/@id) when the content component parsed one. */
export function courseActivityId(version: ContentVersion): string | undefined {
  const m = manifestOf(version);
  return m.kind === 'cmi5' ? str(m.id) : undefined;
}
