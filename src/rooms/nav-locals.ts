import type { RequestHandler } from 'express';
import { wantsJson } from '../http/error-mapper.ts';
import type { CertifiedPort } from './ports.ts';
import type { RoomRepository } from './repository.ts';

declare module 'express-session' {
  interface SessionData {
    /** Whether the navigation offers "Experimentierräume", and until when that answer is kept. */
    roomsNav?: { show: boolean; until: number };
  }
}

/** The certificate check reads the eligibility (several queries): it is asked once per session and quarter hour. */
const KEEP_MS = 15 * 60_000;

/**
 * The navigation's "Experimentierräume" entry: for guests and admins always; for everyone else when
 * they are a certified Lotse or already in a room (a co-moderator, a learner who joined by a link).
 */
export function roomsNavLocals(deps: { repo: RoomRepository; certified: CertifiedPort; now: () => number }): RequestHandler {
  return async (req, res, next) => {
    const user = req.user;
    if (!user || req.method !== 'GET' || wantsJson(req)) return next();
    if (user.roles.includes('guest') || user.roles.includes('admin')) {
      res.locals.roomsNav = true;
      return next();
    }
    const cached = req.session.roomsNav;
    if (cached && cached.until > deps.now()) {
      res.locals.roomsNav = cached.show;
      return next();
    }
    const inRoom = (await deps.repo.roomIdsOfMember(user.id)).length > 0 || (await deps.repo.roomsLedBy(user.id)).length > 0;
    const show = inRoom || (await deps.certified.isCertified(user.id));
    req.session.roomsNav = { show, until: deps.now() + KEEP_MS };
    res.locals.roomsNav = show;
    next();
  };
}
