import type {
  ActivitySettings,
  ObjectiveMapInfoSettings,
  ObjectiveSettings,
  RollupRuleSettings,
  SequencingControlsSettings,
  SequencingRuleSettings,
  SequencingSettings,
} from '../../../node_modules/scorm-again/dist/types/types/sequencing_types.d.ts';
// (why this path: src/player/sequencing/scorm-again-types.ts)
import type {
  ObjectiveMapInfo,
  RollupRule,
  ScormItem,
  ScormManifest,
  ScormOrganization,
  Sequencing,
  SequencingObjective,
  SequencingRule,
} from '../../content/types.ts';

export type { ActivitySettings, SequencingSettings };

/**
 * The stored SCORM 2004 manifest as scorm-again's activity tree (SN book 3.x; CAM 4th ed. 5).
 *
 * Every control is passed explicitly with the IMS SS / SCORM default when the manifest leaves it
 * out: the engine's own defaults are not the standard's (its flow defaults to true), and an absent
 * attribute must never reach it as `undefined`. Sequencing collections are already merged into each
 * item by the content parser (an item's own elements replace the referenced ones, CAM 5.1.1), so no
 * `collections` are handed over: the engine would add a referenced rollup rule to the item's own
 * instead of replacing it.
 */
export function activityTreeSettings(manifest: ScormManifest): SequencingSettings {
  const org = defaultOrganization(manifest);
  if (!org) return {};
  return {
    activityTree: {
      ...activity(org.identifier, org.title, org.sequencing),
      children: org.items.map(itemActivity),
    },
  };
}

/** The organization the player plays: the default one, else the first (CAM 3.4.1.4). */
export function defaultOrganization(manifest: ScormManifest): ScormOrganization | undefined {
  return manifest.organizations.find((o) => o.identifier === manifest.defaultOrganization) ?? manifest.organizations[0];
}

function itemActivity(item: ScormItem): ActivitySettings {
  const a: ActivitySettings = { ...activity(item.identifier, item.title, item.sequencing), isVisible: item.isvisible !== false };
  if (item.completionThreshold) {
    const ct = item.completionThreshold;
    a.completionThreshold = {
      completedByMeasure: ct.completedByMeasure === true,
      minProgressMeasure: finite(ct.minProgressMeasure, 1),
      progressWeight: finite(ct.progressWeight, 1),
    };
  }
  const hide = (item.hideLmsUi ?? []).filter(isHideToken);
  if (hide.length) a.hideLmsUi = hide;
  if (item.sharedData?.length) {
    a.sharedDataMaps = item.sharedData
      .filter((m) => m.targetID)
      .map((m) => ({ targetID: m.targetID, readSharedData: m.readSharedData !== false, writeSharedData: m.writeSharedData !== false }));
  }
  // kept on the activity (the engine's content activity data); scorm-again does not seed
  // cmi.time_limit_action (RTE 4.2.26) from it, so the player sets that one itself
  if (item.timeLimitAction) a.timeLimitAction = item.timeLimitAction;
  if (item.children.length) a.children = item.children.map(itemActivity);
  return a;
}

/** What the organization and every item share: controls, rules, objectives, limits. */
function activity(id: string, title: string, seq: Sequencing | undefined): ActivitySettings {
  const a: ActivitySettings = { id, title, sequencingControls: controls(seq), deliveryControls: delivery(seq) };
  if (!seq) return a;
  const pre = (seq.preConditionRules ?? []).map(sequencingRule);
  const exit = (seq.exitConditionRules ?? []).map(sequencingRule);
  const post = (seq.postConditionRules ?? []).map(sequencingRule);
  if (pre.length || exit.length || post.length) a.sequencingRules = { preConditionRules: pre, exitConditionRules: exit, postConditionRules: post };
  const rollup = (seq.rollupRules?.rules ?? []).map(rollupRule);
  if (rollup.length) a.rollupRules = { rules: rollup };
  if (seq.rollupConsiderations) a.rollupConsiderations = rollupConsiderations(seq.rollupConsiderations);
  const lc = seq.limitConditions;
  if (lc?.attemptLimit !== undefined && Number.isInteger(lc.attemptLimit) && lc.attemptLimit > 0) a.attemptLimit = lc.attemptLimit;
  // The duration limits are not handed over: scorm-again 3.4.3 compares attemptAbsoluteDurationLimit
  // with itself (its attemptAbsoluteDuration getter returns the limit), so such an activity could
  // never be delivered; the others it does not implement. The import report warns of each.
  if (lc?.beginTimeLimit && isDateTime(lc.beginTimeLimit)) a.beginTimeLimit = lc.beginTimeLimit;
  if (lc?.endTimeLimit && isDateTime(lc.endTimeLimit)) a.endTimeLimit = lc.endTimeLimit;
  const objectives = seq.objectives ?? [];
  const primary = objectives.find((o) => o.primary);
  if (primary) {
    const p = objective(primary, id);
    if (p) a.primaryObjective = { ...p, isPrimary: true };
  }
  const secondary = objectives
    .filter((o) => !o.primary)
    .map((o) => objective(o, id))
    .filter((o): o is ObjectiveSettings => o !== undefined);
  if (secondary.length) a.objectives = secondary.map((o) => ({ ...o, isPrimary: false }));
  const aux = (seq.auxiliaryResources ?? []).filter((r) => r.auxiliaryResourceID && r.purpose);
  if (aux.length) a.auxiliaryResources = aux.map((r) => ({ resourceId: r.auxiliaryResourceID, purpose: r.purpose }));
  return a;
}

