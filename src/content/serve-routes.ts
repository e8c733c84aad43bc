import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import rangeParser from 'range-parser';
import { DomainError } from '../shared/errors.ts';
import { isObjectId } from '../shared/object-id.ts';
import { contentTypeFor } from './mime.ts';
import { packagePathFromUrl } from './package-paths.ts';
import type { ServableFile } from './servable-files.ts';
import type { ContentService } from './service.ts';
import { Status } from '../http/status.ts';

/** Puts `snippet` first into the document's head (or first of all, when it has none). */
export function injectIntoHead(html: string, snippet: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + snippet + html.slice(head.index + head[0].length);
  const tag = /<html(\s[^>]*)?>/i.exec(html);
  const at = tag ? tag.index + tag[0].length : 0;
  return html.slice(0, at) + snippet + html.slice(at);
}

const TOKEN = /^[A-Za-z0-9_-]{8,200}$/;
const notFound = () => new DomainError('not-found', 'errors:notFound');

function rawPath(req: Request): string {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const etagMatches = (header: string, etag: string) => header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);

/**
 * Streams a file to the response. A client that stops reading (video seeking) ends the stream: once
 * bytes went out that is no error of ours; before, the error mapper answers.
 */
async function streamTo(res: Response, stream: Readable): Promise<void> {
  await pipeline(stream, res).catch((err: unknown) => {
    if (!res.headersSent) throw err;
    res.destroy();
  });
}

/** Sends one package file: ETag/304, Range/206, HEAD, and the content CSP. */
async function sendFile(req: Request, res: Response, file: ServableFile, filePath: string, csp: string, inject: string | undefined): Promise<void> {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Content-Type', contentTypeFor(filePath));
  // package scripts may read their own files by fetch; in the sandbox they do so from an opaque origin
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (inject !== undefined) {
    // a page that gets the adapter: sent whole, never as ranges, and not revalidated (it is small)
    const page = Buffer.from(injectIntoHead((await file.readAll()).toString('utf8'), inject));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', String(page.length));
    res.end(req.method === 'HEAD' ? undefined : page);
    return;
  }
  res.setHeader('ETag', file.etag);
  res.setHeader('Last-Modified', file.lastModified.toUTCString());
  res.setHeader('Accept-Ranges', 'bytes');
  // access is checked on every request; the browser revalidates and gets 304s
  res.setHeader('Cache-Control', 'private, no-cache');

  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const notModified = inm ? etagMatches(inm, file.etag) : ims ? Math.floor(file.lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000) : false;
  if (notModified) {
    res.status(Status.NOT_MODIFIED).end();
    return;
  }

  let start = 0;
  let end = file.size - 1;
  const range = req.headers.range;
  const ifRange = req.get('if-range');
  if (range && (!ifRange || ifRange.trim() === file.etag)) {
    const parsed = rangeParser(file.size, range, { combine: true });
    if (parsed === -1) {
      res.status(Status.RANGE_NOT_SATISFIABLE).setHeader('Content-Range', `bytes */${file.size}`);
      res.end();
      return;
    }
    // malformed (-2) or several ranges: the whole file is a correct answer (RFC 9110 §14.2)
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
      start = parsed[0]!.start;
      end = parsed[0]!.end;
      res.status(Status.PARTIAL_CONTENT).setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
    }
  }
  const length = file.size === 0 ? 0 : end - start + 1;
  res.setHeader('Content-Length', String(length));
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const body = await file.read(start, end);
  if (Buffer.isBuffer(body)) res.end(body);
  else await streamTo(res, body);
}

interface ServeOptions {
  cspFor: (req: Request) => string;
  /** Script tags to put first into this HTML file, or undefined (src/player/content-frame.ts decides). */
  injectFor?: (file: ServableFile, filePath: string) => string | undefined;
}

function handler(service: ContentService, opts: ServeOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const parts = rawPath(req).split('/'); // ['', 'content', 't', token, versionId, ...]
    if (parts[1] !== 'content' || parts[2] !== 't') return next();
    const token = parts[3] ?? '';
    const versionId = parts[4] ?? '';
    if (!isObjectId(versionId)) throw notFound();
    if (!TOKEN.test(token) || !(await service.verifyLaunchToken(token, versionId))) throw new DomainError('forbidden', 'content:errors.notEntitled');
    const csp = opts.cspFor(req);
    const filePath = packagePathFromUrl(parts.slice(5).join('/'));
    if (!filePath) throw notFound();
    const file = await service.resolveFile(versionId, filePath);
    const inject = contentTypeFor(filePath).startsWith('text/html') ? opts.injectFor?.(file, filePath) : undefined;
    await sendFile(req, res, file, filePath, csp, inject);
  };
}

/**
 * /content/t/<token>/<versionId>/<path>: package files for a launch or view token, and nothing else.
 * Mounted only on the content origin's listener, which has no sessions: a cookie opens nothing here.
 */
export function contentFileRoutes(service: ContentService, opts: ServeOptions): Router {
  const router = Router();
  router.use('/content/t', handler(service, opts));
  return router;
}
