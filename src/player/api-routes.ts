import express, { Router, type Request, type Response } from 'express';
import { parse } from '../http/validate.ts';
import type { PlayerService } from './service.ts';
import { commitTextSchema, fetchTokenParams, tokenSchema } from './schemas.ts';
import { Status } from '../http/status.ts';

/** The raw body as text (express.text gives a string; anything else is no commit). */
const textOf = (body: unknown): string => (typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '');

/**
 * Endpoints authenticated by a per-launch token instead of the session cookie (so no CSRF token is
 * involved): SCORM commits and the cmi5 fetch URL. Mounted before sessions and body parsers.
 */
export function playerApiRoutes(service: Pick<PlayerService, 'commitScorm' | 'fetchAnswer'>): Router {
  const r = Router();
  const text = express.text({ type: () => true, limit: '2mb' });

  r.post('/api/player/scorm/:token/commit', text, async (req: Request, res: Response) => {
    const { token } = parse(tokenSchema, req.params);
    const input = parse(commitTextSchema, textOf(req.body), 'player:errors.badCommit');
    const result = await service.commitScorm(token, input);
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
    res.status(Status.NO_CONTENT).end();
  });
  // cmi5 §8.2: POST to the fetch URL returns the auth token once; every error is an answer too (§8.2.3)
  r.post('/api/player/cmi5/fetch/:token', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const { token } = parse(fetchTokenParams, req.params);
    res.json(await service.fetchAnswer(token));
  });
  return r;
}
