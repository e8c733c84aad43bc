import { createSession } from 'better-sse';
import { Router, type Request, type RequestHandler } from 'express';
import { currentUser } from '../http/current-user.ts';
import { wantsJson } from '../http/error-mapper.ts';
import { submitForm } from '../http/forms.ts';
import { requireLogin } from '../http/guards.ts';
import { singleUpload, uploadedFile } from '../http/upload.ts';
import { COMMUNITY_FILE_MAX_BYTES } from './files.ts';
import { Status } from '../http/status.ts';
import { parse } from '../http/validate.ts';
import type { LiveChannels } from './live-channels.ts';
import {
  chatHistoryQuerySchema,
  chatMessageSchema,
  hidePostSchema,
  lastEventIdSchema,
  messageParamsSchema,
  fileParamsSchema,
  moderateSchema,
  notificationSettingsSchema,
  newThreadSchema,
  postParamsSchema,
  replySchema,
  searchQuerySchema,
  reportSchema,
  spaceParamsSchema,
  threadParamsSchema,
} from './schemas.ts';
import type { CommunityService } from './service.ts';
import { hasChat, type SpaceRef } from './spaces.ts';

/** The space's name for people: the stored title, or the kind's name where the space has none. */
const spaceTitle = (req: Request, a: { space: SpaceRef; title: string }) => req.t(`community:kinds.${a.space.kind}`, { title: a.title || a.space.ref });

const threadUrl = (id: string) => `/community/threads/${id}`;

/**
 * The locals of a form page shown again after a refusal: where the page itself is refused too (not a
 * member), the view shows only the refusal's message, with its status.
 */
const orRefusedOnly = (req: Request, load: () => Promise<object>) => () =>
  load().catch(() => ({ refusedOnly: true, title: req.t('community:titles.refused') }));

/**
 * What every page of a signed-in person shows of the community: the unread badge in the navigation,
 * and on the profile the notification switches. Mounted by the composition root before the routers.
 */
export function communityViewLocals(s: CommunityService): RequestHandler {
  return async (req, res, next) => {
    if (!req.user || req.method !== 'GET' || wantsJson(req)) return next();
    const viewer = currentUser(req);
    res.locals.communityUnread = await s.notifications.unread(viewer);
    if (req.path === '/profile') res.locals.communitySettings = await s.notifications.settings(viewer);
    next();
  };
}

