import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { DomainError } from '../shared/errors.ts';
import { parse } from './validate.ts';
import { translate } from './translate.ts';

/** What a page shows again when the service refuses what the visitor sent. */
export interface RefusalForm {
  view: string;
  /** What the visitor entered (passwords and the CSRF token are never sent back). */
  values?: unknown;
  /** The page's other locals; a function when they must be read at the time of the refusal. */
  locals?: object | ((refusal: DomainError) => Promise<object> | object);
}

const REFUSAL_FORM = 'refusalForm';

/**
 * Names the page a refusal re-renders: when the service then throws a DomainError (4xx), the one
 * error mapper (error-mapper.ts) shows this view again with the visitor's values, one message per
 * field and a summary, with the refusal's status. JSON requests get the usual JSON error.
 */
export function onRefusalRender(res: Response, form: RefusalForm): void {
  res.locals[REFUSAL_FORM] = form;
}

/** The page named by onRefusalRender, if any (read by the error mapper). */
export const refusalForm = (res: Response): RefusalForm | undefined => res.locals[REFUSAL_FORM] as RefusalForm | undefined;

/** Renders the named page with the refusal: values, field errors, summary; `refusal` holds the error's details. */
export async function renderRefusal(req: Request, res: Response, form: RefusalForm, summary: string, err: DomainError): Promise<void> {
  const locals = typeof form.locals === 'function' ? await form.locals(err) : (form.locals ?? {});
  const errors = Object.fromEntries((err.details.fields ?? []).map((f) => [f.field, translate(req.t, f.message, err.details)]));
  const { password: _p, passwordConfirm: _c, currentPassword: _cp, _csrf, ...values } = (form.values ?? {}) as Record<string, unknown>;
  res.render(form.view, { ...locals, values, errors, errorSummary: summary, refusal: err.details });
}

/**
 * The pipeline of every HTML form: validate → act. On a refusal the visitor can fix (bad input, a
 * domain rule) the error mapper shows the form again with German field errors and a 4xx status.
 */
export async function submitForm<S extends z.ZodType>(
  req: Request,
  res: Response,
  opts: { view: string; schema: S; locals?: RefusalForm['locals']; action: (input: z.infer<S>) => Promise<void> },
): Promise<void> {
  onRefusalRender(res, { view: opts.view, values: req.body, locals: opts.locals });
  await opts.action(parse(opts.schema, req.body, 'errors:validationSummary'));
}
