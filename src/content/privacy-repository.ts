import type { Connection } from 'mongoose';
import { contentModels } from './model.ts';

/** What content's privacy entry reads and changes: who uploaded a version. */
export function createContentPrivacyRepository(connection: Connection) {
  const { Version } = contentModels(connection);
  return {
    versionsBy: (userId: string) => Version.find({ createdBy: userId }, { moduleId: 1, number: 1, originalName: 1, createdAt: 1 }).lean(),
    async replaceUploader(userId: string, replacement: string): Promise<void> {
      await Version.updateMany({ createdBy: userId }, { $set: { createdBy: replacement } });
    },
  };
}
