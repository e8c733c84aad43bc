import { noAudit, type AuditPort } from '../privacy/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import type { ModerationReason } from './model.ts';
import type { Viewer } from './platform-ports.ts';
import type { ResultsRepository } from './repository.ts';

/**
 * The provider's moderation of /ergebnisse (a complaint, personal data that slipped through): an
 * admin withdraws any published summary at once, with a reason code recorded in the audit trail.
 * The room's leads see it withdrawn by the moderation on their publish page.
 */
export function createModeration(deps: { repo: ResultsRepository; clock: Clock; audit?: AuditPort }) {
  const audit = deps.audit ?? noAudit;
  return {
    async withdraw(admin: Viewer, slug: string, reason: ModerationReason): Promise<void> {
      if (!admin.roles.includes('admin')) throw forbidden('results:errors.notAdmin');
      const withdrawn = await deps.repo.withdrawBySlug(slug, reason, deps.clock.now());
      if (!withdrawn) throw notFound('results:errors.notFound');
      await audit.record({ actorId: admin.id, action: 'results-withdraw', targetId: withdrawn.id, details: { slug, reason } });
    },
  };
}
export type Moderation = ReturnType<typeof createModeration>;
