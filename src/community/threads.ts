import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { FORMER_MEMBER } from './chat.ts';
import { mentionedNames, renderMarkdown } from './markdown.ts';
import type { Membership, SpaceAccess } from './membership.ts';
import type { NewNotification, Notifications } from './notifications.ts';
import type { PeoplePort, StatementsPort, Viewer } from './ports.ts';
import { THREAD_LIST_LIMIT, type ReadMarks } from './read-marks.ts';
import { commentedStatement } from './records.ts';
import type { CommunityRepository, Post, Thread } from './repository.ts';

export type ThreadAction = 'pin' | 'unpin' | 'lock' | 'unlock' | 'hide' | 'unhide';

export interface PresentedPost extends Omit<Post, 'markdown'> {
  authorName: string;
  own: boolean;
  accepted: boolean;
  helpful: { count: number; mine: boolean };
  /** The Markdown for the edit form (own posts only). */
  markdown?: string;
}

/** Threads and replies in a space: write, edit and delete one's own, moderate, report. */
export function createThreads(deps: {
  repo: CommunityRepository;
  membership: Membership;
  people: PeoplePort;
  lrs: StatementsPort;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  notifications: Pick<Notifications, 'notify'>;
  readMarks: Pick<ReadMarks, 'newPostsOf' | 'readThread'>;
}) {
  const { repo, membership, people, clock, readMarks } = deps;

  async function names(ids: string[]) {
    return people.namesOf([...new Set(ids.filter(Boolean))]);
  }

  /** The thread and the viewer's access; a hidden thread exists only for moderators. */
  async function visibleThread(viewer: Viewer, threadId: string): Promise<{ thread: Thread; access: SpaceAccess }> {
    const thread = await repo.findThread(threadId);
    if (!thread) throw notFound('community:errors.threadNotFound');
    const access = await membership.assertMember(viewer, thread.spaceKey);
    if (thread.hidden && !access.moderator) throw notFound('community:errors.threadNotFound');
    return { thread, access };
  }

  async function ownPost(viewer: Viewer, postId: string): Promise<Post> {
    const post = await repo.findPost(postId);
    if (!post || post.deleted) throw notFound('community:errors.postNotFound');
    await visibleThread(viewer, post.threadId);
    if (post.authorId !== viewer.id) throw forbidden('community:errors.notYourPost');
    return post;
  }

  /** A post in a module's Q&A is an xAPI "commented" statement; a failing LRS does not lose the post. */
  async function record(viewer: Viewer, access: SpaceAccess, thread: Pick<Thread, 'title'> & { id: string }) {
    if (access.space.kind !== 'module') return;
    const name = (await names([viewer.id])).get(viewer.id) ?? '';
    const statement = commentedStatement({
      baseUrl: deps.publicUrl(),
      person: { id: viewer.id, name },
      moduleSlug: access.space.ref,
      threadId: thread.id,
      title: thread.title,
      at: clock.now(),
    });
    await deps.lrs.storeStatements([statement]).catch((err: unknown) => deps.logger.warn({ err }, 'community: commented statement not stored'));
  }

  /** Who hears of a new post: the other one in a mentor space, the people mentioned, the thread's author. */
  async function notifyFor(viewer: Viewer, access: SpaceAccess, thread: Pick<Thread, 'title' | 'authorId'> & { id: string }, markdown: string) {
    const link = `/community/threads/${thread.id}`;
    const base = { actorId: viewer.id, title: thread.title, link };
    const list: NewNotification[] = [];
    if (access.space.kind === 'mentor') {
      for (const id of await membership.memberIdsOf(access.space)) list.push({ ...base, userId: id, kind: 'mentor' });
    }
    const mentioned = mentionedNames(markdown).map((n) => n.toLowerCase());
    if (mentioned.length) {
      const participants = (await repo.postsOf(thread.id)).map((p) => p.authorId);
      const candidates = await names([...(await membership.memberIdsOf(access.space)), ...participants]);
      const firstNames = new Map<string, string[]>();
      for (const [id, name] of candidates) {
        const first = name.split(' ')[0]!.toLowerCase();
        firstNames.set(first, [...(firstNames.get(first) ?? []), id]);
      }
      for (const [id, name] of candidates) {
        const full = name.toLowerCase();
        const first = full.split(' ')[0]!;
        if (mentioned.some((m) => m === full || (m.split(' ')[0] === first && firstNames.get(first)!.length === 1)))
          list.push({ ...base, userId: id, kind: 'mention' });
      }
    }
    if (thread.authorId) list.push({ ...base, userId: thread.authorId, kind: 'reply' });
    await deps.notifications.notify(list).catch((err: unknown) => deps.logger.warn({ err }, 'community: notifications not stored'));
  }

  return {
    /** A space's threads, each with whether it is unread for the viewer and how many posts are new. */
    async list(viewer: Viewer, key: string) {
      const access = await membership.assertMember(viewer, key);
      const threads = await repo.listThreads(key, { includeHidden: access.moderator, limit: THREAD_LIST_LIMIT });
      const [n, fresh] = await Promise.all([names(threads.map((t) => t.authorId)), readMarks.newPostsOf(viewer, key, threads)]);
      return {
        access,
        threads: threads.map((t) => ({
          ...t,
          authorName: n.get(t.authorId) ?? FORMER_MEMBER,
          newPosts: fresh.get(t.id) ?? 0,
          unread: (fresh.get(t.id) ?? 0) > 0,
        })),
      };
    },

    async create(viewer: Viewer, key: string, input: { title: string; markdown: string }): Promise<Thread> {
      const access = await membership.assertMember(viewer, key);
      const now = clock.now();
      const { thread } = await repo.insertThread(
        {
          spaceKey: key,
          authorId: viewer.id,
          title: input.title,
          pinned: false,
          locked: false,
          hidden: false,
          replyCount: 0,
          createdAt: now,
          lastPostAt: now,
          acceptedPostId: '',
        },
        {
          spaceKey: key,
          authorId: viewer.id,
          markdown: input.markdown,
          html: renderMarkdown(input.markdown),
          hidden: false,
          deleted: false,
          createdAt: now,
          editedAt: null,
        },
      );
      // one's own post never makes a thread unread for oneself
      await readMarks.readThread(viewer, thread);
      await record(viewer, access, thread);
      await notifyFor(viewer, access, { ...thread, authorId: '' }, input.markdown);
      return thread;
    },

    /** The thread with its posts; hidden posts are left out for members and marked for moderators. Showing it reads it. */
    async show(viewer: Viewer, threadId: string) {
      const { thread, access } = await visibleThread(viewer, threadId);
      // up to the replies counted before the posts are read: one arriving meanwhile stays unread
      await readMarks.readThread(viewer, thread);
      const posts = (await repo.postsOf(threadId)).filter((p) => access.moderator || !p.hidden);
      const n = await names([thread.authorId, ...posts.map((p) => p.authorId)]);
      const helpful =
        access.space.kind === 'module'
          ? await repo.helpfulOf(
              posts.map((p) => p.id),
              viewer.id,
            )
          : new Map<string, { count: number; mine: boolean }>();
      const presented: PresentedPost[] = posts.map(({ markdown, ...p }) => ({
        ...p,
        accepted: Boolean(thread.acceptedPostId) && thread.acceptedPostId === p.id,
        helpful: helpful.get(p.id) ?? { count: 0, mine: false },
        html: p.deleted ? '' : p.html,
        authorName: n.get(p.authorId) ?? FORMER_MEMBER,
        own: Boolean(p.authorId) && p.authorId === viewer.id && !p.deleted,
        ...(p.authorId === viewer.id && !p.deleted ? { markdown } : {}),
      }));
      const mayAccept = access.space.kind === 'module' && (access.moderator || (Boolean(thread.authorId) && thread.authorId === viewer.id));
      return { access, mayAccept, thread: { ...thread, authorName: n.get(thread.authorId) ?? FORMER_MEMBER }, posts: presented };
    },

    async reply(viewer: Viewer, threadId: string, markdown: string): Promise<Post> {
      const { thread, access } = await visibleThread(viewer, threadId);
      if (thread.locked && !access.moderator) throw conflict('community:errors.threadLocked');
      const post = await repo.insertReply({
        threadId,
        spaceKey: thread.spaceKey,
        authorId: viewer.id,
        markdown,
        html: renderMarkdown(markdown),
        hidden: false,
        deleted: false,
        createdAt: clock.now(),
        editedAt: null,
      });
      // replying from the page read it; a reply of someone else meanwhile stays unread
      await readMarks.readThread(viewer, { ...thread, replyCount: thread.replyCount + 1 });
      await record(viewer, access, thread);
      await notifyFor(viewer, access, thread, markdown);
      return post;
    },

    async edit(viewer: Viewer, postId: string, markdown: string): Promise<Post> {
      const post = await ownPost(viewer, postId);
      const set = { markdown, html: renderMarkdown(markdown), editedAt: clock.now() };
      await repo.updatePost(postId, set);
      return { ...post, ...set };
    },

    /** The author takes their post back: the text goes, the place in the thread stays ("gelöscht"). */
    async remove(viewer: Viewer, postId: string): Promise<string> {
      const post = await ownPost(viewer, postId);
      await repo.updatePost(postId, { deleted: true, markdown: '', html: '', editedAt: clock.now() });
      return post.threadId;
    },

    async moderateThread(viewer: Viewer, threadId: string, action: ThreadAction): Promise<Thread> {
      const { thread } = await visibleThread(viewer, threadId);
      await membership.assertModerator(viewer, thread.spaceKey);
      const flags = {
        pin: { pinned: true },
        unpin: { pinned: false },
        lock: { locked: true },
        unlock: { locked: false },
        hide: { hidden: true },
        unhide: { hidden: false },
      }[action];
      await repo.setThreadFlags(threadId, flags);
      return { ...thread, ...flags };
    },

    async hidePost(viewer: Viewer, postId: string, hidden: boolean): Promise<string> {
      const post = await repo.findPost(postId);
      if (!post) throw notFound('community:errors.postNotFound');
      await visibleThread(viewer, post.threadId);
      await membership.assertModerator(viewer, post.spaceKey);
      await repo.updatePost(postId, { hidden });
      return post.threadId;
    },

    /** A member flags a post for the moderators (once per member and post). */
    async report(viewer: Viewer, postId: string, reason: string): Promise<string> {
      const post = await repo.findPost(postId);
      if (!post || post.deleted) throw notFound('community:errors.postNotFound');
      await visibleThread(viewer, post.threadId);
      await repo.putReport({ postId, spaceKey: post.spaceKey, reporterId: viewer.id, reason, at: clock.now() });
      return post.threadId;
    },

    /** Module Q&A: the asker or a moderator marks a reply as the accepted answer (again: takes it back). */
    async accept(viewer: Viewer, postId: string): Promise<string> {
      const post = await repo.findPost(postId);
      if (!post || post.deleted || post.first) throw notFound('community:errors.postNotFound');
      const { thread, access } = await visibleThread(viewer, post.threadId);
      if (access.space.kind !== 'module') throw conflict('community:errors.onlyInQa');
      if (!access.moderator && thread.authorId !== viewer.id) throw forbidden('community:errors.notYourThread');
      await repo.setThreadFlags(thread.id, { acceptedPostId: thread.acceptedPostId === postId ? '' : postId });
      return thread.id;
    },
    /** Module Q&A: "hilfreich", once per member and post (again: takes it back); not on one's own post. */
    async helpful(viewer: Viewer, postId: string): Promise<string> {
      const post = await repo.findPost(postId);
      if (!post || post.deleted) throw notFound('community:errors.postNotFound');
      const { access } = await visibleThread(viewer, post.threadId);
      if (access.space.kind !== 'module') throw conflict('community:errors.onlyInQa');
      if (post.authorId === viewer.id) throw conflict('community:errors.ownPostHelpful');
      await repo.toggleHelpful(postId, viewer.id, clock.now());
      return post.threadId;
    },

    /**
     * Search in the spaces the viewer belongs to: posts whose text contains the words, in threads the
     * viewer may see (hidden threads only for their moderators), at most 50.
     */
    async search(viewer: Viewer, needle: string) {
      const spaces = await membership.spacesOf(viewer);
      const moderated = new Set(spaces.filter((a) => a.moderator).map((a) => a.space.key));
      const posts = await repo.searchPosts(
        spaces.map((a) => a.space.key),
        needle,
        50,
      );
      const threads = new Map((await repo.findThreads([...new Set(posts.map((p) => p.threadId))])).map((t) => [t.id, t]));
      const n = await names(posts.map((p) => p.authorId));
      return posts
        .filter((p) => {
          const t = threads.get(p.threadId);
          return t && (!t.hidden || moderated.has(t.spaceKey));
        })
        .map((p) => ({
          postId: p.id,
          threadId: p.threadId,
          title: threads.get(p.threadId)!.title,
          authorName: n.get(p.authorId) ?? FORMER_MEMBER,
          excerpt: p.markdown.slice(0, 200),
          createdAt: p.createdAt,
        }));
    },

    async reports(viewer: Viewer, key: string) {
      await membership.assertModerator(viewer, key);
      return repo.reportsIn(key);
    },
  };
}
export type Threads = ReturnType<typeof createThreads>;
