import { Router } from 'express';
import type { Connection } from 'mongoose';
import { pingDatabase } from '../db/connect.ts';

/** /healthz: the process is up. /readyz: the database answers (503 while it does not). */
export function healthRoutes(connection: Connection): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const ok = await pingDatabase(connection);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unavailable' });
  });
  return r;
}
