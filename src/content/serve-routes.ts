import { open, readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import rangeParser from 'range-parser';
import { DomainError } from '../shared/errors.ts';
import { contentTypeFor } from './mime.ts';
import { createSmallFileCache, type SmallFileCache } from './small-file-cache.ts';
import type { ContentService, ServableFile } from './service.ts';

/**
 * Packages run inline scripts and styles on the content origin ('self'); they may be framed by the
 * platform (the player page) and reach only its LRS and cmi5 fetch URLs, and post forms only to
 * themselves. What keeps them from the platform is the other origin; this policy is a second wall.
 */
export function contentCsp(platformOrigins: string[], opts: { sandboxed?: boolean } = {}): string {
  const platforms = [...new Set(platformOrigins)];
  const apis = platforms.flatMap((p) => [`${p}/xapi/`, `${p}/api/player/cmi5/fetch/`]).join(' ');
  // the sandbox fallback serves on our origin: an opaque origin for every document (even opened on
  // its own), and of ours only the package files, the LRS and the cmi5 fetch URLs
  const files = platforms.map((p) => `${p}/content/t/`).join(' ');
  const own = opts.sandboxed ? files : "'self'";
  return [
    ...(opts.sandboxed ? ['sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads'] : []),
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:",
    `connect-src ${own} data: blob: ${apis}`,
    ...(opts.sandboxed ? [`frame-src ${files} data: blob:`] : []),
    `form-action ${own}`,
    `frame-ancestors 'self'${opts.sandboxed ? '' : ` ${platforms.join(' ')}`}`,
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
}

/** Puts `snippet` first into the document's head (or first of all, when it has none). */
export function injectIntoHead(html: string, snippet: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + snippet + html.slice(head.index + head[0].length);
  const tag = /<html(\s[^>]*)?>/i.exec(html);
  const at = tag ? tag.index + tag[0].length : 0;
  return html.slice(0, at) + snippet + html.slice(at);
}

const VERSION_ID = /^[a-f0-9]{24}$/;
const TOKEN = /^[A-Za-z0-9_-]{8,200}$/;
const notFound = () => new DomainError('not-found', 'errors:notFound');

/**
 * The file path from the raw (still encoded) URL. Anything that could name something other than a
 * package file is refused before decoding gives it a meaning: encoded slashes and backslashes, NUL,
 * empty, "." and ".." segments (also as %2e%2e). The result is only ever looked up in the version's
 * file index, so a path that is not a file of the package cannot reach the disk.
 */
export function packagePathFromUrl(rawRest: string): string | undefined {
  if (!rawRest || /%2f|%5c|%00|\\/i.test(rawRest)) return undefined;
  const segments: string[] = [];
  for (const raw of rawRest.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (seg === '' || seg === '.' || seg === '..' || /[\\/\0]/.test(seg)) return undefined;
    segments.push(seg);
  }
  return segments.join('/');
}

function rawPath(req: Request): string {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const etagMatches = (header: string, etag: string) =>
  header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);

/** Sends one package file: ETag/304, Range/206, HEAD, and the content CSP. */
async function sendFile(req: Request, res: Response, file: ServableFile, filePath: string, cache: SmallFileCache, csp: string, inject: string | undefined): Promise<void> {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('Content-Type', contentTypeFor(filePath));
  // package scripts may read their own files by fetch; in the sandbox they do so from an opaque origin
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (inject !== undefined) {
    // a page that gets the adapter: sent whole, never as ranges, and not revalidated (it is small)
    const page = Buffer.from(injectIntoHead((await readFile(file.absPath)).toString('utf8'), inject));
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
    res.status(304).end();
    return;
  }

  let start = 0;
  let end = file.size - 1;
  const range = req.headers.range;
  const ifRange = req.get('if-range');
  if (range && (!ifRange || ifRange.trim() === file.etag)) {
    const parsed = rangeParser(file.size, range, { combine: true });
    if (parsed === -1) {
      res.status(416).setHeader('Content-Range', `bytes */${file.size}`);
      res.end();
      return;
    }
    // malformed (-2) or several ranges: the whole file is a correct answer (RFC 9110 §14.2)
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
      start = parsed[0]!.start;
      end = parsed[0]!.end;
      res.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
    }
  }
  const length = file.size === 0 ? 0 : end - start + 1;
  res.setHeader('Content-Length', String(length));
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  if (cache.fits(file.size)) {
    const bytes = await cache.get(file.absPath);
    res.end(start === 0 && end === bytes.length - 1 ? bytes : bytes.subarray(start, end + 1));
    return;
  }
  // opened before piping: a missing file must fail while the response can still be answered
  const handle = await open(file.absPath, 'r');
  await pipeline(handle.createReadStream({ start, end }), res);
}

interface ServeOptions {
  cspFor: (req: Request) => string;
  /** Script tags to put first into this HTML file, or undefined (src/player/content-frame.ts decides). */
  injectFor?: (file: ServableFile, filePath: string) => string | undefined;
}

function handler(service: ContentService, cache: SmallFileCache, opts: ServeOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const parts = rawPath(req).split('/'); // ['', 'content', 't', token, versionId, ...]
    if (parts[1] !== 'content' || parts[2] !== 't') return next();
    const token = parts[3] ?? '';
    const versionId = parts[4] ?? '';
    if (!VERSION_ID.test(versionId)) throw notFound();
    if (!TOKEN.test(token) || !(await service.verifyLaunchToken(token, versionId))) throw new DomainError('forbidden', 'content:errors.notEntitled');
    const csp = opts.cspFor(req);
    const filePath = packagePathFromUrl(parts.slice(5).join('/'));
    if (!filePath) throw notFound();
    const file = await service.resolveFile(versionId, filePath);
    const inject = contentTypeFor(filePath).startsWith('text/html') ? opts.injectFor?.(file, filePath) : undefined;
    try {
      await sendFile(req, res, file, filePath, cache, csp, inject);
    } catch (err) {
      // the extracted copy vanished (cleaned up by hand): make it again from GridFS, once
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) {
        service.forgetExtracted(versionId);
        await sendFile(req, res, await service.resolveFile(versionId, filePath), filePath, cache, csp, inject);
        return;
      }
      // a client that stops reading (video seeking) is not an error of ours
      if (res.headersSent) {
        res.destroy();
        return;
      }
      throw err;
    }
  };
}

/**
 * /content/t/<token>/<versionId>/<path>: package files for a launch or view token, and nothing else.
 * Mounted only on the content origin's listener, which has no sessions: a cookie opens nothing here.
 */
export function contentFileRoutes(service: ContentService, opts: ServeOptions): Router {
  const cache = createSmallFileCache({ maxFileBytes: 128 * 1024, maxTotalBytes: 32 * 1024 ** 2 });
  const router = Router();
  router.use('/content/t', handler(service, cache, opts));
  return router;
}
