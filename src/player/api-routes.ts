import express, { Router, type Request, type Response } from 'express';
import { parse } from '../http/validate.ts';
import { DomainError } from '../shared/errors.ts';
import { FetchError, type Cmi5Launcher } from './cmi5.ts';
import type { ScormCommit } from './scorm-commit.ts';
import { commitSchema, tokenSchema } from './schemas.ts';

/** scorm-again sends JSON by XHR and text/plain by sendBeacon at unload: both are JSON text. */
function commitBody(req: Request): unknown {
  const raw = typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new DomainError('validation', 'player:errors.badCommit');
  }
}

/**
 * Endpoints authenticated by a per-launch token instead of the session cookie (so no CSRF token is
 * involved): SCORM commits and the cmi5 fetch URL. Mounted before sessions and body parsers.
 */
export function playerApiRoutes(deps: { commit: ScormCommit; cmi5: Cmi5Launcher }): Router {
  const r = Router();
  const text = express.text({ type: () => true, limit: '2mb' });

  r.post('/api/player/scorm/:token/commit', text, async (req: Request, res: Response) => {
    const { token } = parse(tokenSchema, req.params);
    const input = parse(commitSchema, commitBody(req), 'player:errors.badCommit');
    const result = await deps.commit(token, input);
    res.json({ result: result.result, errorCode: result.errorCode });
  });

  // the AU runs on the content origin (or elsewhere): it may read the answer, without cookies (the
  // token in the URL is the only authority), so no Access-Control-Allow-Credentials
  r.use('/api/player/cmi5/fetch/:token', (req: Request, res: Response, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });
  // cmi5 §8.2: POST to the fetch URL returns the auth token once; later calls get error code 1
  r.post('/api/player/cmi5/fetch/:token', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const token = String(req.params.token ?? '');
    try {
      const authToken = await deps.cmi5.fetchAuthToken(token);
      res.status(200).json({ 'auth-token': authToken });
    } catch (err) {
      // §8.2.3: errors are answered with status 200 and an error object (the LMS test suite checks this)
      const code = err instanceof FetchError ? err.code : 3;
      res.status(200).json({ 'error-code': String(code), 'error-text': err instanceof FetchError ? err.message : 'General application error' });
    }
  });
  return r;
}
