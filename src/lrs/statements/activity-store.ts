import type { Connection } from 'mongoose';
import { lrsModels } from '../model.ts';

/** The definitions of the Activities resource (lrs_activities), as JSON by activity id. */
export function createActivityStore(connection: Connection) {
  const { Activity } = lrsModels(connection);
  return {
    async getActivityDefinitions(ids: string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      const found = await Activity.find({ _id: { $in: [...new Set(ids)] } }).lean<Array<{ _id: string; definition: string }>>();
      return new Map(found.map((d) => [d._id, d.definition]));
    },

    async getActivityDefinition(activityId: string): Promise<string | undefined> {
      const d = await Activity.findById(activityId).lean<{ definition: string }>();
      return d?.definition;
    },

    /**
     * Stores the definition where the activity has none yet and returns what was stored before
     * (undefined: this one is now stored). One round trip for both the read and a first write,
     * which is what a statement naming an activity this process has not seen lately needs.
     */
    async insertDefinitionIfNew(activityId: string, definition: string): Promise<string | undefined> {
      const before = await Activity.findOneAndUpdate({ _id: activityId }, { $setOnInsert: { definition } }, { upsert: true, returnDocument: 'before' }).lean<{
        definition: string;
      }>();
      return before?.definition;
    },

    /** Upserts definitions in one round trip. */
    async saveActivityDefinitions(definitions: Map<string, string>): Promise<void> {
      if (!definitions.size) return;
      await Activity.bulkWrite(
        [...definitions].map(([id, definition]) => ({ updateOne: { filter: { _id: id }, update: { $set: { definition } }, upsert: true } })),
        { ordered: false },
      );
    },
  };
}
