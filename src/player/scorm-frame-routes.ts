import { Router, type NextFunction, type Request, type Response } from 'express';
import { OBJECT_ID } from '../shared/object-id.ts';
import { ADAPTER_FILES, SCORM_FRAME_PATH } from './content-frame.ts';

/** A package file under a launch token (launch-sessions.ts contentUrl): /content/t/<token>/<versionId>/... */
const PACKAGE_FILE_PATH = new RegExp(`^/content/t/[^/]+/${OBJECT_ID.source.replace(/^\^|\$$/g, '')}/`);

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The content origin's side of the SCORM runtime: the adapter page (/frame/scorm?api=&src=) that
 * defines window.API or window.API_1484_11 for the package it frames, and its scripts. The page is
 * framed only by the platform, and frames only package files of the content origin.
 */
export function scormFrameRoutes(platformFor: (req: Request) => string): Router {
  const r = Router();
  // anything else falls through to the content origin's 404
  r.get(SCORM_FRAME_PATH, (req: Request, res: Response, next: NextFunction) => {
    const api = req.query.api;
    const src = req.query.src;
    if ((api !== '1.2' && api !== '2004') || typeof src !== 'string' || !PACKAGE_FILE_PATH.test(src)) return next();
    const platform = platformFor(req);
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'self'; frame-src 'self'; frame-ancestors ${platform}; base-uri 'none'; form-action 'none'`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(
      '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Lerninhalt</title>' +
        Object.keys(ADAPTER_FILES)
          .map((f) => `<script src="/adapter/${f}" defer></script>`)
          .join('') +
        `</head><body data-lms="${escapeAttr(platform)}" data-api="${api}" data-src="${escapeAttr(src)}"></body></html>`,
    );
  });
  r.get('/adapter/:file', (req: Request, res: Response, next: NextFunction) => {
    const file = Object.hasOwn(ADAPTER_FILES, String(req.params.file)) ? ADAPTER_FILES[String(req.params.file)] : undefined;
    if (!file) return next();
    res.sendFile(file, { maxAge: '1h', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  return r;
}
