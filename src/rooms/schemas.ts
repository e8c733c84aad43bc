import { z } from 'zod';
import { REGIONS } from '../accounts/roles.ts';
import { objectId } from '../http/ids.ts';
import { berlinLocalToDate } from '../qualification/schemas.ts';
import { COMPANY_SIZES, DATE_MODES } from './model.ts';

// Messages are i18n keys (namespace rooms); the form renders them in the visitor's language.

/** A room needs at least this many workshop dates (issue #21: "mindestens vier Termine"). */
export const MIN_DATES = 4;
export const MAX_DATES = 12;

const text = (max: number, message: string) => z.string().trim().max(max, message);
const required = (min: number, max: number, message: string) => z.string().trim().min(min, message).max(max, message);
const email = z.string().trim().toLowerCase().max(254).email('rooms:errors.email');
const emails = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[\s,;]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((list) => list.every((e) => z.string().email().safeParse(e).success), 'rooms:errors.emailList')
  .refine((list) => list.length <= 50, 'rooms:errors.emailList');

const dateRow = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9]{0,16}$/)
    .optional()
    .default(''),
  startsAt: z.string().trim().optional().default(''),
  mode: z.string().trim().optional().default(''),
  place: z.string().trim().max(500, 'rooms:errors.place').optional().default(''),
});
type DateRow = z.infer<typeof dateRow>;

/** One filled-in row of the dates table; empty rows are dropped, half-filled ones are refused. */
function checkDate(row: DateRow, ctx: z.RefinementCtx, i: number) {
  const startsAt = berlinLocalToDate(row.startsAt);
  if (Number.isNaN(startsAt.getTime())) ctx.addIssue({ code: 'custom', path: [i, 'startsAt'], message: 'rooms:errors.dateStartsAt' });
  if (!(DATE_MODES as readonly string[]).includes(row.mode)) ctx.addIssue({ code: 'custom', path: [i, 'mode'], message: 'rooms:errors.dateMode' });
  if (row.mode === 'virtuell' && !/^https?:\/\/\S+$/.test(row.place)) ctx.addIssue({ code: 'custom', path: [i, 'place'], message: 'rooms:errors.dateLink' });
  if (row.mode === 'vor-ort' && row.place.length < 5) ctx.addIssue({ code: 'custom', path: [i, 'place'], message: 'rooms:errors.dateAddress' });
  return { key: row.key, startsAt, mode: row.mode as (typeof DATE_MODES)[number], place: row.place };
}

const dates = z
  .union([z.array(dateRow), z.record(z.string(), dateRow)])
  .optional()
  .transform((v, ctx) => {
    const rows = (Array.isArray(v) ? v : Object.values(v ?? {})).filter((r) => r.startsAt || r.mode || r.place);
    const checked = rows.map((r, i) => checkDate(r, ctx, i));
    if (checked.length < MIN_DATES) ctx.addIssue({ code: 'custom', message: 'rooms:errors.fourDates' });
    if (checked.length > MAX_DATES) ctx.addIssue({ code: 'custom', message: 'rooms:errors.tooManyDates' });
    return checked.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  });

/** "Name; Fachgebiet; E-Mail", one expert a line (the e-mail may be left out). */
const experts = z
  .string()
  .max(5000, 'rooms:errors.experts')
  .optional()
  .transform((v, ctx) =>
    (v ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const [name = '', field = '', mail = ''] = line.split(';').map((s) => s.trim());
        if (name.length < 2 || !field || (mail && !z.string().email().safeParse(mail).success))
          ctx.addIssue({ code: 'custom', message: 'rooms:errors.experts' });
        return { name: name.slice(0, 120), field: field.slice(0, 120), email: mail.toLowerCase() };
      }),
  );

export const roomFormSchema = z.object({
  title: required(3, 200, 'rooms:errors.title'),
  topic: required(2, 120, 'rooms:errors.topic'),
  region: z.enum(REGIONS, { message: 'rooms:errors.region' }),
  targetTrade: text(200, 'rooms:errors.targetTrade').default(''),
  targetSize: z.enum(COMPANY_SIZES, { message: 'rooms:errors.companySize' }),
  description: text(5000, 'rooms:errors.description').default(''),
  capacity: z.coerce
    .number({ message: 'rooms:errors.capacity' })
    .int('rooms:errors.capacity')
    .min(2, 'rooms:errors.capacity')
    .max(200, 'rooms:errors.capacity'),
  dates,
  coModeratorEmails: emails,
  experts,
});
export type RoomInput = z.infer<typeof roomFormSchema>;

export const roomParamsSchema = z.object({ id: objectId('rooms:errors.roomNotFound') });
export const dateParamsSchema = z.object({
  id: objectId('rooms:errors.roomNotFound'),
  dateKey: z.string().regex(/^[a-z0-9]{1,16}$/, 'rooms:errors.dateNotFound'),
});
export const materialParamsSchema = z.object({ id: objectId('rooms:errors.roomNotFound'), materialId: objectId('rooms:errors.materialNotFound') });
export const tokenParamsSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'rooms:errors.invitationInvalid') });

export const inviteSchema = z.object({ emails: emails.refine((l) => l.length > 0, 'rooms:errors.emailList') });
export const linkActionSchema = z.object({ action: z.enum(['renew', 'close'], { message: 'rooms:errors.unknownAction' }) });
export const registrationActionSchema = z.object({ action: z.enum(['register', 'unregister'], { message: 'rooms:errors.unknownAction' }) });

/** Attendance: a checkbox per participant, ticked for those who came (`attended` holds their ids). */
export const attendanceSchema = z.object({
  attended: z
    .union([objectId('rooms:errors.notParticipant'), z.array(objectId('rooms:errors.notParticipant')).max(500)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const resultSchema = z.object({
  tried: text(5000, 'rooms:errors.resultText').default(''),
  worked: text(5000, 'rooms:errors.resultText').default(''),
  nextSteps: text(5000, 'rooms:errors.resultText').default(''),
});
export type ResultInput = z.infer<typeof resultSchema>;

export const linkMaterialSchema = z.object({
  title: required(2, 200, 'rooms:errors.materialTitle'),
  url: z
    .string()
    .trim()
    .max(2000)
    .regex(/^https?:\/\/\S+$/, 'rooms:errors.materialUrl'),
});
export const moduleMaterialSchema = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,100}$/, 'rooms:errors.moduleNotFound'),
});
export const uploadTitleSchema = z.object({ title: text(200, 'rooms:errors.materialTitle').default('') });

const passwordsMatch = { path: ['passwordConfirm'], message: 'accounts:errors.passwordMismatch' };
/** A company participant's registration through an invitation (light guest account, consent required). */
export const guestRegistrationSchema = z
  .object({
    name: required(2, 120, 'accounts:errors.name'),
    email,
    company: required(2, 160, 'rooms:errors.company'),
    companyRole: text(120, 'rooms:errors.companyRole').default(''),
    trade: required(2, 120, 'rooms:errors.trade'),
    companySize: z.enum(COMPANY_SIZES, { message: 'rooms:errors.companySize' }),
    password: z.string().min(10, 'accounts:errors.passwordLength').max(200, 'accounts:errors.passwordLength'),
    passwordConfirm: z.string(),
    privacyNotice: z.literal('yes', { message: 'privacy:register.consentRequired' }),
  })
  .refine((v) => v.password === v.passwordConfirm, passwordsMatch);
export type GuestRegistrationInput = z.infer<typeof guestRegistrationSchema>;

export const overviewQuerySchema = z.object({
  region: z
    .enum(REGIONS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
