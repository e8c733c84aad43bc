import { z } from 'zod';
import { validationError, type FieldProblem } from '../shared/errors.ts';
import { SCOPES, type Actor, type StatementQuery } from './types.ts';
import { isIri, isTimestamp, isUuid } from './validation/formats.ts';
import { validateActor } from './validation/validate-actor.ts';
import { objectIdParams } from '../http/ids.ts';

// Messages are i18n keys (namespace lrs); the admin forms render them in the visitor's language.
export const newClientSchema = z.object({
  name: z.string().trim().min(2, 'lrs:admin.errors.name').max(120, 'lrs:admin.errors.name'),
  scopes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(SCOPES)).min(1, 'lrs:admin.errors.scopes')),
});
export type NewClientInput = z.infer<typeof newClientSchema>;

export const clientIdSchema = objectIdParams('id');

const optional = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
  z.string().max(500).optional(),
);
export const statementBrowserSchema = z.object({
  learner: optional,
  verb: optional,
  activity: optional,
  registration: optional,
  more: optional,
  id: optional,
});
export type StatementBrowserQuery = z.infer<typeof statementBrowserSchema>;

/*
 * The query parameters of the xAPI resources (Communication §2.1.3, §2.3–2.7), each checked as the
 * same value in a statement would be. A refusal names the parameter (400, `fields`) with an i18n key;
 * only the first parameter in error is named, as the conformance suite expects one reason.
 */
const BAD = 'lrs:errors.badParam';
const boolParam = z
  .enum(['true', 'false'], { message: BAD })
  .transform((v) => v === 'true')
  .optional();
const iriParam = z.string().refine(isIri, BAD);
const uuidParam = z
  .string()
  .refine(isUuid, BAD)
  .transform((id) => id.toLowerCase());
const timestampParam = z.string().refine(isTimestamp, BAD);
const formatParam = z.enum(['ids', 'exact', 'canonical'], { message: BAD }).optional();

/** An agent given as JSON (Communication §2.1.3 `agent`): one Agent or identified Group. */
const agentParam = z.string().transform((raw, ctx): Actor => {
  let agent: unknown;
  try {
    agent = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'lrs:errors.badAgent' });
    return z.NEVER;
  }
  const problems: FieldProblem[] = [];
  validateActor(problems, 'agent', agent);
  for (const p of problems) ctx.addIssue({ code: 'custom', message: 'lrs:errors.badAgent', params: { problem: p } });
  return agent as Actor;
});

export const statementQuerySchema = z
  .object({
    format: formatParam,
    attachments: boolParam,
    ascending: boolParam,
    agent: agentParam.optional(),
    verb: iriParam.optional(),
    activity: iriParam.optional(),
    registration: uuidParam.optional(),
    related_activities: boolParam,
    related_agents: boolParam,
    since: timestampParam.optional(),
    until: timestampParam.optional(),
    limit: z.string().regex(/^\d+$/, BAD).transform(Number).optional(),
  })
  .transform(({ related_activities, related_agents, ...q }): StatementQuery => ({
    ...q,
    relatedActivities: related_activities,
    relatedAgents: related_agents,
  }));

/** GET /statements?statementId= or ?voidedStatementId= (Communication §2.1.3, Data §2.3.2). */
export const singleStatementSchema = z
  .object({ statementId: uuidParam.optional(), voidedStatementId: uuidParam.optional(), format: formatParam, attachments: boolParam })
  .superRefine((p, ctx) => {
    if (p.statementId !== undefined && p.voidedStatementId !== undefined)
      ctx.addIssue({ code: 'custom', message: 'lrs:errors.bothIds', path: ['statementId'] });
  })
  .transform(({ statementId, voidedStatementId, ...rest }) => ({ id: (statementId ?? voidedStatementId)!, voided: voidedStatementId !== undefined, ...rest }));

/** PUT /statements?statementId= (Communication §2.1.1): the id is required. */
export const putStatementSchema = z.object({ statementId: uuidParam.optional() }).transform((p, ctx) => {
  if (p.statementId === undefined) {
    ctx.addIssue({ code: 'custom', message: 'lrs:errors.missingParam', path: ['statementId'] });
    return z.NEVER;
  }
  return { statementId: p.statementId };
});

/** The `agent` parameter of the document and Agents resources (Communication §2.3, §2.4, §2.7). */
export const agentParamSchema = z.object({ agent: agentParam });

/**
 * Parses parameters by a schema; a refusal as the LRS gives it: a validation error with the first
 * parameter in error, its problems as `fields` (an invalid agent: each of its problems).
 */
export function parseParams<S extends z.ZodType>(schema: S, params: Record<string, string | undefined>): z.output<S> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const first = r.error.issues[0]!;
  const name = String(first.path[0] ?? '');
  const fields = r.error.issues
    .filter((i) => String(i.path[0] ?? '') === name)
    .map((i) => (i as { params?: { problem?: FieldProblem } }).params?.problem ?? { field: name, message: i.message });
  throw validationError(first.message, fields);
}
