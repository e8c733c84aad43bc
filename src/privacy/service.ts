import { notFound } from '../shared/errors.ts';
import type { Actor } from './erasure/erasure-service.ts';
import type { PeoplePort } from './ports.ts';
import type { ActivityPort, ConsentPort } from './foundation.ts';
import type { AuditTrail } from './audit.ts';
import type { ErasureService } from './erasure/erasure-service.ts';
import type { ExportService } from './export/export-service.ts';
import type { PrivacyRegistry } from './registry.ts';
import type { PrivacyRepository } from './repository.ts';
import type { PrivacySettings } from './settings.ts';

/** The privacy component's service: what its routes and other components call. */
export function createPrivacyService(deps: {
  repo: PrivacyRepository;
  consent: ConsentPort;
  activity: ActivityPort;
  people: PeoplePort;
  registry: PrivacyRegistry;
  exports: ExportService;
  erasures: ErasureService;
  audit: AuditTrail;
  settings: PrivacySettings;
}) {
  const { repo, settings } = deps;
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
    /** The person was seen (a sign-in; accounts call the foundation's port directly). */
    seen: (userId: string) => deps.activity.seen(userId),
    /** The profile page's privacy section: exports, the open erasure request, consents. */
    async overview(userId: string) {
      const [exports, erasure, consents] = await Promise.all([repo.exportsOf(userId), repo.openErasureOf(userId), repo.consentsOf(userId)]);
      return { exports, erasure, consents };
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;