/** imsss:controlMode, constrainedChoiceConsiderations, rollupRules attributes, randomizationControls. */
function controls(seq: Sequencing | undefined): SequencingControlsSettings {
  const cm = seq?.controlMode ?? {};
  const flag = (k: string, d: boolean) => (typeof cm[k] === 'boolean' ? cm[k] : d);
  const rr = seq?.rollupRules;
  const rc = seq?.randomizationControls;
  const c: SequencingControlsSettings = {
    choice: flag('choice', true),
    choiceExit: flag('choiceExit', true),
    flow: flag('flow', false),
    forwardOnly: flag('forwardOnly', false),
    useCurrentAttemptObjectiveInfo: flag('useCurrentAttemptObjectiveInfo', true),
    useCurrentAttemptProgressInfo: flag('useCurrentAttemptProgressInfo', true),
    preventActivation: seq?.constrainedChoiceConsiderations?.preventActivation === true,
    constrainChoice: seq?.constrainedChoiceConsiderations?.constrainChoice === true,
    rollupObjectiveSatisfied: rr?.rollupObjectiveSatisfied !== false,
    rollupProgressCompletion: rr?.rollupProgressCompletion !== false,
    objectiveMeasureWeight: finite(rr?.objectiveMeasureWeight, 1),
    selectionTiming: timing(rc?.selectionTiming),
    randomizationTiming: timing(rc?.randomizationTiming),
    // the engine's `reorderChildren` is its "already reordered" state; the manifest's reorderChildren is its randomizeChildren
    randomizeChildren: rc?.reorderChildren === true,
  };
  if (rc?.selectCount !== undefined && Number.isInteger(rc.selectCount) && rc.selectCount >= 0) c.selectCount = rc.selectCount;
  return c;
}

function delivery(seq: Sequencing | undefined): NonNullable<ActivitySettings['deliveryControls']> {
  const dc = seq?.deliveryControls;
  return {
    tracked: dc?.tracked !== false,
    completionSetByContent: dc?.completionSetByContent === true,
    objectiveSetByContent: dc?.objectiveSetByContent === true,
  };
}

type Timing = NonNullable<SequencingControlsSettings['selectionTiming']>;
const timing = (v: string | undefined): Timing => (v === 'once' || v === 'onEachNewAttempt' ? v : 'never') as Timing;

function sequencingRule(r: SequencingRule): SequencingRuleSettings {
  return {
    action: r.action as SequencingRuleSettings['action'],
    conditionCombination: r.conditionCombination === 'any' ? 'any' : 'all',
    conditions: (r.conditions ?? []).map((c) => ({
      condition: c.condition as SequencingRuleSettings['conditions'][number]['condition'],
      ...(c.operator === 'not' ? { operator: 'not' as SequencingRuleSettings['conditions'][number]['operator'] } : {}),
      ...(c.referencedObjective ? { referencedObjective: c.referencedObjective } : {}),
      // objectiveMeasureGreaterThan/LessThan read the threshold from the condition's parameters
      ...(c.measureThreshold !== undefined ? { parameters: { threshold: c.measureThreshold } } : {}),
    })),
  };
}

/** IMS SS rollup condition tokens as the engine names them (its rollup conditions say progressKnown). */
const ROLLUP_CONDITION: Record<string, string> = { activityProgressKnown: 'progressKnown' };

