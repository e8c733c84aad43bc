import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { randomToken } from '../shared/random.ts';

const VISITOR_COOKIE = 'lotse.csrf';
const VISITOR_COOKIE_VALUE = /(?:^|;\s*)lotse\.csrf=([A-Za-z0-9_-]{16,128})(?:;|$)/;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function submittedToken(req: Request): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
  const fromQuery = typeof req.query?._csrf === 'string' ? req.query._csrf : undefined;
  return fromBody ?? (req.headers['x-csrf-token'] as string | undefined) ?? fromQuery;
}

/** Whether this request carries a stored session (logged in, or one that already holds a token). */
const hasSession = (req: Request): boolean => Boolean(req.user) || typeof (req.session as { csrfToken?: unknown } | undefined)?.csrfToken === 'string';

/**
 * CSRF protection for every state-changing request that a cookie authenticates. Forms send `_csrf`;
 * scripts send the X-CSRF-Token header; multipart forms carry it in the query string because their
 * body is parsed only later, by multer.
 * - With a session (logged in): the synchronizer token pattern, token in the session (csrf-sync).
 * - A visitor without one gets a signed double-submit token instead: a random value in an HttpOnly
 *   cookie and its HMAC under the session secret in the form. Nothing is stored for them, so
 *   cookie-less crawlers and scanners write no session documents (each used to write one per page
 *   view), while the login, registration and verification forms stay protected: a foreign site can
 *   neither read the cookie nor compute the HMAC.
 */
export function createCsrf(opts: { secret: string }): { protect: RequestHandler; tokenForView: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: submittedToken,
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  const sign = (value: string) => createHmac('sha256', opts.secret).update(`csrf:${value}`).digest('base64url');
  const visitorValue = (req: Request) => VISITOR_COOKIE_VALUE.exec(req.headers.cookie ?? '')?.[1];

  function visitorToken(req: Request, res: Response): string {
    let value = visitorValue(req);
    if (!value) {
      value = randomToken(24);
      res.cookie(VISITOR_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    }
    return sign(value);
  }

  function visitorTokenValid(req: Request): boolean {
    const value = visitorValue(req);
    const token = submittedToken(req);
    if (!value || !token) return false;
    const expected = Buffer.from(sign(value));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  const tokenForView: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = hasSession(req) ? generateToken(req) : visitorToken(req, res);
    next();
  };
  const protect: RequestHandler = (req, res, next) => {
    if (STATE_CHANGING.has(req.method) && visitorTokenValid(req)) {
      next();
      return;
    }
    csrfSynchronisedProtection(req, res, next);
  };
  return { protect, tokenForView };
}