/** Pages and JSON of the community: spaces, threads, replies, moderation, the live chat and its stream. */
export function communityRoutes(s: CommunityService, live: LiveChannels): Router {
  const r = Router();
  r.use(['/community', '/api/community'], requireLogin);

  r.get('/community', async (req, res) => {
    const viewer = currentUser(req);
    const spaces = await s.membership.spacesOf(viewer);
    const unread = await s.readMarks.unreadThreadsBySpace(
      viewer,
      spaces.map((a) => a.space.key),
    );
    res.render('community/index', {
      title: req.t('community:titles.index'),
      spaces: spaces.map((a) => ({ key: a.space.key, title: spaceTitle(req, a), kind: a.space.kind, unreadThreads: unread.get(a.space.key) ?? 0 })),
    });
  });

  r.get('/community/search', async (req, res) => {
    const { q } = parse(searchQuerySchema, req.query);
    res.render('community/search', {
      title: req.t('community:search.title'),
      q: q ?? '',
      results: q ? await s.threads.search(currentUser(req), q) : undefined,
    });
  });
  r.get('/api/community/search', async (req, res) => {
    const { q } = parse(searchQuerySchema, req.query);
    res.json({ results: q ? await s.threads.search(currentUser(req), q) : [] });
  });

  const renderSpace = async (req: Request, key: string) => {
    const { access, threads } = await s.threads.list(currentUser(req), key);
    const chat = hasChat(access.space) ? await s.chat.history(currentUser(req), key) : undefined;
    // what came since the last visit: the divider in the log and the count; then it counts as seen
    const chatNews = chat ? await s.readMarks.chatNews(currentUser(req), key, chat.messages) : undefined;
    return { title: spaceTitle(req, access), key, access, threads, chat, chatNews };
  };
  r.get('/community/spaces/:key', async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    res.render('community/space', await renderSpace(req, key));
  });
  r.post('/community/spaces/:key/threads', async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    await submitForm(req, res, {
      view: 'community/space',
      schema: newThreadSchema,
      locals: orRefusedOnly(req, () => renderSpace(req, key)),
      action: async (input) => {
        const thread = await s.threads.create(currentUser(req), key, input);
        res.redirect(Status.SEE_OTHER, threadUrl(thread.id));
      },
    });
  });

  const renderThread = async (req: Request, threadId: string) => {
    const t = await s.threads.show(currentUser(req), threadId);
    return { title: t.thread.title, spaceName: spaceTitle(req, t.access), ...t };
  };
  r.get('/community/threads/:threadId', async (req, res) => {
    const { threadId } = parse(threadParamsSchema, req.params);
    res.render('community/thread', await renderThread(req, threadId));
  });
  r.post('/community/threads/:threadId/replies', async (req, res) => {
    const { threadId } = parse(threadParamsSchema, req.params);
    await submitForm(req, res, {
      view: 'community/thread',
      schema: replySchema,
      locals: orRefusedOnly(req, () => renderThread(req, threadId)),
      action: async ({ markdown }) => {
        const post = await s.threads.reply(currentUser(req), threadId, markdown);
        res.redirect(Status.SEE_OTHER, `${threadUrl(threadId)}#post-${post.id}`);
      },
    });
  });
  r.post('/community/threads/:threadId/moderate', async (req, res) => {
    const { threadId } = parse(threadParamsSchema, req.params);
    const { action } = parse(moderateSchema, req.body);
    const thread = await s.threads.moderateThread(currentUser(req), threadId, action);
    req.flash('success', req.t(`community:moderation.done.${action}`));
    res.redirect(Status.SEE_OTHER, action === 'hide' ? `/community/spaces/${thread.spaceKey}` : threadUrl(threadId));
  });
  r.post('/community/posts/:postId/edit', async (req, res) => {
    const { postId } = parse(postParamsSchema, req.params);
    const { markdown } = parse(replySchema, req.body);
    const post = await s.threads.edit(currentUser(req), postId, markdown);
    res.redirect(Status.SEE_OTHER, `${threadUrl(post.threadId)}#post-${postId}`);
  });
  r.post('/community/posts/:postId/delete', async (req, res) => {
    const { postId } = parse(postParamsSchema, req.params);
    res.redirect(Status.SEE_OTHER, threadUrl(await s.threads.remove(currentUser(req), postId)));
  });
  r.post('/community/posts/:postId/hide', async (req, res) => {
    const { postId } = parse(postParamsSchema, req.params);
    const { hidden } = parse(hidePostSchema, req.body);
    res.redirect(Status.SEE_OTHER, threadUrl(await s.threads.hidePost(currentUser(req), postId, hidden)));
  });
  r.post('/community/posts/:postId/accept', async (req, res) => {
    const { postId } = parse(postParamsSchema, req.params);
    res.redirect(Status.SEE_OTHER, `${threadUrl(await s.threads.accept(currentUser(req), postId))}#post-${postId}`);
  });
  r.post('/community/posts/:postId/helpful', async (req, res) => {
    const { postId } = parse(postParamsSchema, req.params);
    res.redirect(Status.SEE_OTHER, `${threadUrl(await s.threads.helpful(currentUser(req), postId))}#post-${postId}`);
  });
  r.post('/community/posts/:postId/report', async (req, res) => {
    const { postId } = parse(postParamsSchema, req.params);
    const { reason } = parse(reportSchema, req.body);
    const threadId = await s.threads.report(currentUser(req), postId, reason);
    req.flash('success', req.t('community:report.thanks'));
    res.redirect(Status.SEE_OTHER, threadUrl(threadId));
  });

  r.get('/community/notifications', async (req, res) => {
    const viewer = currentUser(req);
    res.render('community/notifications', { title: req.t('community:titles.notifications'), list: await s.notifications.list(viewer) });
  });
  r.post('/community/notifications/read', async (req, res) => {
    await s.notifications.markAllRead(currentUser(req));
    res.redirect(Status.SEE_OTHER, '/community/notifications');
  });
  r.post('/community/notifications/settings', async (req, res) => {
    const { immediate, digest } = parse(notificationSettingsSchema, req.body);
    await s.notifications.saveSettings(currentUser(req), { immediate, digest });
    req.flash('success', req.t('community:notifications.saved'));
    res.redirect(Status.SEE_OTHER, '/profile#community-notifications');
  });

  // attachments: multipart, the CSRF token in the query (the body is parsed only by multer)
  r.post('/community/spaces/:key/files', singleUpload({ field: 'file', maxBytes: COMMUNITY_FILE_MAX_BYTES }), async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    const { markdown } = await s.files.upload(currentUser(req), key, uploadedFile(req, 'file', 'community:errors.noFile'));
    if (wantsJson(req)) {
      res.status(Status.CREATED).json({ markdown });
      return;
    }
    req.flash('success', req.t('community:files.uploaded', { markdown }));
    res.redirect(Status.SEE_OTHER, `/community/spaces/${key}`);
  });
  r.get('/community/files/:fileId', async (req, res) => {
    const { fileId } = parse(fileParamsSchema, req.params);
    const { file, stream } = await s.files.forMember(currentUser(req), fileId);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.length));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Content-Disposition', `${file.contentType === 'application/pdf' ? 'attachment' : 'inline'}; filename="${file.fileName}"`);
    stream.pipe(res);
  });

  // JSON: the same services
  r.get('/api/community/spaces/:key/threads', async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    const { threads } = await s.threads.list(currentUser(req), key);
    res.json({ threads });
  });
  r.get('/api/community/threads/:threadId', async (req, res) => {
    const { threadId } = parse(threadParamsSchema, req.params);
    const { thread, posts } = await s.threads.show(currentUser(req), threadId);
    res.json({ thread, posts });
  });
  r.get('/api/community/spaces/:key/chat', async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    const { before } = parse(chatHistoryQuerySchema, req.query);
    res.json(await s.chat.history(currentUser(req), key, before));
  });
  r.post('/api/community/spaces/:key/chat', async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    const { text } = parse(chatMessageSchema, req.body);
    res.status(Status.CREATED).json({ message: await s.chat.send(currentUser(req), key, text) });
  });
  r.post('/api/community/chat/:messageId/hide', async (req, res) => {
    const { messageId } = parse(messageParamsSchema, req.params);
    await s.chat.hide(currentUser(req), messageId);
    res.status(Status.NO_CONTENT).end();
  });
  // the live stream: membership checked before the first byte (and again while it is open,
  // live-channels.ts), then what a reconnect missed, then live
  r.get('/api/community/spaces/:key/chat/stream', async (req, res) => {
    const { key } = parse(spaceParamsSchema, req.params);
    const viewer = currentUser(req);
    const lastId = parse(lastEventIdSchema, req.get('last-event-id') ?? req.query.lastEventId);
    const missed = await s.chat.openStream(viewer, key, lastId);
    const session = await createSession(req, res, { keepAlive: 15_000, retry: 1000, headers: { 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' } });
    // the newest message this stream delivered: seen when it closes (the unread divider of the next visit)
    let delivered = '';
    session.on('push', (_data, eventName, eventId) => {
      if (eventName === 'message' && eventId) delivered = eventId;
    });
    session.once('disconnected', () => {
      // a mark that is lost only shows these messages as new once more
      if (delivered) void s.readMarks.seeChat(viewer, key, delivered).catch(() => {});
    });
    for (const m of missed) session.push(m, 'message', m.id);
    live.join(key, { viewer, session, end: () => res.end() });
  });
  return r;
}
