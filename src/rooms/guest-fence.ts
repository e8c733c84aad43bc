import type { RequestHandler } from 'express';
import { forbidden } from '../shared/errors.ts';
import type { RoomRepository } from './repository.ts';

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

/**
 * The self-study exception (issue #21, "published modules as optional self-study"): the player's
 * pages of an attempt and its scripts. The player opens only the viewer's own attempts
 * (attempt-access.ts ownAttempt: somebody else's is 403), and a guest has attempts only of modules
 * a room of theirs listed (the start below), so these need no room check of their own.
 */
const SELF_STUDY_PATHS = [/^\/player\/attempts\/[a-f0-9]{24}(\/(window|returned|nav|finished|sequencing))?$/, /^\/player\/assets\/[a-z0-9.-]+\.js$/];
/** "Starten" of a module: only by its slug, as the materials page names it. */
const SELF_STUDY_START = /^\/player\/modules\/([a-z0-9-]{1,100})\/start$/;

/**
 * Mounted by the composition root before every component's pages. A guest may start exactly the
 * modules one of their rooms lists as material (asked of the rooms' store on each start).
 */
export function createGuestFence(repo: Pick<RoomRepository, 'roomIdsOfMember' | 'modulesListedIn'>): RequestHandler {
  const listedForGuest = async (userId: string, slug: string) => repo.modulesListedIn(await repo.roomIdsOfMember(userId), slug);
  return async (req, res, next) => {
    if (!isGuestOnly(req.user?.roles)) return next();
    // a guest lands on their rooms (the player's "Beenden" leads to the dashboard: for a guest, the rooms)
    if (req.method === 'GET' && (req.path === '/' || req.path === '/community' || req.path === '/dashboard')) return res.redirect('/experimentierraeume');
    if (GUEST_PATHS.some((p) => p.test(req.path))) return next();
    if (SELF_STUDY_PATHS.some((p) => p.test(req.path))) return next();
    const start = req.method === 'POST' ? SELF_STUDY_START.exec(req.path) : null;
    if (start && (await listedForGuest(req.user!.id, start[1]!))) return next();
    throw forbidden('rooms:errors.guestOnly');
  };
}
