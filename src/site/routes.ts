import { Router } from 'express';
import { requireRole } from '../http/guards.ts';

/** The public start page that explains the qualification, and the administration's overview. */
export function siteRoutes(): Router {
  const r = Router();
  r.get('/', (_req, res) => res.render('site/home'));
  r.get('/admin', requireRole('admin'), (_req, res) => res.render('site/admin'));
  return r;
}
