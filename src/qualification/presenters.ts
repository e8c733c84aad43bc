import type { Request } from 'express';
import type { Viewer } from './prerequisites.ts';
import type { Q2Session } from './session-repository.ts';

export const viewerOf = (req: Request): Viewer => ({ id: req.user!.id, roles: req.user!.roles });
export const isStaff = (v: Viewer) => v.roles.includes('trainer') || v.roles.includes('admin');

/** A session as a learner may see it: the meeting link only for registered participants (and staff). */
export function presentSession(s: Q2Session, opts: { showLink: boolean }) {
  const { meetingLink, ...rest } = s;
  return opts.showLink ? { ...rest, meetingLink } : rest;
}
