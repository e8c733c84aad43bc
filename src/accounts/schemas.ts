import { objectIdParams } from '../http/ids.ts';
import { z } from 'zod';
import { REGIONS, ROLES } from './roles.ts';

// Messages are i18n keys (namespace accounts); the form renders them in the visitor's language.
const email = z.string().trim().toLowerCase().max(254).email('accounts:errors.email');
const password = z.string().min(10, 'accounts:errors.passwordLength').max(200, 'accounts:errors.passwordLength');
const name = z.string().trim().min(2, 'accounts:errors.name').max(120, 'accounts:errors.name');
const organisation = z.string().trim().max(160, 'accounts:errors.organisation');
const region = z.enum(REGIONS, { message: 'accounts:errors.region' });

const registerFields = { name, email, organisation, region, password, passwordConfirm: z.string() };
const passwordsMatch = { path: ['passwordConfirm'], message: 'accounts:errors.passwordMismatch' };
export const registerSchema = z.object(registerFields).refine((v) => v.password === v.passwordConfirm, passwordsMatch);
export type RegisterInput = z.infer<typeof registerSchema> & { privacyNotice?: 'yes' };
/** The registration form: the person confirms they took note of the privacy notice (issue #18). */
export const registerFormSchema = z
  .object({ ...registerFields, privacyNotice: z.literal('yes', { message: 'privacy:register.consentRequired' }) })
  .refine((v) => v.password === v.passwordConfirm, passwordsMatch);

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'accounts:errors.email').max(254),
  password: z.string().min(1, 'accounts:errors.passwordRequired').max(200),
});

export const forgotSchema = z.object({ email });
export const resetSchema = z
  .object({ password, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'accounts:errors.passwordMismatch' });

export const profileSchema = z.object({ name, organisation, region });
export type ProfileInput = z.infer<typeof profileSchema>;

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, 'accounts:errors.passwordRequired'), password, passwordConfirm: z.string() })
  .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'accounts:errors.passwordMismatch' });

export const adminUserQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  role: z
    .enum(ROLES)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

/** Checkboxes send one value, several, or none. */
export const adminRolesSchema = z.object({
  roles: z
    .union([z.enum(ROLES), z.array(z.enum(ROLES))])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});
export const objectIdSchema = objectIdParams('id', 'accounts:errors.userId');
