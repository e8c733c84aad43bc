import { Schema, type Connection } from 'mongoose';
import { defineModel } from '../../db/define-model.ts';

export interface FailureDoc {
  key: string;
  count: number;
  firstAt: Date;
  lockedUntil: Date | null;
}

/**
 * Failure counts in the database, so every app instance behind a load balancer sees the same
 * counts. Each use has its own collection; FerretDB has no TTL indexes, so old entries are deleted
 * by cleanUp on a timer.
 */
export function createFailureStore(connection: Connection, opts: { model: string; collection: string }) {
  const schema = new Schema<FailureDoc>(
    {
      key: { type: String, required: true, unique: true },
      count: { type: Number, default: 0 },
      firstAt: { type: Date, required: true, index: true },
      lockedUntil: { type: Date, default: null },
    },
    { collection: opts.collection },
  );
  const Failure = defineModel(connection, opts.model, schema);
  const expiredOrUnlocked = (now: Date) => ({ $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] });
  return {
    init: () => Failure.init(),
    get: (key: string) => Failure.findOne({ key }).lean<FailureDoc>(),
    /** Counts one failure; a count older than the window starts over (two steps, each safe on its own). */
    async record(key: string, now: Date, windowStart: Date): Promise<number> {
      await Failure.deleteOne({ key, firstAt: { $lt: windowStart }, ...expiredOrUnlocked(now) });
      const d = await Failure.findOneAndUpdate(
        { key },
        { $inc: { count: 1 }, $setOnInsert: { firstAt: now, lockedUntil: null } },
        { upsert: true, returnDocument: 'after' },
      ).lean<FailureDoc>();
      return d?.count ?? 1;
    },
    lock: async (key: string, until: Date) => {
      await Failure.updateOne({ key }, { $set: { lockedUntil: until } });
    },
    clear: async (key: string) => {
      await Failure.deleteOne({ key });
    },
    deleteOld: async (before: Date, now: Date) => {
      await Failure.deleteMany({ firstAt: { $lt: before }, ...expiredOrUnlocked(now) });
    },
  };
}
export type FailureStore = ReturnType<typeof createFailureStore>;
