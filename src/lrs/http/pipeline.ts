import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, validationError } from '../../shared/errors.ts';
import type { ClientService } from '../clients/service.ts';
import type { Credential } from '../types.ts';
import type { XapiVersion } from '../version.ts';
import { dialectOf, negotiateVersion, VERSION_HEADER, DEFAULT_VERSION } from '../version.ts';
import { BODY_LIMITS, readBody } from './body.ts';
import type { XapiRequest } from './xapi-request.ts';
import { Status } from '../../http/status.ts';

const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Content-Length', 'If-Match', 'If-None-Match', VERSION_HEADER, 'X-Requested-With', 'Accept-Language'];
/** Header names the alternate request syntax may carry in its form (Communication §1.3). */
const FORM_HEADERS = ['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match'];
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];

/**
 * CORS for browser content from any origin (content packages run on other hosts), the version header
 * on every response, and no cross-origin-resource-policy that would block those browsers. Never with
 * credentials: content authenticates with the Authorization header its launch gave it, so no page of
 * another origin may have the browser send its cookies (or a cached Basic login) and read the answer.
 */
export const corsAndVersion: RequestHandler = (req, res, next) => {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin ?? '*');
  if (origin) res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
  res.setHeader('Access-Control-Expose-Headers', `ETag, Last-Modified, X-Experience-API-Consistent-Through, ${VERSION_HEADER}`);
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  // the dialect the request asked for, where we speak it; a refusal of a missing or unknown version
  // names the client's last dialect once it is authenticated (authenticateAndNegotiate), else 1.0.3
  res.setHeader(VERSION_HEADER, (dialectOf(req.headers[VERSION_HEADER.toLowerCase()] as string | undefined) ?? DEFAULT_VERSION).answer);
  if (req.method === 'OPTIONS') {
    res.status(Status.NO_CONTENT).end();
    return;
  }
  next();
};

function queryParams(req: Request): Record<string, string> {
  const search = new URL(req.originalUrl, 'http://x').searchParams;
  const out: Record<string, string> = {};
  for (const [k, v] of search) {
    if (k in out) throw validationError('lrs:errors.repeatedParam', [{ field: k, message: 'lrs:errors.repeatedParam' }]);
    out[k] = v;
  }
  return out;
}

/**
 * Reads the body and unfolds the alternate request syntax: POST ?method=PUT with a form body whose
 * fields are headers, the content, and the resource's parameters (Communication §1.3).
 */
export async function unfoldRequest(req: Request, res: Response, next: NextFunction): Promise<void> {
  const params = queryParams(req);
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  let method = req.method;
  const alternate = params.method !== undefined;
  // 9274.1.1 removed the alternate request syntax (1.0.3 §1.3): a 2.0 request that uses it is refused
  // before its body is read; a form that names 2.0 inside itself is refused once unfolded (below)
  if (alternate && dialectOf(headers[VERSION_HEADER.toLowerCase()])?.alternateSyntax === false) throw alternateRemoved();
  const limit = params.method !== undefined ? BODY_LIMITS.alternate : req.path.startsWith('/statements') ? BODY_LIMITS.statements : BODY_LIMITS.documents;
  let body = await readBody(req, limit);
  if (params.method !== undefined) {
    const target = params.method.toUpperCase();
    if (req.method !== 'POST') throw validationError('lrs:errors.alternateNotPost', [{ field: 'method', message: 'lrs:errors.alternateNotPost' }]);
    if (!METHODS.includes(target)) throw validationError('lrs:errors.alternateMethod', [{ field: 'method', message: 'lrs:errors.alternateMethod' }]);
    const extra = Object.keys(params).filter((k) => k !== 'method');
    if (extra.length)
      throw validationError(
        'lrs:errors.alternateExtra',
        extra.map((field) => ({ field, message: 'lrs:errors.alternateExtra' })),
      );
    if (!/^application\/x-www-form-urlencoded\b/i.test(headers['content-type'] ?? '')) {
      throw validationError('lrs:errors.alternateForm', [{ field: 'Content-Type', message: 'lrs:errors.alternateForm' }]);
    }
    delete params.method;
    delete headers['content-type'];
    const form = new URLSearchParams(body.toString('utf8'));
    body = Buffer.alloc(0);
    for (const [k, v] of form) {
      const lower = k.toLowerCase();
      if (FORM_HEADERS.includes(lower)) headers[lower] = v;
      else if (k === 'content') body = Buffer.from(v, 'utf8');
      else params[k] = v;
    }
    method = target;
    req.method = target;
  }
  const x: XapiRequest = {
    unfolded: alternate,
    method,
    params,
    header: (name) => headers[name.toLowerCase()],
    contentType: headers['content-type'] ?? '',
    body,
  };
  res.locals.xapi = x;
  next();
}

