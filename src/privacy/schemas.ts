import { z } from 'zod';
import { AUDIT_ACTIONS } from './ports.ts';

// Messages are i18n keys (namespace privacy).
export const erasureRequestSchema = z.object({
  understood: z.literal('yes', { message: 'privacy:errors.understood' }),
});

/** An admin acts on behalf of a person named by e-mail (the address they registered with). */
export const onBehalfSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).email('privacy:errors.email'),
});

export const exportTokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{40,60}$/, 'privacy:errors.exportNotFound') });

export const auditQuerySchema = z.object({
  action: z
    .enum(AUDIT_ACTIONS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  before: z
    .string()
    .datetime()
    .optional()
    .or(z.literal('').transform(() => undefined))
    .transform((v) => (v ? new Date(v) : undefined)),
});
