import type { Response } from 'express';
import { formatDate, formatDateTime, isoDate } from './format.ts';
import type { Q2Session } from './session-repository.ts';

/** The date helpers every qualification page uses. */
export const viewHelpers = { formatDate, formatDateTime, isoDate };

/** A session as a learner may see it: the meeting link only for registered participants (and staff). */
export function presentSession(s: Q2Session, opts: { showLink: boolean }) {
  const { meetingLink, ...rest } = s;
  return opts.showLink ? { ...rest, meetingLink } : rest;
}

/** Sends a session's calendar file (session-view.ts decides who may have it). */
export function sendCalendar(res: Response, file: { fileName: string; ics: string }): void {
  res.type('text/calendar; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  res.send(file.ics);
}
