import { Types, type Connection } from 'mongoose';
import { isObjectId } from '../shared/object-id.ts';
import type { ChatChangeStream } from './change-stream-bus.ts';
import {
  communityModels,
  type ChatMessage,
  type ChatMessageDoc,
  type NotificationDoc,
  type NotificationSettingsDoc,
  type PostDoc,
  type ReadMarkDoc,
  type ReportDoc,
  type ThreadDoc,
} from './model.ts';

export type Thread = Omit<ThreadDoc, '_id'> & { id: string };
export type Post = Omit<PostDoc, '_id'> & { id: string };
export type { ChatMessage };
export type Report = Omit<ReportDoc, '_id'> & { id: string };
export type Notification = Omit<NotificationDoc, '_id'> & { id: string };

const withId = <T extends { _id: Types.ObjectId }>(d: T): Omit<T, '_id'> & { id: string } => {
  const { _id, ...rest } = d;
  return { ...rest, id: _id.toString() };
};

/** The community's one door to its collections; every read returns plain objects. */
export function createCommunityRepository(connection: Connection) {
  const { Thread: T, Post: P, Report: R, Chat: C, Notification: N, Settings: S, Helpful: H, ReadMark: M } = communityModels(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([T.init(), P.init(), R.init(), C.init(), N.init(), S.init(), H.init(), M.init()]);
    },

    async insertThread(t: Omit<ThreadDoc, '_id'>, first: Omit<PostDoc, '_id' | 'threadId' | 'first'>): Promise<{ thread: Thread; post: Post }> {
      const thread = await T.create(t);
      const post = await P.create({ ...first, threadId: thread._id.toString(), first: true });
      return { thread: withId(thread.toObject()), post: withId(post.toObject()) };
    },
    async findThread(id: string): Promise<Thread | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await T.findById(id).lean<ThreadDoc>();
      return d ? withId(d) : undefined;
    },
    async listThreads(spaceKey: string, opts: { includeHidden: boolean; limit: number }): Promise<Thread[]> {
      const filter = opts.includeHidden ? { spaceKey } : { spaceKey, hidden: false };
      const list = await T.find(filter).sort({ pinned: -1, lastPostAt: -1 }).limit(opts.limit).lean<ThreadDoc[]>();
      return list.map(withId);
    },
    /** The visible threads' counters of a space, as its list shows them (pinned first, latest activity; the list's index). */
    async threadCounters(spaceKey: string, limit: number): Promise<Array<{ id: string; replyCount: number }>> {
      const list = await T.find({ spaceKey, hidden: false }, { replyCount: 1 }).sort({ pinned: -1, lastPostAt: -1 }).limit(limit).lean<ThreadDoc[]>();
      return list.map((t) => ({ id: t._id.toString(), replyCount: t.replyCount }));
    },
    async setThreadFlags(id: string, flags: Partial<Pick<ThreadDoc, 'pinned' | 'locked' | 'hidden' | 'title' | 'acceptedPostId'>>): Promise<void> {
      await T.updateOne({ _id: id }, { $set: flags });
    },
    async insertReply(p: Omit<PostDoc, '_id' | 'first'>): Promise<Post> {
      const post = await P.create({ ...p, first: false });
      await T.updateOne({ _id: p.threadId }, { $inc: { replyCount: 1 }, $set: { lastPostAt: p.createdAt } });
      return withId(post.toObject());
    },
    /** Visible posts in these spaces whose text contains `needle` (case-insensitive), newest first. */
    async searchPosts(spaceKeys: string[], needle: string, limit: number): Promise<Post[]> {
      if (!spaceKeys.length) return [];
      const pattern = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const list = await P.find({ spaceKey: { $in: spaceKeys }, hidden: false, deleted: false, markdown: { $regex: pattern, $options: 'i' } })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<PostDoc[]>();
      return list.map(withId);
    },
    async findThreads(ids: string[]): Promise<Thread[]> {
      const valid = ids.filter(isObjectId);
      return valid.length ? (await T.find({ _id: { $in: valid } }).lean<ThreadDoc[]>()).map(withId) : [];
    },
    async postsOf(threadId: string): Promise<Post[]> {
      return (await P.find({ threadId }).sort({ createdAt: 1, _id: 1 }).lean<PostDoc[]>()).map(withId);
    },
    async findPost(id: string): Promise<Post | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await P.findById(id).lean<PostDoc>();
      return d ? withId(d) : undefined;
    },
    async updatePost(id: string, set: Partial<Pick<PostDoc, 'markdown' | 'html' | 'editedAt' | 'hidden' | 'deleted'>>): Promise<void> {
      await P.updateOne({ _id: id }, { $set: set });
    },
    /** One report per member and post: a second one changes nothing. */
    async putReport(r: Omit<ReportDoc, '_id'>): Promise<void> {
      await R.updateOne({ postId: r.postId, reporterId: r.reporterId }, { $setOnInsert: r }, { upsert: true });
    },
    async reportsIn(spaceKey: string): Promise<Report[]> {
      return (await R.find({ spaceKey }).sort({ at: -1 }).limit(200).lean<ReportDoc[]>()).map(withId);
    },

    /** Toggles a member's "hilfreich" on a post; returns whether it is now set. */
    async toggleHelpful(postId: string, userId: string, at: Date): Promise<boolean> {
      const removed = await H.deleteOne({ postId, userId });
      if (removed.deletedCount) return false;
      await H.updateOne({ postId, userId }, { $setOnInsert: { postId, userId, at } }, { upsert: true });
      return true;
    },
    /** The helpful marks of some posts: how many, and whether `userId` gave one. */
    async helpfulOf(postIds: string[], userId: string): Promise<Map<string, { count: number; mine: boolean }>> {
      const marks = postIds.length ? await H.find({ postId: { $in: postIds } }, { postId: 1, userId: 1 }).lean() : [];
      const out = new Map<string, { count: number; mine: boolean }>();
      for (const m of marks) {
        const cur = out.get(m.postId) ?? { count: 0, mine: false };
        out.set(m.postId, { count: cur.count + 1, mine: cur.mine || m.userId === userId });
      }
      return out;
    },
    async insertChat(m: Omit<ChatMessageDoc, '_id'>): Promise<ChatMessage> {
      const d = await C.create(m);
      return withId(d.toObject());
    },
    /** The newest `limit` messages before `beforeId` (or the newest), oldest first. */
    async chatPage(spaceKey: string, opts: { beforeId?: string; limit: number }): Promise<ChatMessage[]> {
      const filter: Record<string, unknown> = { spaceKey, hidden: false };
      if (opts.beforeId && isObjectId(opts.beforeId)) filter._id = { $lt: new Types.ObjectId(opts.beforeId) };
      const list = await C.find(filter).sort({ _id: -1 }).limit(opts.limit).lean<ChatMessageDoc[]>();
      return list.reverse().map(withId);
    },
    /** What a reconnecting client missed: the messages after `afterId`, oldest first. */
    async chatSince(spaceKey: string, afterId: string, limit: number): Promise<ChatMessage[]> {
      if (!isObjectId(afterId)) return [];
      const list = await C.find({ spaceKey, hidden: false, _id: { $gt: new Types.ObjectId(afterId) } })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<ChatMessageDoc[]>();
      return list.map(withId);
    },
    async findChat(id: string): Promise<ChatMessage | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await C.findById(id).lean<ChatMessageDoc>();
      return d ? withId(d) : undefined;
    },
    async hideChat(id: string): Promise<void> {
      await C.updateOne({ _id: id }, { $set: { hidden: true } });
    },
    /** Whether the server offers change streams (a replica set or a mongos); FerretDB and a standalone mongod do not. */
    async isReplicaSet(): Promise<boolean> {
      const hello = (await connection
        .db!.admin()
        .command({ hello: 1 })
        .catch(() => ({}))) as { setName?: string; msg?: string };
      return Boolean(hello.setName) || hello.msg === 'isdbgrid';
    },
    /** The chat collection's inserts and updates as a change stream (full documents), resuming after a token; see change-stream-bus.ts. */
    openChatStream(resumeAfter?: unknown): ChatChangeStream {
      return C.watch([{ $match: { operationType: { $in: ['insert', 'update'] } } }], {
        fullDocument: 'updateLookup',
        ...(resumeAfter ? { resumeAfter } : {}),
      }) as unknown as ChatChangeStream;
    },
    async insertNotifications(list: Array<Omit<NotificationDoc, '_id'>>): Promise<Notification[]> {
      if (!list.length) return [];
      return (await N.insertMany(list)).map((d) => withId(d.toObject() as NotificationDoc));
    },
    async notificationsOf(userId: string, limit: number): Promise<Notification[]> {
      return (await N.find({ userId }).sort({ createdAt: -1 }).limit(limit).lean<NotificationDoc[]>()).map(withId);
    },
    async countUnread(userId: string): Promise<number> {
      return N.countDocuments({ userId, readAt: null });
    },
    async markRead(userId: string, at: Date): Promise<void> {
      await N.updateMany({ userId, readAt: null }, { $set: { readAt: at } });
    },
    async markMailed(ids: string[], at: Date): Promise<void> {
      if (ids.length) await N.updateMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { $set: { mailedAt: at } });
    },
    /** What still waits for a mail, oldest first (the digest groups it by person). */
    async unmailed(limit: number): Promise<Notification[]> {
      return (await N.find({ mailedAt: null }).sort({ createdAt: 1 }).limit(limit).lean<NotificationDoc[]>()).map(withId);
    },
    async settingsOf(userId: string): Promise<{ immediate: boolean; digest: boolean }> {
      const d = await S.findById(userId).lean<NotificationSettingsDoc>();
      return { immediate: d?.immediate ?? true, digest: d?.digest ?? true };
    },
    async putSettings(userId: string, s: { immediate: boolean; digest: boolean }): Promise<void> {
      await S.updateOne({ _id: userId }, { $set: s }, { upsert: true });
    },
    // read marks: $max, so a slower request that saw less never moves a mark back
    async markThreadRead(userId: string, spaceKey: string, threadId: string, replies: number, at: Date): Promise<void> {
      await M.updateOne({ userId, spaceKey, threadId }, { $max: { seenReplies: replies }, $set: { at }, $setOnInsert: { seenChatId: '' } }, { upsert: true });
    },
    /** The member's marks of these threads of some spaces: thread id → replies seen. */
    async threadMarks(userId: string, spaceKeys: string[], threadIds: string[]): Promise<Map<string, number>> {
      if (!spaceKeys.length || !threadIds.length) return new Map();
      const list = await M.find({ userId, spaceKey: { $in: spaceKeys }, threadId: { $in: threadIds } }, { threadId: 1, seenReplies: 1 }).lean<ReadMarkDoc[]>();
      return new Map(list.map((m) => [m.threadId, m.seenReplies]));
    },
    async markChatSeen(userId: string, spaceKey: string, messageId: string, at: Date): Promise<void> {
      await M.updateOne(
        { userId, spaceKey, threadId: '' },
        { $max: { seenChatId: messageId }, $set: { at }, $setOnInsert: { seenReplies: -1 } },
        { upsert: true },
      );
    },
    /** The newest chat message id the member was shown in the space ('' never). */
    async chatSeen(userId: string, spaceKey: string): Promise<string> {
      return (await M.findOne({ userId, spaceKey, threadId: '' }, { seenChatId: 1 }).lean<ReadMarkDoc>())?.seenChatId ?? '';
    },
    /** How many visible messages came after `afterId` ('' all), counted up to `limit`. */
    async countChatAfter(spaceKey: string, afterId: string, limit: number): Promise<number> {
      const filter: Record<string, unknown> = { spaceKey, hidden: false };
      if (afterId && isObjectId(afterId)) filter._id = { $gt: new Types.ObjectId(afterId) };
      return C.countDocuments(filter, { limit });
    },
    /** The rate limit's count: the author's messages since then, counted no further than `limit` (index authorId, at). */
    async countChatSince(authorId: string, since: Date, limit: number): Promise<number> {
      return C.countDocuments({ authorId, at: { $gte: since } }, { limit });
    },
  };
}
export type CommunityRepository = ReturnType<typeof createCommunityRepository>;
