import { Router, type Request, type Response } from 'express';
import { requireRole } from '../http/guards.ts';
import { parse } from '../http/validate.ts';
import { DomainError } from '../shared/errors.ts';
import type { Agent } from '../lrs/types.ts';
import type { PlayerService } from './service.ts';
import { automationAbandonSchema, automationLaunchSchema, automationWaiveSchema } from './schemas.ts';

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
    const url = await service.launches.automationLaunch({ ...input, actor: input.actor as Agent });
    res.json({ url });
  });

  r.post('/admin/player/automation/waive', admin, async (req: Request, res: Response) => {
    const input = parse(automationWaiveSchema, req.body);
    const found = await service.attemptItemByIndex(input.registration, input.auIndex);
    if (!found) throw new DomainError('not-found', 'player:errors.attemptNotFound');
    await service.cmi5.waive(req.user!, found.attemptId, found.itemId, input.reason);
    res.status(204).end();
  });

  r.post('/admin/player/automation/abandon', admin, async (req: Request, res: Response) => {
    const { sessionId } = parse(automationAbandonSchema, req.body);
    await service.cmi5.abandonSession(sessionId);
    res.status(204).end();
  });
  return r;
}
