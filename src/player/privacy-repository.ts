import type { Connection } from 'mongoose';
import { playerModels } from './model.ts';

/** What the player's privacy entry reads and deletes, by the learner id every collection is keyed by. */
export function createPlayerPrivacyRepository(connection: Connection) {
  const { Attempt, Item, Launch, Progress, LearnerGlobal } = playerModels(connection);
  const attemptIds = async (learnerId: string) => (await Attempt.find({ learnerId }, { _id: 1 }).lean<Array<{ _id: unknown }>>()).map((a) => String(a._id));
  return {
    async all(learnerId: string) {
      const ids = await attemptIds(learnerId);
      const [attempts, items, launches, progress, globals] = await Promise.all([
        Attempt.find({ learnerId }, { __v: 0, sequencingState: 0 }).lean(),
        ids.length ? Item.find({ attemptId: { $in: ids } }, { __v: 0 }).lean() : [],
        Launch.find({ learnerId }, { __v: 0, tokenHash: 0, fetchTokenHash: 0, authorization: 0 }).lean(),
        Progress.find({ learnerId }, { _id: 0, __v: 0 }).lean(),
        LearnerGlobal.find({ learnerId }, { _id: 0, __v: 0 }).lean(),
      ]);
      return { attempts, items, launches, progress, globals };
    },
    /** Items before attempts: a re-run after a crash still finds the attempts, and through them the items. */
    async eraseAll(learnerId: string): Promise<void> {
      const ids = await attemptIds(learnerId);
      if (ids.length) await Item.deleteMany({ attemptId: { $in: ids } });
      await Launch.deleteMany({ learnerId });
      await Progress.deleteMany({ learnerId });
      await LearnerGlobal.deleteMany({ learnerId });
      await Attempt.deleteMany({ learnerId });
    },
  };
}
