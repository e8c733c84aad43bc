import { Schema, type Connection, type Types } from 'mongoose';
import { defineModel } from '../db/define-model.ts';

/**
 * The community's collections. Spaces are not stored: a space is a key derived from the qualification
 * (cohort-<id>, session-<id>, module-<slug>, lotsen, mentor-<learnerId>) and its members are read from
 * the qualification on every access (membership.ts), so a cohort change counts at once and no second
 * copy of the roster can drift.
 */

/** A thread in a space: its first post holds the text; counters are kept up to date by the repository. */
export interface ThreadDoc {
  _id: Types.ObjectId;
  spaceKey: string;
  /** '' once the author's account is erased ("ehemaliges Mitglied"). */
  authorId: string;
  title: string;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  replyCount: number;
  createdAt: Date;
  lastPostAt: Date;
  /** Module Q&A: the reply the asker (or a moderator) marked as the answer; '' while none is. */
  acceptedPostId: string;
}

/** A member found a post in a module Q&A helpful ("hilfreich"); once per member and post. */
export interface HelpfulDoc {
  _id: Types.ObjectId;
  postId: string;
  userId: string;
  at: Date;
}

/** A post (the thread's opening post has `first: true`). The Markdown as typed and its sanitised HTML. */
export interface PostDoc {
  _id: Types.ObjectId;
  threadId: string;
  spaceKey: string;
  authorId: string;
  first: boolean;
  markdown: string;
  html: string;
  hidden: boolean;
  deleted: boolean;
  createdAt: Date;
  editedAt: Date | null;
}

/** A member's report of a post to the space's moderators. */
export interface ReportDoc {
  _id: Types.ObjectId;
  postId: string;
  spaceKey: string;
  reporterId: string;
  reason: string;
  at: Date;
}

/** One chat message in a Klassenzimmer or Q2 session; the id orders the history and is the SSE event id. */
export interface ChatMessageDoc {
  _id: Types.ObjectId;
  spaceKey: string;
  authorId: string;
  text: string;
  hidden: boolean;
  at: Date;
}

/** Something that happened for a person: a mention, a mentor's message, a reply to their thread. */
export interface NotificationDoc {
  _id: Types.ObjectId;
  userId: string;
  kind: NotificationKind;
  /** Who caused it and where: the text for people is made from these when shown. */
  actorId: string;
  title: string;
  link: string;
  createdAt: Date;
  readAt: Date | null;
  /** When it went out by mail (at once, or in a daily digest); null while it waits. */
  mailedAt: Date | null;
}
export type NotificationKind = 'mention' | 'mentor' | 'reply';

/** A person's notification switches (absent: both on). */
export interface NotificationSettingsDoc {
  _id: string;
  /** Mentions and mentor messages by mail at once. */
  immediate: boolean;
  /** Everything else once a day. */
  digest: boolean;
}

/**
 * How far a member has read: a thread (up to its reply count when they last opened it), or the chat
 * of a space (up to the newest message they were shown; threadId ''). One per member and thread or
 * chat; the unread markers compare these with the threads' counters and the chat's ids.
 */
export interface ReadMarkDoc {
  _id: Types.ObjectId;
  userId: string;
  spaceKey: string;
  /** The thread read; '' for the mark of the space's chat. */
  threadId: string;
  /** Thread: the replies it had when last opened (-1 none; the opening post makes a new thread unread). */
  seenReplies: number;
  /** Chat: the id (hex) of the newest message shown; ids of one length in hex sort as the ObjectIds do. */
  seenChatId: string;
  at: Date;
}

/** A chat message as the services pass it (the fan-out port carries it too). */
export type ChatMessage = Omit<ChatMessageDoc, '_id'> & { id: string };

const threadSchema = new Schema<ThreadDoc>(
  {
    spaceKey: { type: String, required: true },
    authorId: { type: String, default: '' },
    title: { type: String, required: true },
    pinned: { type: Boolean, default: false },
    locked: { type: Boolean, default: false },
    hidden: { type: Boolean, default: false },
    replyCount: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    lastPostAt: { type: Date, required: true },
    acceptedPostId: { type: String, default: '' },
  },
  { collection: 'community_threads', versionKey: false },
);
// a space's thread list: pinned first, then the latest activity
threadSchema.index({ spaceKey: 1, pinned: -1, lastPostAt: -1 });
threadSchema.index({ authorId: 1 });

