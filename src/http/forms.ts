import type { Request, Response } from 'express';
import type { z } from 'zod';
import { DomainError, type FieldProblem } from '../shared/errors.ts';
import { fieldProblems } from './validate.ts';
import { translate } from './translate.ts';

const STATUS: Partial<Record<DomainError['kind'], number>> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  conflict: 409,
  'rate-limited': 429,
  'not-found': 404,
};

/** Renders a form again with the visitor's values, a summary and one message per field. */
export function renderFormErrors(req: Request, res: Response, view: string, values: unknown, status: number, summary: string, fields: FieldProblem[], locals: object = {}) {
  const errors = Object.fromEntries(fields.map((f) => [f.field, translate(req.t, f.message)]));
  const { password: _p, passwordConfirm: _c, currentPassword: _cp, _csrf, ...safeValues } = (values ?? {}) as Record<string, unknown>;
  res.status(status).render(view, { ...locals, values: safeValues, errors, errorSummary: translate(req.t, summary) });
}

/**
 * The pipeline of every HTML form: validate → act → (on a domain error the visitor can fix) the form
 * again with German field errors and a 4xx status. Anything else goes on to the error mapper.
 */
export async function submitForm<S extends z.ZodType>(
  req: Request,
  res: Response,
  opts: { view: string; schema: S; locals?: object; action: (input: z.infer<S>) => Promise<void> },
): Promise<void> {
  const parsed = opts.schema.safeParse(req.body);
  if (!parsed.success) {
    renderFormErrors(req, res, opts.view, req.body, 400, 'errors:validationSummary', fieldProblems(parsed.error), opts.locals);
    return;
  }
  try {
    await opts.action(parsed.data);
  } catch (err) {
    const status = err instanceof DomainError ? STATUS[err.kind] : undefined;
    if (!(err instanceof DomainError) || !status) throw err;
    if (err.details.retryAfterSeconds) res.setHeader('Retry-After', String(err.details.retryAfterSeconds));
    const summary = translate(req.t, err.message, err.details);
    renderFormErrors(req, res, opts.view, req.body, status, summary, err.details.fields ?? [], opts.locals);
  }
}
