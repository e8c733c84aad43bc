import type { RequestHandler } from 'express';
import { forbidden } from '../shared/errors.ts';

/** A company participant with nothing but the guest role. */
export const isGuestOnly = (roles: readonly string[] | undefined): boolean => Boolean(roles?.includes('guest')) && roles!.every((r) => r === 'guest');

/**
 * Where a guest may go: their rooms, the community pages a room's space uses (the space itself
 * checks membership), their profile and privacy pages, the public pages. Everything else belongs to
 * the qualification (dashboard, player, path, sessions, certificates, other community spaces) and
 * is refused in one place, so no page of another component has to know guests exist.
 */
const GUEST_PATHS = [
  /^\/(api\/)?experimentierraeume(\/|$)/,
  /^\/(api\/)?community\/spaces\/room-[a-f0-9]{24}(\/|$)/,
  /^\/(api\/)?community\/threads\//,
  /^\/community\/posts\//,
  /^\/community\/files\//,
  /^\/api\/community\/chat\//,
  /^\/community\/notifications(\/|$)/,
  /^\/profile(\/|$)/,
  /^\/privacy\/exports\//,
  /^\/(logout|login|datenschutz|impressum|verify)(\/|$)/,
];

/** Mounted by the composition root before every component's pages. */
export const guestFence: RequestHandler = (req, res, next) => {
  if (!isGuestOnly(req.user?.roles)) return next();
  // a guest lands on their rooms
  if (req.method === 'GET' && (req.path === '/' || req.path === '/community')) return res.redirect('/experimentierraeume');
  if (GUEST_PATHS.some((p) => p.test(req.path))) return next();
  throw forbidden('rooms:errors.guestOnly');
};
