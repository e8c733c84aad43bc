import type { RequestHandler } from 'express';
import { LANGUAGES } from '../i18n/i18n.ts';

/** What every page needs: the user, the language, the current path (for navigation and the switch). */
export const viewLocals: RequestHandler = (req, res, next) => {
  res.locals.user = req.user;
  res.locals.t = req.t;
  res.locals.lang = req.language?.startsWith('en') ? 'en' : 'de';
  res.locals.languages = LANGUAGES;
  res.locals.currentPath = req.path;
  res.locals.hasRole = (role: string) => Boolean(req.user?.roles.includes(role as never));
  res.locals.values = {};
  res.locals.errors = {};
  next();
};
