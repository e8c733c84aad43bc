import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * CSRF protection for every state-changing request that a cookie authenticates (synchronizer token
 * pattern, token in the session). Forms send `_csrf`; scripts send the X-CSRF-Token header; multipart
 * forms carry it in the query string because their body is parsed only later, by multer.
 */
export function createCsrf(): { protect: RequestHandler; tokenForView: RequestHandler } {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req: Request) => {
      const body = req.body as Record<string, unknown> | undefined;
      const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
      const fromQuery = typeof req.query?._csrf === 'string' ? req.query._csrf : undefined;
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined) ?? fromQuery;
    },
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
  });
  const tokenForView: RequestHandler = (req, res, next) => {
    res.locals.csrfToken = generateToken(req);
    next();
  };
  return { protect: csrfSynchronisedProtection, tokenForView };
}