/**
 * Authenticates from the request's own Authorization header before a byte of the body is read, so an
 * anonymous or wrongly authenticated upload is refused at once and never buffered (the connection
 * closes instead of draining it). Only the alternate request syntax (1.0.3 §1.3) may carry its
 * Authorization inside the form body: it is authenticated after unfolding, from a small body.
 */
export function authenticateBeforeBody(clients: ClientService): RequestHandler {
  return async (req, res, next) => {
    if (req.path === '/about' || req.method === 'OPTIONS' || isAlternateSyntax(req)) return next();
    try {
      res.locals.lrsCredential = await clients.authenticate(req.headers.authorization);
    } catch (err) {
      res.setHeader('Connection', 'close');
      challenge(res, req.headers['sec-fetch-mode'] as string | undefined, err);
      throw err;
    }
    next();
  };
}

/** How many clients' last dialect an instance remembers (oldest forgotten first). */
const REMEMBERED_CLIENTS = 10_000;

/**
 * Authenticates every resource but About (Communication §4), then negotiates the version (§3.3).
 * A request without a usable version header is refused with 400 in both dialects; the version its
 * refusal names (every response carries one) is the one this client spoke last, so a 2.0 client that
 * forgot the header hears 2.0.0 and a 1.0.3 client 1.0.3 (both suites ask exactly that of their
 * dialect). Remembered per instance, in memory: only the header of such a refusal depends on it.
 */
export function authenticateAndNegotiate(clients: ClientService): RequestHandler {
  const lastDialect = new Map<string, XapiVersion>();
  const remember = (key: string, v: XapiVersion) => {
    if (lastDialect.get(key) === v) return;
    lastDialect.delete(key);
    lastDialect.set(key, v);
    if (lastDialect.size > REMEMBERED_CLIENTS) lastDialect.delete(lastDialect.keys().next().value!);
  };
  return async (req, res, next) => {
    const x = res.locals.xapi as XapiRequest;
    if (req.path === '/about') return next();
    try {
      x.credential = (res.locals.lrsCredential as Credential | undefined) ?? (await clients.authenticate(x.header('authorization')));
    } catch (err) {
      challenge(res, x.header('sec-fetch-mode'), err);
      throw err;
    }
    const key = x.credential.key;
    try {
      x.version = negotiateVersion(x.header(VERSION_HEADER));
    } catch (err) {
      res.setHeader(VERSION_HEADER, (lastDialect.get(key) ?? DEFAULT_VERSION).answer);
      throw err;
    }
    remember(key, x.version);
    if (x.unfolded && !x.version.alternateSyntax) throw alternateRemoved();
    res.setHeader(VERSION_HEADER, x.version.answer);
    next();
  };
}

const alternateRemoved = () => validationError('lrs:errors.alternateRemoved', [{ field: 'method', message: 'lrs:errors.alternateRemoved' }]);

const isAlternateSyntax = (req: Request) => new URL(req.originalUrl, 'http://x').searchParams.has('method');

/**
 * Scripts in a browser (content posting with launch credentials) get no challenge: a Basic challenge
 * makes the browser open a login prompt and the content hangs (CATAPULT 005-1). Every other client
 * gets it as RFC 7235 §3.1 asks.
 */
function challenge(res: Response, secFetchMode: string | undefined, err: unknown): void {
  const fromScript = secFetchMode !== undefined && secFetchMode !== 'navigate';
  if (err instanceof DomainError && err.kind === 'unauthenticated' && !fromScript) res.setHeader('WWW-Authenticate', 'Basic realm="xAPI"');
}
