import type { Clock } from '../shared/clock.ts';
import type { Viewer } from './ports.ts';
import type { CommunityRepository, Thread } from './repository.ts';

/** The thread list's length; the overview counts the unread among the threads a space's list shows. */
export const THREAD_LIST_LIMIT = 200;
/** The chat counts new messages up to this many. */
const CHAT_COUNT_LIMIT = 1000;

/** What is new in a space's chat for a member: how many messages since they last saw it, and where the divider goes. */
export interface ChatNews {
  count: number;
  /** Counted up to the limit: there may be more. */
  more: boolean;
  /** The first new message of those shown ('' none of them is new). */
  firstNewId: string;
}

/**
 * The unread markers (issue #20): per member and thread, per member and chat, stored in
 * community_read_marks (no per-process state). A thread is unread while it has more posts than
 * when the member last opened it (never opened: unread); opening it marks it read. The chat shows
 * the messages after the newest one the member was shown (by the page or an open stream).
 * Callers have checked membership: every entry point asks membership.ts first.
 */
export function createReadMarks(deps: { repo: CommunityRepository; clock: Clock }) {
  const { repo, clock } = deps;
  /** New posts of a thread for a mark (undefined: never opened, every post is new). */
  const newPosts = (t: { replyCount: number }, seen: number | undefined) => Math.max(0, t.replyCount - (seen ?? -1));

  return {
    /** The new posts of each of these threads of one space for the viewer: thread id → count (0 read). */
    async newPostsOf(viewer: Viewer, spaceKey: string, threads: Array<Pick<Thread, 'id' | 'replyCount'>>): Promise<Map<string, number>> {
      const marks = await repo.threadMarks(
        viewer.id,
        [spaceKey],
        threads.map((t) => t.id),
      );
      return new Map(threads.map((t) => [t.id, newPosts(t, marks.get(t.id))]));
    },
    /** Opening a thread reads it: up to the replies the viewer was shown. */
    readThread: (viewer: Viewer, thread: Pick<Thread, 'id' | 'spaceKey' | 'replyCount'>) =>
      repo.markThreadRead(viewer.id, thread.spaceKey, thread.id, thread.replyCount, clock.now()),
    /** For the overview: how many threads of each space (of those its list shows) are unread for the viewer. */
    async unreadThreadsBySpace(viewer: Viewer, spaceKeys: string[]): Promise<Map<string, number>> {
      const perSpace = await Promise.all(spaceKeys.map(async (key) => [key, await repo.threadCounters(key, THREAD_LIST_LIMIT)] as const));
      const marks = await repo.threadMarks(
        viewer.id,
        spaceKeys,
        perSpace.flatMap(([, threads]) => threads.map((t) => t.id)),
      );
      return new Map(perSpace.map(([key, threads]) => [key, threads.filter((t) => newPosts(t, marks.get(t.id)) > 0).length]));
    },
    /** What is new in the chat since the viewer last saw it, for the messages the page shows; then they count as seen. */
    async chatNews(viewer: Viewer, spaceKey: string, shown: Array<{ id: string }>): Promise<ChatNews> {
      const seen = await repo.chatSeen(viewer.id, spaceKey);
      const count = await repo.countChatAfter(spaceKey, seen, CHAT_COUNT_LIMIT);
      const firstNew = count ? shown.find((m) => m.id > seen) : undefined;
      const newest = shown.at(-1);
      if (newest && newest.id > seen) await repo.markChatSeen(viewer.id, spaceKey, newest.id, clock.now());
      return { count, more: count >= CHAT_COUNT_LIMIT, firstNewId: firstNew?.id ?? '' };
    },
    /** An open stream delivered up to this message (called when it closes). */
    seeChat: (viewer: Viewer, spaceKey: string, messageId: string) => repo.markChatSeen(viewer.id, spaceKey, messageId, clock.now()),
  };
}
export type ReadMarks = ReturnType<typeof createReadMarks>;
