import type { Connection } from 'mongoose';
import { resultsModels } from './model.ts';

/**
 * What the results' privacy entry reads and changes. A published summary holds no personal data
 * and stays on erasure; only the publisher's id is cleared (and with it the opt-in to be named).
 */
export function createResultsPrivacyRepository(connection: Connection) {
  const { Summary, PracticeSetting } = resultsModels(connection);
  return {
    async all(userId: string) {
      const [setting, published] = await Promise.all([
        PracticeSetting.findById(userId).lean(),
        Summary.find({ publisherId: userId }, { _id: 0, slug: 1, title: 1, topic: 1, status: 1, showLotse: 1, publishedAt: 1, updatedAt: 1, withdrawnAt: 1 })
          .sort({ publishedAt: 1 })
          .lean(),
      ]);
      return { setting, published };
    },
    async eraseAll(userId: string): Promise<void> {
      await PracticeSetting.deleteOne({ _id: userId });
      await Summary.updateMany({ publisherId: userId }, { $set: { publisherId: null, showLotse: false } });
    },
  };
}
