import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

/**
 * The player's collections. SCORM element names contain dots, so CMI data is stored as an array of
 * {k, v} pairs (docs/database.md), never as object keys.
 */
export interface CmiPair {
  k: string;
  v: string;
}

export type AttemptState = 'open' | 'suspended' | 'ended';
export type Success = 'unknown' | 'passed' | 'failed';

/** One attempt of a learner at a module: the xAPI registration of everything that happens in it. */
export interface AttemptDoc {
  _id: Types.ObjectId;
  learnerId: string;
  /** The learner's name at the attempt's start (the xAPI actor's name). */
  learnerName: string;
  /** The xAPI actor as JSON when it is not the platform account (the cmi5 test suite brings its own). */
  actorJson: string;
  moduleId: string;
  moduleSlug: string;
  versionId: string;
  format: string;
  number: number;
  registration: string;
  /**
   * An author's preview of a version (published or not): it runs like any attempt but never counts
   * toward progress, never resumes from the dashboard and never marks the version as launched.
   */
  preview: boolean;
  state: AttemptState;
  completion: boolean;
  success: Success;
  /** Rolled-up satisfaction (cmi5 moveOn; SCORM: completed and, where judged, passed). */
  satisfied: boolean;
  scoreScaled: number | null;
  timeSpentSeconds: number;
  lastLaunchedAt: Date | null;
  createdAt: Date;
  endedAt: Date | null;
  /**
   * SCORM 2004: the sequencing engine's state (activity tree tracking, global objectives, selection
   * and randomisation), as scorm-again serializes it; null before the first navigation.
   */
  sequencingState: string | null;
  /** Bumped with every stored sequencing state: two writers never overwrite each other's. */
  sequencingRev: number;
}
const attemptSchema = new Schema<AttemptDoc>(
  {
    learnerId: { type: String, required: true },
    learnerName: { type: String, default: '' },
    actorJson: { type: String, default: '' },
    moduleId: { type: String, required: true },
    moduleSlug: { type: String, required: true },
    versionId: { type: String, required: true },
    format: { type: String, required: true },
    number: { type: Number, required: true },
    registration: { type: String, required: true, unique: true },
    preview: { type: Boolean, default: false },
    state: { type: String, required: true, default: 'open' },
    completion: { type: Boolean, default: false },
    success: { type: String, default: 'unknown' },
    satisfied: { type: Boolean, default: false },
    scoreScaled: { type: Number, default: null },
    timeSpentSeconds: { type: Number, default: 0 },
    lastLaunchedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
    sequencingState: { type: String, default: null },
    sequencingRev: { type: Number, default: 0 },
  },
  { collection: 'player_attempts' },
);
attemptSchema.index({ learnerId: 1, moduleId: 1, number: 1 }, { unique: true });

/** One launchable (SCO / AU / activity) inside an attempt: its CMI data and its tracked state. */
export interface ItemDoc {
  _id: Types.ObjectId;
  attemptId: string;
  itemId: string;
  cmi: CmiPair[];
  /** The newest commit applied: launch number within the item, then the commit sequence of that launch. */
  commitLaunchNo: number;
  commitSeq: number;
  launchCount: number;
  /** Total time before the current launch started (seconds); session_time is added to it. */
  baseTotalSeconds: number;
  completion: boolean;
  success: Success;
  successAt: Date | null;
  scoreScaled: number | null;
  answered: number;
  satisfied: boolean;
  waivedReason: string | null;
  /**
   * xAPI statements of applied commits that the LRS has not stored yet (JSON each): kept with the CMI
   * data they came from and sent again with the item's next commit (src/player/held-statements.ts).
   */
  heldStatements?: string[];
  updatedAt: Date;
}
const itemSchema = new Schema<ItemDoc>(
  {
    attemptId: { type: String, required: true },
    itemId: { type: String, required: true },
    cmi: { type: [{ _id: false, k: String, v: String }], default: [] },
    commitLaunchNo: { type: Number, default: 0 },
    commitSeq: { type: Number, default: 0 },
    launchCount: { type: Number, default: 0 },
    baseTotalSeconds: { type: Number, default: 0 },
    completion: { type: Boolean, default: false },
    success: { type: String, default: 'unknown' },
    successAt: { type: Date, default: null },
    scoreScaled: { type: Number, default: null },
    answered: { type: Number, default: 0 },
    satisfied: { type: Boolean, default: false },
    waivedReason: { type: String, default: null },
    heldStatements: { type: [String], default: undefined },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'player_items' },
);
itemSchema.index({ attemptId: 1, itemId: 1 }, { unique: true });

export type LaunchState = 'open' | 'terminated' | 'abandoned';

