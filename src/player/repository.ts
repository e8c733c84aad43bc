import type { Connection } from 'mongoose';
import { distinct } from '../shared/batch.ts';
import { isObjectId } from '../shared/object-id.ts';
import {
  playerModels,
  type AttemptDoc,
  type CmiPair,
  type ItemDoc,
  type LaunchDoc,
  type LearnerGlobalDoc,
  type LaunchState,
  type ProgressDoc,
  type Success,
} from './model.ts';
import { createSingleFlight } from '../shared/keyed-queue.ts';

export type Attempt = Omit<AttemptDoc, '_id'> & { id: string };
export type Item = Omit<ItemDoc, '_id'> & { id: string };
export type Launch = Omit<LaunchDoc, '_id'> & { id: string };

const withId = <T extends { _id: { toString(): string } }>(d: T): Omit<T, '_id'> & { id: string } => {
  const { _id, ...rest } = d;
  return { ...rest, id: _id.toString() };
};
/** Items as plain objects, with the defaults an upsert may not have written. */
const toItem = (d: ItemDoc): Item => ({
  ...withId(d),
  cmi: d.cmi ?? [],
  commitLaunchNo: d.commitLaunchNo ?? 0,
  commitSeq: d.commitSeq ?? 0,
  launchCount: d.launchCount ?? 0,
  baseTotalSeconds: d.baseTotalSeconds ?? 0,
  completion: d.completion ?? false,
  success: d.success ?? 'unknown',
  successAt: d.successAt ?? null,
  scoreScaled: d.scoreScaled ?? null,
  answered: d.answered ?? 0,
  satisfied: d.satisfied ?? false,
  waivedReason: d.waivedReason ?? null,
  heldStatements: d.heldStatements ?? [],
});
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** The only place that touches the player's collections; returns plain objects. */
export function createPlayerRepository(connection: Connection) {
  const { Attempt, Item, Launch, Progress, LearnerGlobal, Meta } = playerModels(connection);
  const sameRead = createSingleFlight();
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Attempt.syncIndexes(), Item.syncIndexes(), Launch.syncIndexes(), Progress.syncIndexes(), LearnerGlobal.syncIndexes()]);
    },

    // attempts
    /** A new attempt with the next number; two concurrent launches cannot both get the same number. */
    async createAttempt(
      input: Pick<AttemptDoc, 'learnerId' | 'learnerName' | 'moduleId' | 'moduleSlug' | 'versionId' | 'format' | 'registration' | 'createdAt'> & {
        actorJson?: string;
        preview?: boolean;
      },
    ): Promise<Attempt> {
      for (let tries = 0; tries < 5; tries++) {
        const last = await Attempt.findOne({ learnerId: input.learnerId, moduleId: input.moduleId }).sort({ number: -1 }).lean<AttemptDoc>();
        try {
          const doc = await Attempt.create({ ...input, preview: input.preview ?? false, number: (last?.number ?? 0) + 1, state: 'open' });
          return withId(doc.toObject());
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      throw new Error('could not allocate an attempt number');
    },
    async findAttempt(id: string): Promise<Attempt | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Attempt.findById(id).lean<AttemptDoc>();
      return d ? withId(d) : undefined;
    },
    /**
     * The attempts of these registrations. The LRS's hooks (progress, insight) ask this for the same
     * request at the same moment: they share one query (each gets its own records from withId).
     */
    async findAttemptsByRegistrations(registrations: string[]): Promise<Attempt[]> {
      const key = [...new Set(registrations)].sort().join(' ');
      const docs = await sameRead(key, () =>
        Attempt.find({ registration: { $in: registrations } })
          .lean<AttemptDoc[]>()
          .exec(),
      );
      return docs.map(withId);
    },
    async findAttemptByRegistration(registration: string): Promise<Attempt | undefined> {
      const d = await Attempt.findOne({ registration }).lean<AttemptDoc>();
      return d ? withId(d) : undefined;
    },
    /** The learner's own open or suspended attempt ("Fortsetzen"); previews never resume from here. */
    async findResumableAttempt(learnerId: string, moduleId: string): Promise<Attempt | undefined> {
      const d = await Attempt.findOne({ learnerId, moduleId, preview: { $ne: true }, state: { $in: ['open', 'suspended'] } })
        .sort({ number: -1 })
        .lean<AttemptDoc>();
      return d ? withId(d) : undefined;
    },
    /** The learner's attempts that count for progress (previews excluded; older records lack the flag). */
    async listAttempts(learnerId: string, moduleId: string): Promise<Attempt[]> {
      return (
        await Attempt.find({ learnerId, moduleId, preview: { $ne: true } })
          .sort({ number: 1 })
          .lean<AttemptDoc[]>()
      ).map(withId);
    },
    async updateAttempt(id: string, patch: Partial<Omit<AttemptDoc, '_id'>>): Promise<void> {
      await Attempt.updateOne({ _id: id }, { $set: patch });
    },
    async metaVersion(id: string): Promise<number> {
      return (await Meta.findById(id).lean<{ version: number }>())?.version ?? 0;
    },
    async setMetaVersion(id: string, version: number, now: Date): Promise<void> {
      await Meta.updateOne({ _id: id }, { $set: { version, doneAt: now } }, { upsert: true });
    },
    /** Every attempt that counts for progress, oldest first, without holding them all in memory. */
    eachCountedAttempt(): AsyncIterable<Attempt> {
      const cursor = Attempt.find({ preview: { $ne: true } })
        .sort({ _id: 1 })
        .lean<AttemptDoc[]>()
        .cursor();
      return (async function* () {
        for await (const d of cursor) yield withId(d as AttemptDoc);
      })();
    },
    /** The learner's global objectives and shared data stores, by id (JSON values as the engine keeps them). */
    async learnerGlobals(learnerId: string): Promise<Record<'objective' | 'data', Record<string, string>>> {
      const out: Record<'objective' | 'data', Record<string, string>> = { objective: {}, data: {} };
      for (const d of await LearnerGlobal.find({ learnerId }).lean<LearnerGlobalDoc[]>()) out[d.kind][d.key] = d.value;
      return out;
    },
    async saveLearnerGlobals(learnerId: string, kind: 'objective' | 'data', values: Record<string, string>, now: Date): Promise<void> {
      const ops = Object.entries(values).map(([key, value]) => ({
        updateOne: { filter: { learnerId, kind, key }, update: { $set: { value, updatedAt: now } }, upsert: true },
      }));
      if (ops.length) await LearnerGlobal.bulkWrite(ops, { ordered: false });
    },
    /** Stores a new sequencing state only over the revision it was made from; false when another writer came first. */
    async saveSequencing(id: string, rev: number, patch: Partial<Omit<AttemptDoc, '_id' | 'sequencingRev'>>): Promise<boolean> {
      // attempts made before sequencing was stored have no revision yet
      const r = await Attempt.updateOne({ _id: id, sequencingRev: rev === 0 ? { $in: [0, null] } : rev }, { $set: patch, $inc: { sequencingRev: 1 } });
      return r.matchedCount === 1;
    },

    // items
    async ensureItem(attemptId: string, itemId: string, now: Date): Promise<Item> {
      const d = await Item.findOneAndUpdate(
        { attemptId, itemId },
        {
          $setOnInsert: {
            attemptId,
            itemId,
            cmi: [],
            commitLaunchNo: 0,
            commitSeq: 0,
            launchCount: 0,
            baseTotalSeconds: 0,
            completion: false,
            success: 'unknown',
            successAt: null,
            scoreScaled: null,
            answered: 0,
            satisfied: false,
            waivedReason: null,
            updatedAt: now,
          },
        },
        { upsert: true, returnDocument: 'after' },
      ).lean<ItemDoc>();
      return toItem(d!);
    },
    async findItem(attemptId: string, itemId: string): Promise<Item | undefined> {
      const d = await Item.findOne({ attemptId, itemId }).lean<ItemDoc>();
      return d ? toItem(d) : undefined;
    },
    async listItems(attemptId: string): Promise<Item[]> {
      return (await Item.find({ attemptId }).lean<ItemDoc[]>()).map(toItem);
    },
    /** Counts a launch of the item and sets what it starts from (fresh CMI on a new SCO attempt). */
    async beginItemLaunch(attemptId: string, itemId: string, set: { cmi?: CmiPair[]; baseTotalSeconds: number }, now: Date): Promise<Item> {
      const d = await Item.findOneAndUpdate(
        { attemptId, itemId },
        { $inc: { launchCount: 1 }, $set: { ...set, updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<ItemDoc>();
      return toItem(d!);
    },
    /**
     * Applies a commit only when it is newer than the one applied last (launch number, then sequence):
     * a repeated or late commit changes nothing. Returns the item as it was before, or undefined.
     */
    async applyCommitIfNewer(attemptId: string, itemId: string, launchNo: number, seq: number, set: Partial<Omit<ItemDoc, '_id'>>): Promise<Item | undefined> {
      const d = await Item.findOneAndUpdate(
        { attemptId, itemId, $or: [{ commitLaunchNo: { $lt: launchNo } }, { commitLaunchNo: launchNo, commitSeq: { $lt: seq } }] },
        { $set: { ...set, commitLaunchNo: launchNo, commitSeq: seq } },
        { returnDocument: 'before' },
      ).lean<ItemDoc>();
      return d ? toItem(d) : undefined;
    },
    async setItem(attemptId: string, itemId: string, set: Partial<Omit<ItemDoc, '_id'>>): Promise<void> {
      await Item.updateOne({ attemptId, itemId }, { $set: set }, { upsert: true });
    },
    /** Keeps statements of an applied commit until the LRS has stored them (held-statements.ts). */
    async holdStatements(attemptId: string, itemId: string, statements: string[]): Promise<void> {
      if (statements.length) await Item.updateOne({ attemptId, itemId }, { $push: { heldStatements: { $each: statements } } });
    },
    /** Forgets held statements the LRS has stored; others held meanwhile stay. */
    async releaseStatements(attemptId: string, itemId: string, statements: string[]): Promise<void> {
      if (statements.length) await Item.updateOne({ attemptId, itemId }, { $pullAll: { heldStatements: statements } });
    },
    /** Success is set by the newest judgement only: an older passed/failed arriving late changes nothing. */
    async setSuccessIfNewer(attemptId: string, itemId: string, success: Success, at: Date, scoreScaled: number | null): Promise<void> {
      const set: Record<string, unknown> = { success, successAt: at };
      if (scoreScaled !== null) set.scoreScaled = scoreScaled;
      await Item.updateOne({ attemptId, itemId, $or: [{ successAt: null }, { successAt: { $lte: at } }] }, { $set: set });
    },

    // launches
    async insertLaunch(
      input: Omit<LaunchDoc, '_id' | 'state' | 'durationSeconds' | 'initialized' | 'passedOrFailed' | 'preferencesReadAt' | 'endedAt' | 'fetchUsedAt'>,
    ): Promise<Launch> {
      const doc = await Launch.create({ ...input, state: 'open' });
      return withId(doc.toObject());
    },
    async findLaunchByTokenHash(tokenHash: string): Promise<Launch | undefined> {
      const d = await Launch.findOne({ tokenHash }).lean<LaunchDoc>();
      return d ? withId(d) : undefined;
    },
    async findLaunchBySessionId(sessionId: string): Promise<Launch | undefined> {
      const d = await Launch.findOne({ sessionId }).lean<LaunchDoc>();
      return d ? withId(d) : undefined;
    },
    async findLaunchByFetchTokenHash(fetchTokenHash: string): Promise<Launch | undefined> {
      const d = await Launch.findOne({ fetchTokenHash }).lean<LaunchDoc>();
      return d ? withId(d) : undefined;
    },
    async latestLaunch(attemptId: string): Promise<Launch | undefined> {
      const d = await Launch.findOne({ attemptId }).sort({ startedAt: -1 }).lean<LaunchDoc>();
      return d ? withId(d) : undefined;
    },
    async openLaunches(registration: string): Promise<Launch[]> {
      return (await Launch.find({ registration, state: 'open' }).lean<LaunchDoc[]>()).map(withId);
    },
    async listLaunches(attemptId: string): Promise<Launch[]> {
      return (await Launch.find({ attemptId }).sort({ startedAt: 1 }).lean<LaunchDoc[]>()).map(withId);
    },
    /** Sets fields of a launch only while it is in one of `states`; says whether it did. */
    async updateLaunchIf(id: string, states: LaunchState[], set: Partial<Omit<LaunchDoc, '_id'>>): Promise<boolean> {
      const r = await Launch.updateOne({ _id: id, state: { $in: states } }, { $set: set });
      return r.matchedCount > 0;
    },
    /** The first commit or statement of a session: true only for the caller that flipped the flag. */
    async markInitialized(id: string): Promise<boolean> {
      const r = await Launch.updateOne({ _id: id, initialized: false }, { $set: { initialized: true } });
      return r.modifiedCount > 0;
    },
    async updateLaunch(id: string, set: Partial<Omit<LaunchDoc, '_id'>>): Promise<void> {
      await Launch.updateOne({ _id: id }, { $set: set });
    },
    /** One-time use of a cmi5 fetch token: only the first caller gets the launch back. */
    async consumeFetchToken(fetchTokenHash: string, now: Date): Promise<Launch | undefined> {
      const d = await Launch.findOneAndUpdate(
        { fetchTokenHash, fetchUsedAt: null },
        { $set: { fetchUsedAt: now } },
        { returnDocument: 'after' },
      ).lean<LaunchDoc>();
      return d ? withId(d) : undefined;
    },
    /** A session's time only grows: the same statement twice, or an older one late, changes nothing. */
    async raiseLaunchDuration(id: string, seconds: number): Promise<void> {
      await Launch.updateOne({ _id: id, durationSeconds: { $lt: seconds } }, { $set: { durationSeconds: seconds } });
    },

    // progress
    async upsertProgress(p: ProgressDoc): Promise<void> {
      await Progress.updateOne({ learnerId: p.learnerId, moduleId: p.moduleId }, { $set: p }, { upsert: true });
    },
    async progressByLearner(learnerId: string): Promise<ProgressDoc[]> {
      return Progress.find({ learnerId }, { _id: 0 }).lean<ProgressDoc[]>();
    },
    async progressFor(learnerId: string, moduleSlugs: string[]): Promise<ProgressDoc[]> {
      return Progress.find({ learnerId, moduleSlug: { $in: moduleSlugs } }, { _id: 0 }).lean<ProgressDoc[]>();
    },
    /** The records of many learners in the named modules, in one query (index learnerId+moduleSlug). */
    async progressOfLearners(learnerIds: string[], moduleSlugs: string[]): Promise<ProgressDoc[]> {
      if (!learnerIds.length || !moduleSlugs.length) return [];
      return Progress.find({ learnerId: { $in: distinct(learnerIds) }, moduleSlug: { $in: moduleSlugs } }, { _id: 0 }).lean<ProgressDoc[]>();
    },
  };
}
export type PlayerRepository = ReturnType<typeof createPlayerRepository>;
