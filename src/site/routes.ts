import { Router } from 'express';

/** The public start page that explains the qualification. */
export function siteRoutes(): Router {
  const r = Router();
  r.get('/', (_req, res) => res.render('site/home'));
  return r;
}
