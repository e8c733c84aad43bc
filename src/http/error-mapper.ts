import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { mongo } from 'mongoose';
import { DomainError, type ErrorKind } from '../shared/errors.ts';
import { keepFlashForNextPage } from './flash.ts';
import { refusalForm, renderRefusal } from './forms.ts';
import type { Texts } from '../i18n/i18n.ts';
import { translate } from './translate.ts';

/** The one table from a refusal's kind to its HTTP status (pages, JSON and the LRS alike). */
const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  gone: 410,
  conflict: 409,
  unprocessable: 422,
  'precondition-failed': 412,
  'too-large': 413,
  unsupported: 415,
  'rate-limited': 429,
  unavailable: 503,
};

/** The status of a kind of refusal, for routes whose answer is a page about a state (e.g. "unknown code": 404). */
export const statusOf = (kind: ErrorKind): number => STATUS[kind];

/** Errors thrown by libraries that already carry a client status (body-parser, csrf-sync, multer). */
interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
  expose?: boolean;
}

const GENERIC: Record<number, string> = {
  400: 'errors:badRequest',
  403: 'errors:forbidden',
  404: 'errors:notFound',
  413: 'errors:tooLarge',
  415: 'errors:unsupported',
};

/** Requests answered with JSON rather than a page: APIs, the LRS, and clients that ask for JSON. */
export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path.startsWith('/xapi') || (!req.accepts('html') && Boolean(req.accepts('json')));
}

/**
 * The driver's and mongoose's errors for a database that cannot be reached or does not answer in
 * time: the request was fine, the service is unavailable for the moment (503 with Retry-After).
 */
const DATABASE_UNAVAILABLE = [
  mongo.MongoServerSelectionError,
  mongo.MongoNetworkError, // its timeout too, and the pool cleared after one
  mongo.MongoNotConnectedError,
  mongo.MongoTopologyClosedError,
  mongo.MongoOperationTimeoutError,
];
const isDatabaseUnavailable = (err: unknown): boolean =>
  DATABASE_UNAVAILABLE.some((type) => err instanceof type) || (err instanceof Error && err.name === 'MongooseServerSelectionError');

function toResponse(err: unknown, req: Request, t: Texts): { status: number; message: string; details: Record<string, unknown> } {
  if (err instanceof DomainError) {
    const fields = err.details.fields?.map((f) => ({ ...f, message: translate(t, f.message, err.details) }));
    return {
      status: STATUS[err.kind],
      message: translate(t, err.message, err.details),
      details: fields ? { ...err.details, fields } : err.details,
    };
  }
  if (isDatabaseUnavailable(err)) return { status: 503, message: t('errors:databaseUnavailable'), details: { retryAfterSeconds: 30 } };
  const e = err as HttpishError;
  if (e.code === 'EBADCSRFTOKEN' || e.code === 'ERR_BAD_CSRF_TOKEN' || (e as Error).message === 'invalid csrf token') {
    return { status: 403, message: t('errors:csrf'), details: {} };
  }
  if (e.code === 'LIMIT_FILE_SIZE') return { status: 413, message: t('errors:tooLarge'), details: {} };
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, message: t(GENERIC[status] ?? 'errors:badRequest'), details: {} };
  }
  return { status: 500, message: t('errors:internal'), details: {} };
}

/**
 * The one error mapper: domain errors and library errors become a status and a message for people
 * (German first); internals go to the log with the request id, never to the client. Requests that
 * passed no language middleware get `textsOf` (the xAPI endpoint), else the German texts (file serving).
 */
export const createErrorMapper =
  (germanT: Texts, textsOf?: (req: Request) => Texts): ErrorRequestHandler =>
  (err, req, res, _next) => {
    const t: Texts = (req.t as Texts | undefined) ?? textsOf?.(req) ?? germanT;
    const { status, message, details } = toResponse(err, req, t);
    if (status >= 500) req.log?.error({ err }, 'unhandled error');
    else req.log?.info({ status, message }, 'request refused');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (typeof details.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(details.retryAfterSeconds));
    res.status(status);
    if (wantsJson(req)) {
      res.json({ error: message, ...details, requestId: req.id });
      return;
    }
    const form = refusalForm(res);
    if (form && err instanceof DomainError && status < 500) {
      renderRefusal(req, res, form, message, err).catch((renderErr: unknown) => {
        req.log?.error({ err: renderErr }, 'rendering a refused form failed');
        if (!res.headersSent)
          res.status(500).render('errors/500', { title: t('errors:internal'), message: t('errors:internal'), status: 500, requestId: req.id });
      });
      return;
    }
    // errors raised before the view locals were set (e.g. a bad body) still get a complete page
    res.locals.t ??= t;
    res.locals.lang ??= 'de';
    res.locals.values ??= {};
    res.locals.errors ??= {};
    keepFlashForNextPage(res);
    const view = status === 404 ? 'errors/404' : status >= 500 ? 'errors/500' : 'errors/error';
    res.render(view, { title: message, message, status, requestId: req.id });
  };

/** Unknown paths get the styled 404. */
export const notFoundHandler: RequestHandler = (req) => {
  throw new DomainError('not-found', req.t ? req.t('errors:notFound') : 'Diese Seite gibt es nicht.');
};

/**
 * The content origin's mapper: the same statuses and messages as plain text. No platform page there:
 * it would name the platform's scripts, forms and links on an origin that must hold none of them.
 */
export const createPlainErrorMapper =
  (germanT: Texts): ErrorRequestHandler =>
  (err, req, res, _next) => {
    const { status, message } = toResponse(err, req, germanT);
    if (status >= 500) req.log?.error({ err }, 'unhandled error');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).type('text/plain; charset=utf-8').send(message);
  };
