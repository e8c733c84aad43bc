import { z } from 'zod';
import { objectId } from '../http/ids.ts';
import { spaceKeySchema } from './spaces.ts';

export const spaceParamsSchema = z.object({ key: spaceKeySchema });
export const threadParamsSchema = z.object({ threadId: objectId('community:errors.threadNotFound') });
export const postParamsSchema = z.object({ postId: objectId('community:errors.postNotFound') });
export const fileParamsSchema = z.object({ fileId: objectId('community:errors.fileNotFound') });
export const messageParamsSchema = z.object({ messageId: objectId('community:errors.messageNotFound') });

const markdown = z.string().trim().min(1, 'community:errors.textRequired').max(20_000, 'community:errors.textTooLong');

export const newThreadSchema = z.object({
  title: z.string().trim().min(3, 'community:errors.titleRequired').max(200, 'community:errors.titleTooLong'),
  markdown,
});
export const replySchema = z.object({ markdown });
export const moderateSchema = z.object({ action: z.enum(['pin', 'unpin', 'lock', 'unlock', 'hide', 'unhide'], { message: 'community:errors.unknownAction' }) });
export const hidePostSchema = z.object({ hidden: z.enum(['true', 'false']).transform((v) => v === 'true') });
export const reportSchema = z.object({ reason: z.string().trim().max(1000, 'community:errors.textTooLong').default('') });

export const chatMessageSchema = z.object({ text: z.string().trim().min(1, 'community:errors.textRequired').max(2000, 'community:errors.chatTooLong') });
export const chatHistoryQuerySchema = z.object({ before: objectId('community:errors.messageNotFound').optional() });
/** The SSE reconnect header (EventSource sends the last event id it saw); anything else counts as none. */
export const lastEventIdSchema = z
  .string()
  .optional()
  .transform((v) => (v && /^[a-f0-9]{24}$/.test(v) ? v : ''));

/** The profile's switches: a checkbox is sent only when ticked. */
export const notificationSettingsSchema = z.object({
  immediate: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
  digest: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
});

export const sessionParamsSchema = z.object({ sessionId: objectId('qualification:errors.sessionNotFound') });
export const cohortParamsSchema = z.object({ cohortId: objectId('qualification:errors.cohortNotFound') });
export const entryParamsSchema = z.object({ entryId: objectId('community:errors.entryNotFound') });
const sharing = z.enum(['private', 'team', 'mentor'], { message: 'community:errors.unknownSharing' });
export const journalEntrySchema = z.object({ markdown, sharing: sharing.default('private') });
export const sharingSchema = z.object({ sharing });
export const commentSchema = z.object({ markdown });
export const teamSchema = z.object({
  name: z.string().trim().min(1, 'community:errors.teamNameRequired').max(100, 'community:errors.titleTooLong'),
  memberIds: z
    .union([objectId('community:errors.notInCohort'), z.array(objectId('community:errors.notInCohort')).max(100)])
    .transform((v) => (Array.isArray(v) ? v : [v])),
});
export const promptSchema = z.object({ text: z.string().trim().min(1, 'community:errors.textRequired').max(4000, 'community:errors.textTooLong') });

export const searchQuerySchema = z.object({
  q: z.string().trim().min(2, 'community:errors.searchTooShort').max(100, 'community:errors.textTooLong').optional(),
});
