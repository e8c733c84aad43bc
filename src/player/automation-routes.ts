import { Router, type Request, type Response } from 'express';
import { currentUser } from '../http/current-user.ts';
import { requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import type { Agent } from '../lrs/types.ts';
import type { PlayerService } from './service.ts';
import { automationAbandonSchema, automationLaunchSchema, automationWaiveSchema } from './schemas.ts';
import { Status } from '../http/status.ts';

const NO_CONTENT = Status.NO_CONTENT;

/**
 * JSON endpoints for admins' automation, used by the cmi5 LMS test suite adapter (scripts/cmi5-lts):
 * launch an AU for a given actor and registration, waive an AU, abandon a session. Session-authenticated
 * (an admin login) and CSRF-protected (X-CSRF-Token) like every other state-changing request.
 */
export function automationRoutes(service: PlayerService): Router {
  const r = Router();
  const admin = requireRole('admin');

  r.post('/admin/player/automation/launch', admin, async (req: Request, res: Response) => {
    const input = parse(automationLaunchSchema, req.body);
    const url = await service.automationLaunch({ ...input, actor: input.actor as Agent });
    res.json({ url });
  });

  r.post('/admin/player/automation/waive', admin, async (req: Request, res: Response) => {
    const input = parse(automationWaiveSchema, req.body);
    await service.waiveByIndex(currentUser(req), input);
    res.status(NO_CONTENT).end();
  });

  r.post('/admin/player/automation/abandon', admin, async (req: Request, res: Response) => {
    const { sessionId } = parse(automationAbandonSchema, req.body);
    await service.abandonSession(sessionId);
    res.status(NO_CONTENT).end();
  });
  return r;
}