const postSchema = new Schema<PostDoc>(
  {
    threadId: { type: String, required: true },
    spaceKey: { type: String, required: true },
    authorId: { type: String, default: '' },
    first: { type: Boolean, default: false },
    markdown: { type: String, required: true },
    html: { type: String, required: true },
    hidden: { type: Boolean, default: false },
    deleted: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
  },
  { collection: 'community_posts', versionKey: false },
);
postSchema.index({ threadId: 1, createdAt: 1 });
postSchema.index({ authorId: 1 });

const reportSchema = new Schema<ReportDoc>(
  {
    postId: { type: String, required: true },
    spaceKey: { type: String, required: true },
    reporterId: { type: String, required: true },
    reason: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { collection: 'community_reports', versionKey: false },
);
reportSchema.index({ postId: 1, reporterId: 1 }, { unique: true });
reportSchema.index({ spaceKey: 1, at: -1 });
reportSchema.index({ reporterId: 1 });

const chatSchema = new Schema<ChatMessageDoc>(
  {
    spaceKey: { type: String, required: true },
    authorId: { type: String, default: '' },
    text: { type: String, required: true },
    hidden: { type: Boolean, default: false },
    at: { type: Date, required: true },
  },
  { collection: 'community_chat_messages', versionKey: false },
);
// history pages and "what was missed since id X" both walk a space by id
chatSchema.index({ spaceKey: 1, _id: -1 });
chatSchema.index({ authorId: 1, at: -1 });

const notificationSchema = new Schema<NotificationDoc>(
  {
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    actorId: { type: String, default: '' },
    title: { type: String, default: '' },
    link: { type: String, required: true },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
    mailedAt: { type: Date, default: null },
  },
  { collection: 'community_notifications', versionKey: false },
);
// the badge and the list read a person's newest; the digest reads what has not gone out
notificationSchema.index({ userId: 1, readAt: 1, createdAt: -1 });
notificationSchema.index({ mailedAt: 1, userId: 1 });
notificationSchema.index({ actorId: 1 });

const settingsSchema = new Schema<NotificationSettingsDoc>(
  { _id: { type: String, required: true }, immediate: { type: Boolean, default: true }, digest: { type: Boolean, default: true } },
  { collection: 'community_notification_settings', versionKey: false },
);

const helpfulSchema = new Schema<HelpfulDoc>(
  { postId: { type: String, required: true }, userId: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'community_helpful', versionKey: false },
);
helpfulSchema.index({ postId: 1, userId: 1 }, { unique: true });
helpfulSchema.index({ userId: 1 });

const readMarkSchema = new Schema<ReadMarkDoc>(
  {
    userId: { type: String, required: true },
    spaceKey: { type: String, required: true },
    threadId: { type: String, default: '' },
    seenReplies: { type: Number, default: -1 },
    seenChatId: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { collection: 'community_read_marks', versionKey: false },
);
// one mark per member and thread (or chat); its prefixes serve a space's marks and the privacy entry's by person
readMarkSchema.index({ userId: 1, spaceKey: 1, threadId: 1 }, { unique: true });
// erasure: a thread that goes takes everyone's marks of it along
readMarkSchema.index({ threadId: 1 });

export function communityModels(connection: Connection) {
  return {
    Thread: defineModel(connection, 'CommunityThread', threadSchema),
    Post: defineModel(connection, 'CommunityPost', postSchema),
    Report: defineModel(connection, 'CommunityReport', reportSchema),
    Chat: defineModel(connection, 'CommunityChatMessage', chatSchema),
    Notification: defineModel(connection, 'CommunityNotification', notificationSchema),
    Settings: defineModel(connection, 'CommunityNotificationSettings', settingsSchema),
    Helpful: defineModel(connection, 'CommunityHelpful', helpfulSchema),
    ReadMark: defineModel(connection, 'CommunityReadMark', readMarkSchema),
  };
}
