import type { ObjectiveMapInfo, RollupRule, ScormItem, ScormOrganization, Sequencing, SequencingObjective, SequencingRule } from './types.ts';
import { boolAttr, child, childrenNamed, numAttr, type XmlElement } from './xml.ts';

/** IMS Simple Sequencing as used by SCORM 2004 (SN book, section 5); defaults from the IMS SS schema. */

const boolAttrs = (el: XmlElement | undefined, defaults: Record<string, boolean>) =>
  Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, boolAttr(el, k, d)]));

const operator = (el: XmlElement): 'noOp' | 'not' => (el.attrs.operator === 'not' ? 'not' : 'noOp');
/** IMS SS defaults differ: ruleConditions combine "all", rollupConditions "any". */
const combination = (el: XmlElement | undefined, fallback: 'all' | 'any'): 'all' | 'any' => {
  const v = el?.attrs.conditionCombination;
  return v === 'any' || v === 'all' ? v : fallback;
};

function rules(container: XmlElement | undefined, name: string): SequencingRule[] {
  return childrenNamed(container, name).map((rule) => {
    const conds = child(rule, 'ruleConditions');
    return {
      conditionCombination: combination(conds, 'all'),
      conditions: childrenNamed(conds, 'ruleCondition').map((c) => ({
        condition: c.attrs.condition ?? '',
        operator: operator(c),
        ...(c.attrs.referencedObjective ? { referencedObjective: c.attrs.referencedObjective } : {}),
        ...(numAttr(c, 'measureThreshold') !== undefined ? { measureThreshold: numAttr(c, 'measureThreshold') } : {}),
      })),
      action: child(rule, 'ruleAction')?.attrs.action ?? '',
    };
  });
}

function rollupRules(el: XmlElement): NonNullable<Sequencing['rollupRules']> {
  return {
    rollupObjectiveSatisfied: boolAttr(el, 'rollupObjectiveSatisfied', true),
    rollupProgressCompletion: boolAttr(el, 'rollupProgressCompletion', true),
    objectiveMeasureWeight: numAttr(el, 'objectiveMeasureWeight') ?? 1,
    rules: childrenNamed(el, 'rollupRule').map((r): RollupRule => {
      const conds = child(r, 'rollupConditions');
      return {
        childActivitySet: r.attrs.childActivitySet ?? 'all',
        ...(numAttr(r, 'minimumCount') !== undefined ? { minimumCount: numAttr(r, 'minimumCount') } : {}),
        ...(numAttr(r, 'minimumPercent') !== undefined ? { minimumPercent: numAttr(r, 'minimumPercent') } : {}),
        conditionCombination: combination(conds, 'any'),
        conditions: childrenNamed(conds, 'rollupCondition').map((c) => ({ condition: c.attrs.condition ?? '', operator: operator(c) })),
        action: child(r, 'rollupAction')?.attrs.action ?? '',
      };
    }),
  };
}

function mapInfo(el: XmlElement): ObjectiveMapInfo {
  return {
    targetObjectiveID: el.attrs.targetObjectiveID ?? '',
    readSatisfiedStatus: boolAttr(el, 'readSatisfiedStatus', true),
    readNormalizedMeasure: boolAttr(el, 'readNormalizedMeasure', true),
    writeSatisfiedStatus: boolAttr(el, 'writeSatisfiedStatus', false),
    writeNormalizedMeasure: boolAttr(el, 'writeNormalizedMeasure', false),
  };
}

function objective(el: XmlElement, primary: boolean): SequencingObjective {
  const min = child(el, 'minNormalizedMeasure')?.text;
  return {
    objectiveID: el.attrs.objectiveID ?? '',
    primary,
    satisfiedByMeasure: boolAttr(el, 'satisfiedByMeasure', false),
    ...(min !== undefined && min !== '' && Number.isFinite(Number(min)) ? { minNormalizedMeasure: Number(min) } : {}),
    mapInfo: childrenNamed(el, 'mapInfo').map(mapInfo),
  };
}

