import type { DemoPort, Eligibility } from './ports.ts';
import type { CertificateRepository } from './repository.ts';
import type { CertificateService } from './service.ts';

/** Who confirmed the demo's prerequisites (no trainer did). */
const DEMO_DECIDER = 'Demo';

/**
 * The eligibility the demo Lotse is certified on: every Q1 module and Q2 topic of the current
 * requirements done, both prerequisites confirmed by "Demo". Made up on purpose: a fresh database
 * cannot give her a real one (Q2 attendance is marked on sessions that have taken place, and the demo
 * sessions all lie ahead).
 */
function demoEligibility(learnerId: string, requirements: Awaited<ReturnType<DemoPort['requirements']>>, at: Date): Eligibility {
  return {
    learnerId,
    eligible: true,
    missing: [],
    prerequisites: {
      authorisation: { state: 'verified', decidedBy: DEMO_DECIDER, decidedAt: at },
      workshop: { state: 'verified', decidedBy: DEMO_DECIDER, decidedAt: at },
    },
    q1: requirements.q1Modules.map((m) => ({ moduleSlug: m.moduleSlug, title: m.title, status: 'completed' })),
    q2: requirements.q2Topics.map((t) => ({ topic: t.key, title: t.title, requiresQ1: t.requiresQ1, attended: true })),
  };
}

/**
 * Demo data only (the component calls this when config.demoData is on, which it never is in
 * production): the demo Lotse gets a current certificate unless she has one, or had one, already.
 * It is issued through the service with the demo eligibility above, so it is signed, stored and
 * verifiable like any other, and she can open an Experimentierraum at once.
 */
export async function seedDemoCertificate(deps: { service: CertificateService; repo: CertificateRepository; demo: DemoPort; now: Date }): Promise<void> {
  const lotse = await deps.demo.lotse();
  if (!lotse || (await deps.repo.listForLearner(lotse.id)).length > 0) return;
  const eligibility = demoEligibility(lotse.id, await deps.demo.requirements(), deps.now);
  await deps.service.issue(lotse.id, 'system', eligibility);
}
