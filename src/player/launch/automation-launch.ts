import { randomUUID } from 'node:crypto';
import type { Agent } from '../../lrs/types.ts';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, notFound } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/random.ts';
import type { Cmi5Launcher } from '../cmi5.ts';
import { versionItems } from '../launchable-settings.ts';
import type { PlayerRepository } from '../repository.ts';
import type { AttemptAccess } from './attempt-access.ts';
import type { LaunchMode, XapiLaunch } from './launch-xapi.ts';

/**
 * The cmi5 LMS test suite (CATAPULT lts/) launches AU number `auIndex` for an actor and a
 * registration of its own choosing; this makes such a launch for an admin's automation.
 */
export function createAutomationLaunch(deps: {
  repo: PlayerRepository;
  clock: Clock;
  access: AttemptAccess;
  cmi5: Cmi5Launcher;
  launchXapi: XapiLaunch;
  contentOrigin: () => string;
}) {
  const { repo, clock, access } = deps;
  return async function automationLaunch(input: {
    moduleId: string;
    auIndex: number;
    actor: Agent;
    registration?: string;
    launchMode?: LaunchMode;
  }): Promise<string> {
    const module = await access.requireModule(input.moduleId);
    const version = await access.requirePublishedVersion(module.id);
    const item = versionItems(version)[input.auIndex];
    if (!item) throw notFound('player:errors.itemNotFound');
    // the actor is nobody's account: its attempts belong to a learner id made from the actor itself
    const learnerId = `actor:${sha256Hex(JSON.stringify(input.actor)).slice(0, 24)}`;
    let attempt = input.registration ? await repo.findAttemptByRegistration(input.registration) : undefined;
    if (attempt && (attempt.moduleId !== module.id || attempt.learnerId !== learnerId)) throw new DomainError('conflict', 'player:errors.notYourAttempt');
    if (!attempt) {
      attempt = await repo.createAttempt({
        learnerId,
        learnerName: input.actor.name ?? '',
        actorJson: JSON.stringify(input.actor),
        moduleId: module.id,
        moduleSlug: module.slug,
        versionId: version.id,
        format: version.format,
        registration: input.registration ?? randomUUID(),
        createdAt: clock.now(),
      });
      await deps.cmi5.evaluateRegistration(attempt, version);
    }
    const url = await deps.launchXapi(attempt, item, version, input.actor, input.launchMode ?? 'Normal');
    await repo.updateAttempt(attempt.id, { lastLaunchedAt: clock.now() });
    return url.startsWith('/') ? `${deps.contentOrigin()}${url}` : url;
  };
}
