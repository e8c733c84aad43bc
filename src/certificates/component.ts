import type { AppContext } from '../app-context.ts';
import { issuerUrls } from './issuer.ts';
import { adminsOnly, qualificationUnavailable, type EligibilityPort, type LearnerScopePort, type PeoplePort } from './ports.ts';
import { createCertificateRepository } from './repository.ts';
import { certificateApiRoutes, certificateWebRoutes } from './routes.ts';
import { createCertificateService } from './service.ts';
import { loadSigningKey, type ActiveSigningKey } from './signing-keys.ts';
import { createVerifyThrottle, DEFAULT_VERIFY_THROTTLE, type VerifyThrottlePolicy } from './verify-throttle.ts';

export interface CertificateComponentDeps {
  people: PeoplePort;
  /** The qualification component's service; until it is wired nobody is eligible. */
  eligibility?: EligibilityPort;
  throttle?: VerifyThrottlePolicy;
}

/** Wires the certificates component: repository → signing key → service → routes. */
export async function createCertificateComponent(ctx: AppContext, deps: CertificateComponentDeps) {
  const repo = createCertificateRepository(ctx.connection);
  const throttle = createVerifyThrottle(ctx.connection, ctx.clock, deps.throttle ?? DEFAULT_VERIFY_THROTTLE);
  let eligibility: EligibilityPort = deps.eligibility ?? qualificationUnavailable;
  let learnerScope: LearnerScopePort = adminsOnly;
  let signingKey: ActiveSigningKey | undefined;
  const service = createCertificateService({
    repo,
    clock: ctx.clock,
    throttle,
    people: deps.people,
    eligibility: () => eligibility,
    learnerScope: () => learnerScope,
    signingKey: () => {
      if (!signingKey) throw new Error('certificates: the signing key is loaded in start()');
      return signingKey;
    },
    urls: () => issuerUrls(ctx.publicUrl()),
  });
  ctx.jobs.every('verify-throttle-clean-up', 15 * 60_000, () => throttle.cleanUp());
  return {
    service,
    apiRouter: certificateApiRoutes(service),
    webRouter: certificateWebRoutes(service),
    /** Plugs in another component's eligibility (the composition root; tests use a stand-in service). */
    useEligibility(port: EligibilityPort) {
      eligibility = port;
    },
    /** Plugs in the qualification's cohorts: which learners a trainer handles. */
    useLearnerScope(port: LearnerScopePort) {
      learnerScope = port;
    },
    async start() {
      await repo.init();
      signingKey = await loadSigningKey({ keyFile: ctx.config.certSigningKeyFile, dataDir: ctx.config.dataDir, repo, logger: ctx.logger, now: ctx.clock.now() });
    },
  };
}
export type CertificateComponent = Awaited<ReturnType<typeof createCertificateComponent>>;
