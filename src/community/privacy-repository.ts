import type { Connection } from 'mongoose';
import { communityModels } from './model.ts';

/**
 * What the community's privacy entry reads and changes. Erasure: chat messages, reports and read
 * marks go; a thread nobody else wrote in goes with its posts and everyone's read marks of it; in
 * threads where others replied, the person's posts stay for the conversation's sake but lose their
 * author ("ehemaliges Mitglied") and a thread they opened keeps its place the same way.
 */
export function createCommunityPrivacyRepository(connection: Connection) {
  const { Thread, Post, Report, Chat, Notification, Settings, Helpful, ReadMark } = communityModels(connection);
  return {
    async all(userId: string) {
      const [threads, posts, reports, chat, notifications, settings, helpful, readMarks] = await Promise.all([
        Thread.find({ authorId: userId }).sort({ createdAt: 1 }).lean(),
        Post.find({ authorId: userId }, { html: 0 }).sort({ createdAt: 1 }).lean(),
        Report.find({ reporterId: userId }).sort({ at: 1 }).lean(),
        Chat.find({ authorId: userId }).sort({ _id: 1 }).lean(),
        Notification.find({ userId }).sort({ createdAt: 1 }).lean(),
        Settings.findById(userId).lean(),
        Helpful.find({ userId }, { _id: 0 }).lean(),
        ReadMark.find({ userId }, { _id: 0 }).lean(),
      ]);
      return { threads, posts, reports, chat, notifications, settings, helpful, readMarks };
    },
    async eraseAll(userId: string): Promise<void> {
      await Chat.deleteMany({ authorId: userId });
      await Notification.deleteMany({ userId });
      // what others were told of this person's posts stays, without naming them
      await Notification.updateMany({ actorId: userId }, { $set: { actorId: '' } });
      await Settings.deleteOne({ _id: userId });
      await Helpful.deleteMany({ userId });
      await ReadMark.deleteMany({ userId });
      await Report.deleteMany({ reporterId: userId });
      const threadIds = [...new Set((await Post.find({ authorId: userId }, { threadId: 1 }).lean()).map((p) => p.threadId))];
      const own = (await Thread.find({ authorId: userId }, { _id: 1 }).lean()).map((t) => t._id.toString());
      for (const threadId of new Set([...threadIds, ...own])) {
        const others = await Post.countDocuments({ threadId, authorId: { $ne: userId } });
        if (others === 0) {
          await Report.deleteMany({ postId: { $in: (await Post.find({ threadId }, { _id: 1 }).lean()).map((p) => p._id.toString()) } });
          await Post.deleteMany({ threadId });
          await ReadMark.deleteMany({ threadId });
          await Thread.deleteOne({ _id: threadId, authorId: userId });
        }
      }
      // what remains stays in the conversation without its author
      await Post.updateMany({ authorId: userId }, { $set: { authorId: '' } });
      await Thread.updateMany({ authorId: userId }, { $set: { authorId: '' } });
    },
  };
}