/** imsss:objectives has a primaryObjective; adlseq:objectives (4th ed.) only extends mapInfo. */
function objectives(seq: XmlElement): SequencingObjective[] {
  const all = childrenNamed(seq, 'objectives');
  const imsss = all.find((o) => child(o, 'primaryObjective'));
  const list: SequencingObjective[] = imsss
    ? [...childrenNamed(imsss, 'primaryObjective').map((o) => objective(o, true)), ...childrenNamed(imsss, 'objective').map((o) => objective(o, false))]
    : [];
  for (const adl of all.filter((o) => o !== imsss)) {
    for (const o of childrenNamed(adl, 'objective')) {
      const target = list.find((x) => x.objectiveID === o.attrs.objectiveID);
      if (!target) continue;
      for (const m of childrenNamed(o, 'mapInfo')) {
        const extended = Object.fromEntries(
          Object.entries(m.attrs)
            .filter(([k]) => k !== 'targetObjectiveID')
            .map(([k, v]) => [k, v === 'true']),
        );
        const existing = target.mapInfo.find((x) => x.targetObjectiveID === m.attrs.targetObjectiveID);
        if (existing) existing.extended = extended;
        // an adlseq map alone shares only the 4th edition fields, not satisfaction or measure
        else
          target.mapInfo.push({
            targetObjectiveID: m.attrs.targetObjectiveID ?? '',
            readSatisfiedStatus: false,
            readNormalizedMeasure: false,
            writeSatisfiedStatus: false,
            writeNormalizedMeasure: false,
            extended,
          });
      }
    }
  }
  return list;
}

const LIMIT_TEXT_ATTRS = [
  'attemptAbsoluteDurationLimit',
  'attemptExperiencedDurationLimit',
  'activityAbsoluteDurationLimit',
  'activityExperiencedDurationLimit',
  'beginTimeLimit',
  'endTimeLimit',
] as const;

/** Parses one imsss:sequencing element; `shared` is the sequencingCollection entry it refers to. */
export function parseSequencing(seq: XmlElement, shared?: Sequencing): Sequencing {
  const own: Sequencing = {
    ...(seq.attrs.IDRef ? { idRef: seq.attrs.IDRef } : {}),
    preConditionRules: rules(child(seq, 'sequencingRules'), 'preConditionRule'),
    exitConditionRules: rules(child(seq, 'sequencingRules'), 'exitConditionRule'),
    postConditionRules: rules(child(seq, 'sequencingRules'), 'postConditionRule'),
    objectives: objectives(seq),
  };
  const cm = child(seq, 'controlMode');
  if (cm) {
    own.controlMode = boolAttrs(cm, {
      choice: true,
      choiceExit: true,
      flow: false,
      forwardOnly: false,
      useCurrentAttemptObjectiveInfo: true,
      useCurrentAttemptProgressInfo: true,
    });
  }
  const lc = child(seq, 'limitConditions');
  if (lc) {
    const limits: NonNullable<Sequencing['limitConditions']> = {};
    if (numAttr(lc, 'attemptLimit') !== undefined) limits.attemptLimit = numAttr(lc, 'attemptLimit');
    for (const k of LIMIT_TEXT_ATTRS) if (lc.attrs[k]?.trim()) limits[k] = lc.attrs[k].trim();
    own.limitConditions = limits;
  }
  const rr = child(seq, 'rollupRules');
  if (rr) own.rollupRules = rollupRules(rr);
  const rc = child(seq, 'randomizationControls');
  if (rc) {
    own.randomizationControls = {
      ...(rc.attrs.randomizationTiming ? { randomizationTiming: rc.attrs.randomizationTiming } : {}),
      ...(numAttr(rc, 'selectCount') !== undefined ? { selectCount: numAttr(rc, 'selectCount') } : {}),
      reorderChildren: boolAttr(rc, 'reorderChildren', false),
      ...(rc.attrs.selectionTiming ? { selectionTiming: rc.attrs.selectionTiming } : {}),
    };
  }
  const dc = child(seq, 'deliveryControls');
  if (dc) {
    own.deliveryControls = {
      tracked: boolAttr(dc, 'tracked', true),
      completionSetByContent: boolAttr(dc, 'completionSetByContent', false),
      objectiveSetByContent: boolAttr(dc, 'objectiveSetByContent', false),
    };
  }
  const ccc = child(seq, 'constrainedChoiceConsiderations');
  if (ccc)
    own.constrainedChoiceConsiderations = {
      preventActivation: boolAttr(ccc, 'preventActivation', false),
      constrainChoice: boolAttr(ccc, 'constrainChoice', false),
    };
  const aux = childrenNamed(child(seq, 'auxiliaryResources'), 'auxiliaryResource');
  if (aux.length) own.auxiliaryResources = aux.map((a) => ({ auxiliaryResourceID: a.attrs.auxiliaryResourceID ?? '', purpose: a.attrs.purpose ?? '' }));
  const rcons = child(seq, 'rollupConsiderations');
  if (rcons) own.rollupConsiderations = Object.fromEntries(Object.entries(rcons.attrs).map(([k, v]) => [k, v === 'true' ? true : v === 'false' ? false : v]));
  if (!shared) return own;
  // the item's own elements override the shared definition, element by element
  return {
    ...shared,
    ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))),
    preConditionRules: own.preConditionRules.length ? own.preConditionRules : shared.preConditionRules,
    exitConditionRules: own.exitConditionRules.length ? own.exitConditionRules : shared.exitConditionRules,
    postConditionRules: own.postConditionRules.length ? own.postConditionRules : shared.postConditionRules,
    objectives: own.objectives.length ? own.objectives : shared.objectives,
  } as Sequencing;
}

