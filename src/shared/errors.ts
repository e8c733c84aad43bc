/**
 * Domain errors. Services throw these; they carry data, never HTTP codes. The one error mapper
 * (src/http/error-mapper.ts) turns each kind into a status and a message for people.
 */
export type ErrorKind =
  | 'validation' // the input breaks a rule (400)
  | 'unauthenticated' // who you are is unknown (401)
  | 'forbidden' // you may not (403)
  | 'not-found' // 404
  | 'gone' // it existed and is used up, e.g. a spent reset link (410)
  | 'conflict' // the state forbids it (409)
  | 'unprocessable' // well-formed, but its content may not be accepted as it is, e.g. personal data in a publication (422)
  | 'precondition-failed' // 412
  | 'too-large' // 413
  | 'unsupported' // 415
  | 'rate-limited' // 429
  | 'unavailable'; // 503

export interface FieldProblem {
  /** The field's path, e.g. "email" or "actor.mbox". */
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: { fields?: FieldProblem[]; retryAfterSeconds?: number; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string, fields: FieldProblem[] = []) => new DomainError('validation', message, { fields });
export const notFound = (message = 'errors:itemNotFound') => new DomainError('not-found', message);
export const forbidden = (message = 'errors:forbidden') => new DomainError('forbidden', message);
export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError('conflict', message, details);