function rollupRule(r: RollupRule): RollupRuleSettings {
  const s: RollupRuleSettings = {
    action: r.action as RollupRuleSettings['action'],
    consideration: (['all', 'any', 'none', 'atLeastCount', 'atLeastPercent'].includes(r.childActivitySet)
      ? r.childActivitySet
      : 'all') as RollupRuleSettings['consideration'],
    conditionCombination: (r.conditionCombination === 'all' ? 'all' : 'any') as RollupRuleSettings['conditionCombination'],
    conditions: (r.conditions ?? []).map((c) => ({
      condition: (ROLLUP_CONDITION[c.condition] ?? c.condition) as RollupRuleSettings['conditions'][number]['condition'],
      operator: (c.operator === 'not' ? 'not' : 'noOp') as RollupRuleSettings['conditions'][number]['operator'],
    })),
  };
  if (r.minimumCount !== undefined) s.minimumCount = r.minimumCount;
  // the manifest writes a fraction (0.0–1.0), the engine compares against a percentage
  if (r.minimumPercent !== undefined) s.minimumPercent = Math.min(100, Math.max(0, r.minimumPercent * 100));
  return s;
}

const REQUIRED_FOR = ['requiredForSatisfied', 'requiredForNotSatisfied', 'requiredForCompleted', 'requiredForIncomplete'] as const;
const REQUIREMENTS = new Set(['always', 'ifAttempted', 'ifNotSkipped', 'ifNotSuspended']);

function rollupConsiderations(rc: Record<string, string | boolean>): NonNullable<ActivitySettings['rollupConsiderations']> {
  const out: NonNullable<ActivitySettings['rollupConsiderations']> = {};
  for (const k of REQUIRED_FOR) {
    const v = rc[k];
    if (typeof v === 'string' && REQUIREMENTS.has(v)) out[k] = v as NonNullable<(typeof out)[typeof k]>;
  }
  if (typeof rc.measureSatisfactionIfActive === 'boolean') out.measureSatisfactionIfActive = rc.measureSatisfactionIfActive;
  return out;
}

/**
 * One objective with its maps. A primary objective without objectiveID (allowed when it has no
 * mapInfo) still carries satisfiedByMeasure; the engine drops objectives without an id, so such a
 * one gets the activity's id.
 */
function objective(o: SequencingObjective, activityId: string): ObjectiveSettings | undefined {
  const id = o.objectiveID || (o.primary && o.satisfiedByMeasure ? activityId : '');
  if (!id) return undefined;
  const s: ObjectiveSettings = { objectiveID: id, satisfiedByMeasure: o.satisfiedByMeasure === true };
  // IMS SS default minNormalizedMeasure is 1.0; it only matters where satisfiedByMeasure is true
  if (typeof o.minNormalizedMeasure === 'number' && Number.isFinite(o.minNormalizedMeasure)) s.minNormalizedMeasure = o.minNormalizedMeasure;
  else if (s.satisfiedByMeasure) s.minNormalizedMeasure = 1;
  const maps = (o.mapInfo ?? []).filter((m) => m.targetObjectiveID).map(mapInfo);
  if (maps.length) s.mapInfo = maps;
  return s;
}

const EXTENDED_MAP = [
  'readCompletionStatus',
  'writeCompletionStatus',
  'readProgressMeasure',
  'writeProgressMeasure',
  'readRawScore',
  'writeRawScore',
  'readMinScore',
  'writeMinScore',
  'readMaxScore',
  'writeMaxScore',
  'updateAttemptData',
] as const;
/** adlseq:mapInfo defaults (CAM 4th ed. 5.1.9.3): reads true, writes and updateAttemptData false. */
const extendedDefault = (k: (typeof EXTENDED_MAP)[number]) => k.startsWith('read');

function mapInfo(m: ObjectiveMapInfo): ObjectiveMapInfoSettings {
  const s: ObjectiveMapInfoSettings = {
    targetObjectiveID: m.targetObjectiveID,
    readSatisfiedStatus: m.readSatisfiedStatus !== false,
    readNormalizedMeasure: m.readNormalizedMeasure !== false,
    writeSatisfiedStatus: m.writeSatisfiedStatus === true,
    writeNormalizedMeasure: m.writeNormalizedMeasure === true,
  };
  // without an adlseq:mapInfo for this target nothing beyond satisfaction and measure is shared
  // (the engine would otherwise read completion and scores by its defaults)
  for (const k of EXTENDED_MAP) {
    const v = m.extended?.[k];
    s[k] = m.extended ? (typeof v === 'boolean' ? v : extendedDefault(k)) : false;
  }
  return s;
}

const HIDE_TOKENS = new Set(['continue', 'previous', 'exit', 'exitAll', 'abandon', 'abandonAll', 'suspendAll']);
const isHideToken = (t: string): t is NonNullable<ActivitySettings['hideLmsUi']>[number] => HIDE_TOKENS.has(t);
const isDateTime = (v: string) => !Number.isNaN(Date.parse(v));
const finite = (v: number | undefined, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
