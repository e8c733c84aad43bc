/**
 * The typed models of a content package, as the player and the author pages use them. Everything is
 * plain JSON data (stored as a JSON string on the version, so no key ever meets FerretDB's limits).
 */

export type PackageFormat = 'scorm12' | 'scorm2004' | 'xapi' | 'cmi5';

// ---------------------------------------------------------------- SCORM (CAM 1.2 and 2004 CAM 3.x)

/** IMS Simple Sequencing of one activity (SCORM 2004 SN 5.x), kept as data for the player. */
export interface SequencingRuleCondition {
  condition: string;
  operator: 'noOp' | 'not';
  referencedObjective?: string;
  measureThreshold?: number;
}
export interface SequencingRule {
  conditionCombination: 'all' | 'any';
  conditions: SequencingRuleCondition[];
  action: string;
}
export interface RollupRule {
  childActivitySet: string;
  minimumCount?: number;
  /** IMS SS minimumPercent, a fraction 0–1 as the manifest writes it. */
  minimumPercent?: number;
  /** IMS SS default is "any" for rollupConditions; versions stored before that fix hold "all" here. */
  conditionCombination: 'all' | 'any';
  conditions: Array<{ condition: string; operator: 'noOp' | 'not' }>;
  action: string;
}
export interface ObjectiveMapInfo {
  targetObjectiveID: string;
  readSatisfiedStatus: boolean;
  readNormalizedMeasure: boolean;
  writeSatisfiedStatus: boolean;
  writeNormalizedMeasure: boolean;
  /** adlseq:mapInfo (4th edition) extends the map to completion, progress and raw/min/max scores. */
  extended?: Record<string, boolean>;
}
export interface SequencingObjective {
  objectiveID: string;
  primary: boolean;
  satisfiedByMeasure: boolean;
  minNormalizedMeasure?: number;
  mapInfo: ObjectiveMapInfo[];
}
export interface Sequencing {
  /** IDRef into the manifest's sequencingCollection, already merged into the fields below. */
  idRef?: string;
  controlMode?: Record<string, boolean>;
  preConditionRules: SequencingRule[];
  exitConditionRules: SequencingRule[];
  postConditionRules: SequencingRule[];
  /**
   * imsss:limitConditions. SCORM 2004 (CAM 4th ed. 5.1.4) asks only for attemptLimit and
   * attemptAbsoluteDurationLimit; the other IMS SS attributes are kept so the report can name them.
   */
  limitConditions?: {
    attemptLimit?: number;
    attemptAbsoluteDurationLimit?: string;
    attemptExperiencedDurationLimit?: string;
    activityAbsoluteDurationLimit?: string;
    activityExperiencedDurationLimit?: string;
    beginTimeLimit?: string;
    endTimeLimit?: string;
  };
  rollupRules?: {
    rollupObjectiveSatisfied: boolean;
    rollupProgressCompletion: boolean;
    objectiveMeasureWeight: number;
    rules: RollupRule[];
  };
  objectives: SequencingObjective[];
  randomizationControls?: { randomizationTiming?: string; selectCount?: number; reorderChildren?: boolean; selectionTiming?: string };
  deliveryControls?: { tracked: boolean; completionSetByContent: boolean; objectiveSetByContent: boolean };
  /** adlseq:constrainedChoiceConsiderations (4th ed.). */
  constrainedChoiceConsiderations?: { preventActivation: boolean; constrainChoice: boolean };
  /** adlseq:rollupConsiderations: requiredFor* tokens and measureSatisfactionIfActive, as written. */
  rollupConsiderations?: Record<string, string | boolean>;
  /** imsss:auxiliaryResources (IMS SS; SCORM does not require LMS support). */
  auxiliaryResources?: Array<{ auxiliaryResourceID: string; purpose: string }>;
}

export interface CompletionThreshold {
  completedByMeasure: boolean;
  minProgressMeasure: number;
  progressWeight: number;
}

export interface ScormItem {
  identifier: string;
  title: string;
  identifierref?: string;
  /** Appended to the resource's href at launch (CAM 2004 3.4.1.12 / IMS CP parameters). */
  parameters?: string;
  isvisible: boolean;
  /** SCORM 1.2 adlcp:masteryscore (0–100). */
  masteryScore?: number;
  dataFromLms?: string;
  maxTimeAllowed?: string;
  timeLimitAction?: string;
  /** SCORM 1.2 adlcp:prerequisites (AICC script), kept as text. */
  prerequisites?: string;
  completionThreshold?: CompletionThreshold;
  /** The objectives of the activity (from its sequencing), flattened for convenience. */
  objectives: SequencingObjective[];
  sequencing?: Sequencing;
  /** adlnav:presentation hideLMSUI values. */
  hideLmsUi?: string[];
  /** adlcp:data / adlcp:map (4th edition shared data). */
  sharedData?: Array<{ targetID: string; readSharedData: boolean; writeSharedData: boolean }>;
  children: ScormItem[];
}

