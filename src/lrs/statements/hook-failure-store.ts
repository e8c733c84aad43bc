import type { Connection, Types } from 'mongoose';
import { lrsModels } from '../model.ts';

/** A hook call that failed after its retries (model.ts, HookFailureDoc). */
export interface HookFailure {
  id: string;
  hook: string;
  statementIds: string[];
  error: string;
  attempts: number;
  at: Date;
}

/** The longest error message kept: enough to see the cause, not a dump of whatever the error held. */
const MAX_MESSAGE = 500;

/** lrs_hook_failures: written when a hook keeps failing, read and cleared by the replay. */
export function createHookFailureStore(connection: Connection) {
  const { HookFailure } = lrsModels(connection);
  return {
    async record(failure: Omit<HookFailure, 'id'>): Promise<void> {
      await HookFailure.create({ ...failure, error: failure.error.slice(0, MAX_MESSAGE) });
    },
    async list(): Promise<HookFailure[]> {
      const docs = await HookFailure.find({}).sort({ _id: 1 }).lean<Array<Omit<HookFailure, 'id'> & { _id: Types.ObjectId }>>();
      return docs.map(({ _id, ...rest }) => ({ id: String(_id), ...rest }));
    },
    async remove(id: string): Promise<void> {
      await HookFailure.deleteOne({ _id: id });
    },
  };
}
export type HookFailureStore = ReturnType<typeof createHookFailureStore>;
