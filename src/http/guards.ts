import type { RequestHandler } from 'express';
import { DomainError, forbidden } from '../shared/errors.ts';
import type { Role } from '../accounts/roles.ts';
import { wantsJson } from './error-mapper.ts';

/** Anonymous visitors are sent to the login page (pages) or get 401 (APIs). */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (wantsJson(req)) throw new DomainError('unauthenticated', req.t('errors:loginRequired'));
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
};

/** Logged-in users without one of the roles get 403; anonymous ones are handled as by requireLogin. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireLogin(req, res, next);
    if (!roles.some((r) => req.user?.roles.includes(r))) throw forbidden(req.t('errors:forbidden'));
    next();
  };
}
