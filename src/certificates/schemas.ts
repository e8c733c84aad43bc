import { z } from 'zod';
import { objectIdParams } from '../http/ids.ts';
import { ISSUE_MODES } from './model.ts';

// Messages are i18n keys (namespace certificates).
export const objectIdSchema = objectIdParams('id', 'certificates:errors.notFound');
export const learnerIdSchema = objectIdParams('learnerId', 'certificates:errors.noLearner');
export const codeParamSchema = z.object({ code: z.string().min(1).max(64) });
export const codeQuerySchema = z.object({ code: z.string().trim().max(64).optional() });
export const statusListParamSchema = z.object({ listId: z.coerce.number().int().min(1).max(1_000_000) });

export const issueModeSchema = z.object({ issueMode: z.enum(ISSUE_MODES, { message: 'certificates:errors.issueMode' }) });
export const revokeSchema = z.object({
  reason: z.string().trim().min(5, 'certificates:errors.reason').max(500, 'certificates:errors.reason'),
});
export const rejectSchema = z.object({
  reason: z.string().trim().min(5, 'certificates:errors.reason').max(500, 'certificates:errors.reason'),
});
/** The pasted credential (the upload is read into the same field). 64 KiB is far above any of ours. */
export const checkSchema = z.object({
  credential: z.string().trim().min(1, 'certificates:errors.credentialEmpty').max(65_536, 'certificates:errors.credentialTooLarge'),
});
