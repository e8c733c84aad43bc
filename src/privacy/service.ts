import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import type { Actor } from './erasure/erasure-service.ts';
import type { PeoplePort } from './ports.ts';
import type { ConsentPort } from './foundation.ts';
import type { AuditTrail } from './audit.ts';
import type { ErasureService } from './erasure/erasure-service.ts';
import type { ExportService } from './export/export-service.ts';
import type { PrivacyRegistry } from './registry.ts';
import type { PrivacyRepository } from './repository.ts';
import type { PrivacySettings } from './settings.ts';

/** Writes "last seen" at most once a day per person and process: enough for a schedule counted in years. */
function activityTracker(repo: PrivacyRepository, clock: Clock) {
  const written = new Map<string, string>();
  return async (userId: string): Promise<void> => {
    const day = clock.now().toISOString().slice(0, 10);
    if (written.get(userId) === day) return;
    if (written.size > 50_000) written.clear();
    written.set(userId, day);
    await repo.touchActivity(userId, clock.now());
  };
}

/** The privacy component's service: what its routes and other components call. */
export function createPrivacyService(deps: {
  repo: PrivacyRepository;
  consent: ConsentPort;
  people: PeoplePort;
  registry: PrivacyRegistry;
  exports: ExportService;
  erasures: ErasureService;
  audit: AuditTrail;
  clock: Clock;
  settings: PrivacySettings;
}) {
  const { repo, clock, settings } = deps;
  const personByEmail = async (email: string) => {
    const [person] = await deps.people.findUsersByEmails([email]);
    if (!person) throw notFound('privacy:errors.personNotFound');
    return person;
  };
  return {
    exports: deps.exports,
    erasures: deps.erasures,
    audit: deps.audit,
    registry: deps.registry,
    settings,
    /** Records that the person took note of the privacy notice in its current version (registration). */
    recordConsent: (userId: string) => deps.consent.record(userId),
    consentsOf: (userId: string) => repo.consentsOf(userId),
    /** An admin asks for the export of a person named by e-mail; the link goes to the person. */
    exportFor: async (admin: Actor, email: string) => deps.exports.request(admin, (await personByEmail(email)).id),
    /** An admin files an erasure request for a person named by e-mail (it still waits for confirmation). */
    eraseFor: async (admin: Actor, email: string) => deps.erasures.request(admin, (await personByEmail(email)).id),
    seen: activityTracker(repo, clock),
    /** The profile page's privacy section: exports, the open erasure request, consents. */
    async overview(userId: string) {
      const [exports, erasure, consents] = await Promise.all([repo.exportsOf(userId), repo.openErasureOf(userId), repo.consentsOf(userId)]);
      return { exports, erasure, consents };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;
