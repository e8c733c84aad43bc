import { fileURLToPath } from 'node:url';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { LaunchView } from './launch/launch-views.ts';

/** The SCORM adapter page on the content origin. */
const SCORM_FRAME_PATH = '/frame/scorm';

/**
 * The content frame's sandbox. Safe with allow-same-origin because the frame's origin is the content
 * origin, never ours: it keeps that origin's storage and may script its own nested frames (the SCORM
 * adapter page frames the package). No allow-top-navigation: it cannot replace the player page.
 */
export const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads';

/** The sandbox fallback (CONTENT_ISOLATION=sandbox): on our origin, so never allow-same-origin. */
const OPAQUE_SANDBOX = FRAME_SANDBOX.replace(' allow-same-origin', '');

/**
 * What the player page frames (or opens): the launch on the content origin, and the origin its
 * messages come from. In the sandbox fallback the SCO is framed directly (its page gets the adapter
 * injected, see scormPageAdapter) and its messages come from an opaque origin, "null".
 */
export function contentFrame(view: Pick<LaunchView, 'contentUrl' | 'scorm'>, contentOrigin: string, sandboxed = false): { url: string; origin: string; sandbox: string } {
  const packageUrl = view.contentUrl;
  if (sandboxed) return { url: packageUrl.startsWith('/') ? `${contentOrigin}${packageUrl}` : packageUrl, origin: 'null', sandbox: OPAQUE_SANDBOX };
  // a SCO gets the adapter page first: it defines the API object the package looks for in its parents
  const url = !packageUrl.startsWith('/')
    ? packageUrl
    : view.scorm
      ? `${contentOrigin}${SCORM_FRAME_PATH}?${new URLSearchParams({ api: view.scorm.version, src: packageUrl }).toString()}`
      : `${contentOrigin}${packageUrl}`;
  return { url, origin: contentOrigin, sandbox: FRAME_SANDBOX };
}

const scormAgainDist = (file: string) => fileURLToPath(new URL(`../../node_modules/scorm-again/dist/${file}`, import.meta.url));
const ADAPTER_FILES: Record<string, string> = {
  'scorm-again.js': scormAgainDist('scorm-again.min.js'),
  'cross-frame-api.js': scormAgainDist('cross-frame-api.min.js'),
  'scorm-frame.js': fileURLToPath(new URL('../../views/static/player/scorm-frame.js', import.meta.url)),
};

/**
 * In the sandbox fallback every package document has an opaque origin of its own, so an adapter page
 * cannot hand window.API to the SCO's frame: SCORM pages get the adapter's scripts first in their head.
 */
export const scormPageAdapter = (format: string): string | undefined =>
  format === 'scorm12' || format === 'scorm2004' ? Object.keys(ADAPTER_FILES).map((f) => `<script src="/adapter/${f}"></script>`).join('') : undefined;

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
    if ((api !== '1.2' && api !== '2004') || typeof src !== 'string' || !/^\/content\/t\/[^/]+\/[a-f0-9]{24}\//.test(src)) return next();
    const platform = platformFor(req);
    res.setHeader('Content-Security-Policy', `default-src 'none'; script-src 'self'; frame-src 'self'; frame-ancestors ${platform}; base-uri 'none'; form-action 'none'`);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(
      '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Lerninhalt</title>' +
        Object.keys(ADAPTER_FILES).map((f) => `<script src="/adapter/${f}" defer></script>`).join('') +
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