export interface ScormOrganization {
  identifier: string;
  title: string;
  objectivesGlobalToSystem: boolean;
  sharedDataGlobalToSystem: boolean;
  sequencing?: Sequencing;
  items: ScormItem[];
}

export interface ScormResource {
  identifier: string;
  type: string;
  scormType: 'sco' | 'asset';
  href?: string;
  /** xml:base of the manifest, <resources> and the resource combined. */
  base: string;
  files: string[];
  dependencies: string[];
}

export interface ScormManifest {
  kind: 'scorm';
  format: 'scorm12' | 'scorm2004';
  /** 2004 edition: 2 (CAM 1.3), 3 or 4; undefined for 1.2. */
  edition?: 2 | 3 | 4;
  schemaversion?: string;
  identifier: string;
  title: string;
  defaultOrganization?: string;
  organizations: ScormOrganization[];
  resources: ScormResource[];
}

// ---------------------------------------------------------------- cmi5 (cmi5 §13 course structure)

export interface LangString {
  lang: string;
  value: string;
}
export type MoveOn = 'Passed' | 'Completed' | 'CompletedAndPassed' | 'CompletedOrPassed' | 'NotApplicable';

export interface Cmi5Au {
  type: 'au';
  id: string;
  title: string;
  titles: LangString[];
  description: string;
  url: string;
  launchMethod: 'AnyWindow' | 'OwnWindow';
  moveOn: MoveOn;
  masteryScore?: number;
  launchParameters?: string;
  entitlementKey?: string;
  activityType?: string;
  objectives: string[];
}
export interface Cmi5Block {
  type: 'block';
  id: string;
  title: string;
  titles: LangString[];
  description: string;
  objectives: string[];
  children: Array<Cmi5Block | Cmi5Au>;
}
export interface Cmi5Course {
  kind: 'cmi5';
  format: 'cmi5';
  id: string;
  title: string;
  titles: LangString[];
  description: string;
  objectives: Array<{ id: string; title: string; description: string }>;
  /** Blocks and AUs in document order. */
  children: Array<Cmi5Block | Cmi5Au>;
}

// ---------------------------------------------------------------- xAPI (tincan.xml)

export interface TincanActivity {
  id: string;
  type?: string;
  name: string;
  description: string;
  launch?: string;
  launchLang?: string;
}
export interface TincanPackage {
  kind: 'tincan';
  format: 'xapi';
  title: string;
  activities: TincanActivity[];
  /** The id of the activity with a <launch> element (the first one when several have one). */
  launchActivityId: string;
}

export type PackageManifest = ScormManifest | Cmi5Course | TincanPackage;

/** Something the player can launch, with the href relative to the package root. */
export interface Launchable {
  /** SCORM item identifier, cmi5 AU id, or xAPI activity id. */
  id: string;
  title: string;
  /** Relative path inside the package with parameters applied; an absolute URL for external cmi5 AUs. */
  href: string;
  /** SCORM resource identifier / scormType; cmi5 AU details; absent for xAPI. */
  resourceId?: string;
  scormType?: 'sco' | 'asset';
  masteryScore?: number;
  moveOn?: MoveOn;
  launchMethod?: 'AnyWindow' | 'OwnWindow';
  launchParameters?: string;
  entitlementKey?: string;
  dataFromLms?: string;
}

// ---------------------------------------------------------------- validation report

export type Severity = 'error' | 'warning';
export interface ReportEntry {
  severity: Severity;
  /** Stable code, e.g. "zip-slip", "launch-missing"; the message key is content:report.<code>. */
  code: string;
  /** The German message. */
  message: string;
  /** The English message. */
  messageEn: string;
  /** Where in the package: an entry name or "imsmanifest.xml, item i1". */
  where?: string;
  /** The rule of the standard the entry enforces, e.g. "cmi5 13.1.4.0-2" (a requirement id of the cmi5 spec). */
  rule?: string;
  params: Record<string, string | number>;
}
export interface ValidationReport {
  ok: boolean;
  format?: PackageFormat;
  errors: ReportEntry[];
  warnings: ReportEntry[];
}

/** One file of a stored version (from the zip's central directory). */
export interface PackageFile {
  path: string;
  size: number;
  crc32: number;
}