// ---------------------------------------------------------------- what the player's engine does not honour

const DURATION_LIMITS = [
  'attemptAbsoluteDurationLimit',
  'attemptExperiencedDurationLimit',
  'activityAbsoluteDurationLimit',
  'activityExperiencedDurationLimit',
] as const;
type Warn = (code: string, params: Record<string, string | number>, where: string) => void;

/**
 * Warns about the sequencing of the played (default) organization that the player's SN engine
 * (scorm-again 3.4.3, run on the server) does not carry out as the SN book says, so an author
 * hears of it at import instead of wondering later ("never silence", issue #14):
 * - duration limits: the engine counts an activity with attemptAbsoluteDurationLimit as over its
 *   limit before its first attempt, so the limit is not passed on; the other duration limits and
 *   timeLimitExceeded conditions are not implemented (SN UP.1; CAM 5.1.4);
 * - selection and randomization "onEachNewAttempt": the engine draws only after it has picked the
 *   cluster's first child, which is then always delivered (SN SR.1/SR.2);
 * - constrainChoice / preventActivation: the engine refuses every choice between children of the
 *   constrained cluster, also the logically next and previous ones (SN SB.2.9).
 * (The measure rollup carries our fix, scripts/dependency-patches; global objectives and shared data
 * outlive the attempt where the organization says so, src/player/sequencing/sequencer.ts.)
 */
export function reportUnhonouredSequencing(org: ScormOrganization, warn: Warn): void {
  const check = (kind: 'organization' | 'item', id: string, s: Sequencing | undefined, children: ScormItem[]) => {
    const where = `imsmanifest.xml, ${kind} ${id}`;
    for (const attr of DURATION_LIMITS) {
      const value = s?.limitConditions?.[attr];
      if (value) warn('sequencing-duration-limit', { id, attr, value }, where);
    }
    const conditions = new Set<string>();
    for (const r of [...(s?.preConditionRules ?? []), ...(s?.exitConditionRules ?? []), ...(s?.postConditionRules ?? [])]) {
      for (const c of r.conditions) if (c.condition === 'timeLimitExceeded') conditions.add(c.condition);
    }
    for (const r of s?.rollupRules?.rules ?? []) {
      for (const c of r.conditions) if (c.condition === 'timeLimitExceeded' || c.condition === 'outsideAvailableTimeRange') conditions.add(c.condition);
    }
    for (const condition of conditions) warn('sequencing-time-condition', { id, condition }, where);
    if (children.length > 1) {
      const rc = s?.randomizationControls;
      const selects = rc?.selectionTiming === 'onEachNewAttempt' && rc.selectCount !== undefined && rc.selectCount < children.length;
      const shuffles = rc?.randomizationTiming === 'onEachNewAttempt' && rc.reorderChildren === true;
      if (selects || shuffles) warn('sequencing-random-each-attempt', { id }, where);
      for (const attr of ['constrainChoice', 'preventActivation'] as const) {
        if (s?.constrainedChoiceConsiderations?.[attr]) warn('sequencing-constrained-choice', { id, attr }, where);
      }
    }
    for (const c of children) check('item', c.identifier, c.sequencing, c.children);
  };
  check('organization', org.identifier, org.sequencing, org.items);
}
