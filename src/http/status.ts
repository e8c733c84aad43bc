/**
 * The success and protocol statuses routes answer with, by name (refusals get theirs from the one
 * error mapper, error-mapper.ts): a route says what it answers, not a number.
 */
export const Status = {
  OK: 200,
  CREATED: 201,
  NO_CONTENT: 204,
  PARTIAL_CONTENT: 206,
  /** After a form post: the browser follows with GET. */
  SEE_OTHER: 303,
  NOT_MODIFIED: 304,
  RANGE_NOT_SATISFIABLE: 416,
} as const;
