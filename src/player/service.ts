import type { Clock } from '../shared/clock.ts';
import type { KeyedQueue } from '../shared/keyed-queue.ts';
import type { Logger } from '../shared/logger.ts';
import type { Cmi5Launcher } from './cmi5.ts';
import type { Cmi5Fetch } from './cmi5-fetch.ts';
import { createDashboard } from './dashboard.ts';
import { createAttemptAccess } from './launch/attempt-access.ts';
import { createAttemptNavigation } from './launch/attempt-navigation.ts';
import { createAutomationLaunch } from './launch/automation-launch.ts';
import { createScormLaunch } from './launch/launch-scorm.ts';
import { createContentTokenCheck, createLaunchSessions } from './launch/launch-sessions.ts';
import { createXapiLaunch } from './launch/launch-xapi.ts';
import { createOpenItem } from './launch/open-item.ts';
import { createSequencingRequests } from './launch/sequencing-requests.ts';
import { createStartAttempt } from './launch/start-attempt.ts';
import type { ContentPort, LrsPort, PeoplePort } from './ports.ts';
import type { ProgressProjection } from './progress.ts';
import type { PlayerRepository } from './repository.ts';
import type { ScormCommit } from './scorm-commit.ts';
import type { SequencedNavigation } from './sequencing/navigation.ts';
import { createWaivers } from './waivers.ts';
import type { AuditPort } from '../privacy/ports.ts';

/**
 * The player's face to its routes and to other components: one function per thing a page, an API
 * or another component asks of it. The use cases live in their own files (launch/, scorm-commit.ts,
 * cmi5*.ts, waivers.ts); this only puts them together.
 */
export function createPlayerService(deps: {
  repo: PlayerRepository;
  content: ContentPort;
  lrs: LrsPort | undefined;
  people: PeoplePort | undefined;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  /** The content origin for URLs made without a request (automation). */
  contentOrigin: () => string;
  projection: ProgressProjection;
  cmi5: Cmi5Launcher;
  cmi5Fetch: Cmi5Fetch;
  scormCommit: ScormCommit;
  sequenced: SequencedNavigation;
  /** The queue SCORM commits run in per attempt: SCORM 2004 steps wait for a commit still being acted on. */
  attemptQueue: KeyedQueue;
  /** The slugs the dashboard lists first, in this order (the composition root passes the Q1 modules). */
  moduleOrder: () => Promise<string[]>;
  /** The privacy component's audit trail: waivers are recorded there. */
  audit?: AuditPort;
}) {
  const { repo, content, clock, projection, cmi5 } = deps;
  const access = createAttemptAccess({ repo, content });
  const newLaunch = createLaunchSessions({ repo, clock });
  const launchXapi = createXapiLaunch({ repo, lrs: deps.lrs, clock, cmi5, newLaunch, publicUrl: deps.publicUrl, contentOrigin: deps.contentOrigin });
  const launchScorm = createScormLaunch({ repo, newLaunch, publicUrl: deps.publicUrl });
  const openItem = createOpenItem({ ...deps, access, launchScorm, launchXapi });
  const start = createStartAttempt({ repo, clock, access, cmi5, projection });
  const navigation = createAttemptNavigation({ access });
  const sequencing = createSequencingRequests({ ...deps, access });
  const waivers = createWaivers({ repo, content, people: deps.people, cmi5, startModule: start.startModule, audit: deps.audit });

  return {
    /** Whose module each registration is (the attempts behind them), for projections of other components. */
    async registrationOwners(registrations: string[]): Promise<Array<{ registration: string; learnerId: string; moduleSlug: string; preview?: boolean }>> {
      if (!registrations.length) return [];
      return (await repo.findAttemptsByRegistrations(registrations)).map((a) => ({
        registration: a.registration,
        learnerId: a.learnerId,
        moduleSlug: a.moduleSlug,
        preview: a.preview,
      }));
    },
    dashboard: createDashboard(deps),
    startModule: start.startModule,
    launchPreview: start.launchPreview,
    openItem,
    exitUrl: navigation.exitUrl,
    navigate: navigation.navigate,
    afterFinish: navigation.afterFinish,
    returnTarget: navigation.returnTarget,
    sequencingRequest: sequencing.sequencingRequest,
    sequencingState: sequencing.sequencingState,
    /** POST /api/player/scorm/:token/commit (the scale benchmark commits without HTTP). */
    commitScorm: deps.scormCommit,
    /** cmi5 §8.2 fetch URL. */
    fetchAnswer: deps.cmi5Fetch.fetchAnswer,
    fetchAuthToken: deps.cmi5Fetch.fetchAuthToken,
    verifyContentToken: createContentTokenCheck({ repo, clock }),
    waiverOptions: waivers.options,
    waiveForLearner: waivers.waive,
    waiveAttemptItem: waivers.waiveAttemptItem,
    waiveByIndex: waivers.waiveByIndex,
    automationLaunch: createAutomationLaunch({ repo, clock, access, cmi5, launchXapi, contentOrigin: deps.contentOrigin }),
    abandonSession: cmi5.abandonSession,
    progressFor: projection.progressFor,
    progressForLearners: projection.progressForLearners,
  };
}
export type PlayerService = ReturnType<typeof createPlayerService>;
