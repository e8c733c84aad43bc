import { z } from 'zod';
import { objectId } from '../http/ids.ts';
import { DASHBOARD_TABLES } from './tables.ts';

export const cohortParamsSchema = z.object({ id: objectId('qualification:errors.cohortNotFound') });
export const learnerParamsSchema = z.object({ learnerId: objectId('qualification:errors.personNotFound') });

/** How many days without activity count as "inactive" (14 unless the trainer picks another). */
export const dashboardQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(365).optional() });

const moduleSlug = z
  .string()
  .trim()
  .max(100)
  .regex(/^[a-z0-9-]*$/, 'insight:errors.badModule');
export const questionsQuerySchema = z.object({
  sort: z.enum(['share', 'answers', 'attempts', 'module']).optional(),
  module: moduleSlug.optional().transform((m) => m || undefined),
});

export const exportParamsSchema = z.object({
  id: objectId('qualification:errors.cohortNotFound'),
  table: z.enum([...DASHBOARD_TABLES, 'questions'], { message: 'insight:errors.unknownTable' }),
  format: z.enum(['csv', 'xlsx'], { message: 'insight:errors.unknownFormat' }),
});
export const timelineExportParamsSchema = z.object({
  learnerId: objectId('qualification:errors.personNotFound'),
  format: z.enum(['csv', 'xlsx'], { message: 'insight:errors.unknownFormat' }),
});

export const timelineQuerySchema = z.object({
  module: moduleSlug.optional().transform((m) => m || undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** The digest form: the checkbox is sent only when ticked. */
export const digestFormSchema = z.object({ optOut: z.literal('on').optional() });
