import { z } from 'zod';
import { SCOPES } from './types.ts';

// Messages are i18n keys (namespace lrs); the admin forms render them in the visitor's language.
export const newClientSchema = z.object({
  name: z.string().trim().min(2, 'lrs:admin.errors.name').max(120, 'lrs:admin.errors.name'),
  scopes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(SCOPES)).min(1, 'lrs:admin.errors.scopes')),
});
export type NewClientInput = z.infer<typeof newClientSchema>;

export const clientIdSchema = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/) });

const optional = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), z.string().max(500).optional());
export const statementBrowserSchema = z.object({
  learner: optional,
  verb: optional,
  activity: optional,
  registration: optional,
  more: optional,
  id: optional,
});
export type StatementBrowserQuery = z.infer<typeof statementBrowserSchema>;
