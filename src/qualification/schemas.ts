import { z } from 'zod';
import { objectId, objectIdParams } from '../http/ids.ts';
import { isObjectId } from '../shared/object-id.ts';

/** Evidence files may be scans: 10 MB is plenty for a PDF or photo of a certificate. */
export const EVIDENCE_MAX_BYTES = 10 * 1024 * 1024;
/** A partner's CSV of verified authorisations. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
/** The one upload of each form (evidence, import) comes in this field. */
export const FILE_FIELD = 'file';

/** "2026-03-01T09:30" from <input type="datetime-local"> is German local time; ISO strings with a zone are taken as they are. */
export function berlinLocalToDate(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return new Date(value);
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // the Berlin offset at that moment (CET or CEST), found by formatting the UTC guess in Berlin
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(asUtc));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const berlinAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(asUtc - (berlinAsUtc - asUtc));
}

const dateTime = (msg: string) =>
  z.union([z.string().trim().min(1, msg).transform(berlinLocalToDate), z.date()]).refine((d) => !Number.isNaN(d.getTime()), msg);
const day = (msg: string) =>
  z
    .union([
      z
        .string()
        .trim()
        .regex(/^\d{4}-\d{2}-\d{2}/, msg)
        .transform((s) => new Date(`${s.slice(0, 10)}T00:00:00Z`)),
      z.date(),
    ])
    .refine((d) => !Number.isNaN(d.getTime()), msg);
/** Checkboxes and multi-selects send one value, several, or none; JSON sends an array. */
const idList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : v.split(/[\s,;]+/)).map((s) => s.trim()).filter(Boolean))
  .refine((ids) => ids.every(isObjectId), 'qualification:errors.idList');
const emailList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[\s,;]+/)
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );

export const idParamSchema = objectIdParams('id', 'qualification:errors.id');
export const learnerKindParamSchema = z.object({ learnerId: objectId('qualification:errors.id'), kind: z.enum(['authorisation', 'workshop']) });
export const kindParamSchema = z.object({ kind: z.enum(['authorisation', 'workshop']) });

export const authorisationSchema = z.object({
  number: z.string().trim().min(1, 'qualification:errors.number').max(60, 'qualification:errors.number'),
  date: day('qualification:errors.date'),
  partner: z.string().trim().min(2, 'qualification:errors.partner').max(160, 'qualification:errors.partner'),
});
export const workshopSchema = z.object({
  date: day('qualification:errors.date'),
  place: z.string().trim().min(2, 'qualification:errors.place').max(160, 'qualification:errors.place'),
});
export const decisionSchema = z.object({
  decision: z.enum(['verified', 'rejected'], { message: 'qualification:errors.decision' }),
  reason: z.string().trim().max(500).optional(),
});

export const sessionSchema = z.object({
  title: z.string().trim().min(3, 'qualification:errors.title').max(160, 'qualification:errors.title'),
  topic: z.string().trim().min(1, 'qualification:errors.topic').max(60),
  format: z.enum(['praesenz', 'virtuell'], { message: 'qualification:errors.format' }),
  startsAt: dateTime('qualification:errors.dateTime'),
  endsAt: dateTime('qualification:errors.dateTime'),
  place: z.string().trim().max(200).default(''),
  meetingLink: z
    .union([
      z.literal(''),
      z
        .string()
        .trim()
        .url('qualification:errors.link')
        .regex(/^https?:\/\//, 'qualification:errors.link'),
    ])
    .default(''),
  region: z.string().trim().max(60).default(''),
  trainerIds: idList,
  cohortId: z.union([z.literal(''), objectId('qualification:errors.id')]).default(''),
  capacity: z.coerce.number().int('qualification:errors.capacity').min(1, 'qualification:errors.capacity').max(500, 'qualification:errors.capacity'),
  registrationDeadline: dateTime('qualification:errors.dateTime'),
  cancellationDeadline: dateTime('qualification:errors.dateTime'),
});
export type SessionBody = z.infer<typeof sessionSchema>;

export const cohortSchema = z.object({
  name: z.string().trim().min(2, 'qualification:errors.name').max(120, 'qualification:errors.name'),
  region: z.string().trim().max(60).default(''),
  trainerIds: idList,
  learnerIds: idList,
  /** Forms list learners by e-mail, one per line. */
  learnerEmails: emailList,
});

const topicKey = z
  .string()
  .trim()
  .regex(/^[a-z0-9-]{2,60}$/, 'qualification:errors.topicKey');
export const requirementsSchema = z.object({
  q1Modules: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,;]+/)).map((s) => s.trim()).filter(Boolean))
    .refine((l) => l.length > 0 && l.every((s) => /^[a-z0-9-]{2,80}$/.test(s)), 'qualification:errors.modules'),
  q2Topics: z
    .array(
      z.object({
        key: z.union([z.literal(''), topicKey]),
        title: z.string().trim().max(160).default(''),
        requiresQ1: z
          .union([z.boolean(), z.literal('true'), z.literal('on')])
          .optional()
          .transform((v) => v === true || v === 'true' || v === 'on'),
      }),
    )
    // empty rows of the form are dropped
    .transform((l) => l.filter((t) => t.key !== '').map((t) => ({ ...t, title: t.title || t.key })))
    .refine((l) => l.length > 0 && new Set(l.map((t) => t.key)).size === l.length, 'qualification:errors.topics'),
});

export const attendanceSchema = z.object({
  learnerId: objectId('qualification:errors.id'),
  status: z.enum(['attended', 'absent', 'excused'], { message: 'qualification:errors.attendance' }),
});
export const mentorSchema = z.object({
  learnerEmail: z.string().trim().toLowerCase().email('qualification:errors.email').optional(),
  mentorEmail: z.string().trim().toLowerCase().email('qualification:errors.email').optional(),
  learnerId: objectId('qualification:errors.id').optional(),
  mentorId: objectId('qualification:errors.id').optional(),
});
export const rosterQuerySchema = z.object({
  region: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => v || undefined),
});
export const sessionsQuerySchema = z.object({
  topic: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => v || undefined),
});
export const importBodySchema = z.object({
  csv: z.string().min(1, 'qualification:errors.importEmpty').max(2_000_000),
  fileName: z.string().max(200).default('import.csv'),
});