/** One launch (a session): the per-launch token authenticates commits and content file requests. */
export interface LaunchDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  sessionId: string;
  attemptId: string;
  registration: string;
  itemId: string;
  learnerId: string;
  versionId: string;
  format: string;
  launchNo: number;
  activityId: string;
  state: LaunchState;
  startedAt: Date;
  expiresAt: Date;
  durationSeconds: number;
  initialized: boolean;
  // cmi5 (§8.1, §9.x): the one-time fetch URL and what the session has seen
  fetchTokenHash: string | null;
  fetchUsedAt: Date | null;
  authorization: string | null;
  launchMode: string;
  passedOrFailed: boolean;
  /** cmi5 11.0.0.0-3: when the AU of this session asked for cmi5LearnerPreferences (it must before "initialized"). */
  preferencesReadAt: Date | null;
  endedAt: Date | null;
}
const launchSchema = new Schema<LaunchDoc>(
  {
    tokenHash: { type: String, required: true, unique: true },
    sessionId: { type: String, required: true, unique: true },
    attemptId: { type: String, required: true },
    registration: { type: String, required: true },
    itemId: { type: String, required: true },
    learnerId: { type: String, required: true },
    versionId: { type: String, required: true },
    format: { type: String, required: true },
    launchNo: { type: Number, required: true },
    activityId: { type: String, required: true },
    state: { type: String, default: 'open' },
    startedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    durationSeconds: { type: Number, default: 0 },
    initialized: { type: Boolean, default: false },
    fetchTokenHash: { type: String, default: null },
    fetchUsedAt: { type: Date, default: null },
    authorization: { type: String, default: null },
    launchMode: { type: String, default: 'Normal' },
    passedOrFailed: { type: Boolean, default: false },
    preferencesReadAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
  },
  { collection: 'player_launches' },
);
launchSchema.index({ attemptId: 1, startedAt: 1 });
launchSchema.index({ registration: 1, state: 1 });
launchSchema.index({ fetchTokenHash: 1 });

/** The projection the dashboard and trainer views read: one small record per learner and module. */
export interface ProgressDoc {
  learnerId: string;
  moduleId: string;
  moduleSlug: string;
  status: string;
  scorePercent: number | null;
  timeSpentSeconds: number;
  attempts: number;
  lastLaunchedAt: Date | null;
  /** The attempt that "Fortsetzen" resumes (open or suspended), if any. */
  resumableAttemptId: string | null;
  /** The version that attempt runs on: when a newer one is published the dashboard offers both. */
  resumableVersionId: string | null;
  updatedAt: Date;
}
const progressSchema = new Schema<ProgressDoc>(
  {
    learnerId: { type: String, required: true },
    moduleId: { type: String, required: true },
    moduleSlug: { type: String, required: true },
    status: { type: String, required: true },
    scorePercent: { type: Number, default: null },
    timeSpentSeconds: { type: Number, default: 0 },
    attempts: { type: Number, default: 0 },
    lastLaunchedAt: { type: Date, default: null },
    resumableAttemptId: { type: String, default: null },
    resumableVersionId: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'player_progress' },
);
progressSchema.index({ learnerId: 1, moduleId: 1 }, { unique: true });
progressSchema.index({ learnerId: 1, moduleSlug: 1 });
progressSchema.index({ moduleId: 1, status: 1 });

/**
 * A learner's SCORM 2004 global objectives and shared data stores that outlive an attempt
 * (adlseq:objectivesGlobalToSystem and adlcp:sharedDataGlobalToSystem, both true by default: SN
 * 3.10.2, CAM 4th Ed. 3.4.1.5). `value` is the engine's entry as JSON text; ids may hold dots.
 */
export interface LearnerGlobalDoc {
  _id: Types.ObjectId;
  learnerId: string;
  kind: 'objective' | 'data';
  key: string;
  value: string;
  updatedAt: Date;
}
const learnerGlobalSchema = new Schema<LearnerGlobalDoc>(
  {
    learnerId: { type: String, required: true },
    kind: { type: String, required: true },
    key: { type: String, required: true },
    value: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'player_learner_globals' },
);
learnerGlobalSchema.index({ learnerId: 1, kind: 1, key: 1 }, { unique: true });

/** Markers of one-off maintenance the player has done on this database (e.g. the rule its records follow). */
export interface PlayerMetaDoc {
  _id: string;
  version: number;
  doneAt: Date;
}
const playerMetaSchema = new Schema<PlayerMetaDoc>(
  { _id: { type: String, required: true }, version: { type: Number, required: true }, doneAt: { type: Date, required: true } },
  { collection: 'player_meta' },
);

export function playerModels(connection: Connection) {
  return {
    Attempt: defineModel(connection, 'PlayerAttempt', attemptSchema),
    Item: defineModel(connection, 'PlayerItem', itemSchema),
    Launch: defineModel(connection, 'PlayerLaunch', launchSchema),
    Progress: defineModel(connection, 'PlayerProgress', progressSchema),
    LearnerGlobal: defineModel(connection, 'PlayerLearnerGlobal', learnerGlobalSchema),
    Meta: defineModel(connection, 'PlayerMeta', playerMetaSchema),
  };
}
export type PlayerModels = ReturnType<typeof playerModels>;
