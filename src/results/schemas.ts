import { z } from 'zod';
import { REGIONS } from '../accounts/roles.ts';
import { MODERATION_REASONS } from './model.ts';

/** A room's id as the rooms component writes it into URLs (the port decides whether it exists). */
export const roomParamsSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'results:errors.roomNotFound') });
export const slugParamsSchema = z.object({ slug: z.string().regex(/^[a-z0-9-]{3,100}$/, 'results:errors.notFound') });

/** A checkbox is sent only when ticked. */
const checkbox = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on');
const text = z.string().trim().max(10_000, 'results:errors.textTooLong').default('');

/**
 * The publish form: the Lotse's title and results texts, and what to include. The facts themselves
 * (topic, region, trades, sizes, counts, dates) are read from the room at publication, never taken
 * from the form.
 */
export const publishFormSchema = z.object({
  intent: z.enum(['preview', 'publish', 'edit'], { message: 'results:errors.unknownIntent' }).default('preview'),
  title: z.string().trim().min(3, 'results:errors.titleRequired').max(200, 'results:errors.titleTooLong'),
  tried: text,
  worked: text,
  nextSteps: text,
  includeTrades: checkbox,
  includeCompanySizes: checkbox,
  includeCompanyBand: checkbox,
  includeDatesHeld: checkbox,
  includePeriod: checkbox,
  periodPrecision: z.enum(['year', 'month'], { message: 'results:errors.periodPrecision' }).default('year'),
  namedAsLotse: checkbox,
});
export type PublishForm = z.infer<typeof publishFormSchema>;
export type PublishChoices = Omit<PublishForm, 'intent'>;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'results:errors.textTooLong')
    .optional()
    .transform((v) => v || undefined);

/** /ergebnisse?q=&region=&trade=&topic=&page= */
export const searchQuerySchema = z.object({
  q: optionalText(100),
  region: z
    .union([z.enum(REGIONS), z.literal('')], { message: 'results:errors.unknownRegion' })
    .optional()
    .transform((v) => v || undefined),
  trade: optionalText(200),
  topic: optionalText(200),
  page: z.coerce.number().int('results:errors.page').min(1, 'results:errors.page').max(1000, 'results:errors.page').default(1),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** The profile's switch: the practice on the certificate's public verify page. */
export const practiceSettingSchema = z.object({ showOnCertificate: checkbox });

/** An admin's withdrawal on the detail page: why (a code, recorded in the audit trail). */
export const moderationSchema = z.object({ reason: z.enum(MODERATION_REASONS, { message: 'results:errors.moderationReason' }) });
