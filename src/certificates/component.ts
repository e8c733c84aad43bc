import type { AuditPort } from '../privacy/ports.ts';
import type { AppContext } from '../app-context.ts';
import { issuerUrls } from './issuer.ts';
import { seedDemoCertificate } from './demo-data.ts';
import type { DemoPort, EligibilityPort, LearnerScopePort, PeoplePort, PracticePort } from './ports.ts';
import { createCertificateRepository } from './repository.ts';
import { certificateApiRoutes, certificateWebRoutes } from './routes.ts';
import { createCertificateService } from './service.ts';
import { loadSigningKey, type ActiveSigningKey } from './signing-keys.ts';
import { createVerifyThrottle, DEFAULT_VERIFY_THROTTLE, type VerifyThrottlePolicy } from './verify-throttle.ts';

export interface CertificateComponentDeps {
  people: PeoplePort;
  /** The qualification component's service: eligibility and the evidence printed on the certificate. */
  eligibility: EligibilityPort;
  /** The qualification's cohorts: which learners a trainer handles. */
  learnerScope: LearnerScopePort;
  throttle?: VerifyThrottlePolicy;
  /** The privacy component's audit trail: issue and revocation are staff actions. */
  audit?: AuditPort;
  /** The holder's practice on the public verify page, where they opted in (src/results). */
  practice?: PracticePort;
  /** The demo Lotse and the requirements her demo certificate lists; used only with demo data on. */
  demo?: DemoPort;
}

/** Wires the certificates component: repository → signing key → service → routes. */
export async function createCertificateComponent(ctx: AppContext, deps: CertificateComponentDeps) {
  const repo = createCertificateRepository(ctx.connection);
  const throttle = createVerifyThrottle(ctx.connection, ctx.clock, deps.throttle ?? DEFAULT_VERIFY_THROTTLE);
  let signingKey: ActiveSigningKey | undefined;
  const service = createCertificateService({
    repo,
    clock: ctx.clock,
    throttle,
    people: deps.people,
    eligibility: deps.eligibility,
    learnerScope: deps.learnerScope,
    signingKey: () => {
      if (!signingKey) throw new Error('certificates: the signing key is loaded in start()');
      return signingKey;
    },
    urls: () => issuerUrls(ctx.publicUrl()),
    audit: deps.audit,
    practice: deps.practice,
  });
  ctx.jobs.every('verify-throttle-clean-up', 15 * 60_000, () => throttle.cleanUp());
  return {
    service,
    apiRouter: certificateApiRoutes(service),
    webRouter: certificateWebRoutes(service),
    async start() {
      await repo.init();
      signingKey = await loadSigningKey({
        keyFile: ctx.config.certSigningKeyFile,
        dataDir: ctx.config.dataDir,
        repo,
        logger: ctx.logger,
        now: ctx.clock.now(),
      });
      // demo data only (off in production): after the accounts made the demo Lotse, before the rooms open her room
      if (ctx.config.demoData && deps.demo) await seedDemoCertificate({ service, repo, demo: deps.demo, now: ctx.clock.now() });
    },
  };
}
export type CertificateComponent = Awaited<ReturnType<typeof createCertificateComponent>>;
