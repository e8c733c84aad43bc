import type { z } from 'zod';
import { validationError, type FieldProblem } from '../shared/errors.ts';

/** The problems of a failed parse, one per field, with the field's dotted path. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * Parses input with a schema or throws a validation error naming each offending field.
 * Routes call this on body, query or params; services receive only parsed, typed input.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown, message = 'errors:invalidInput'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(message, fieldProblems(result.error));
  return result.data;
}
