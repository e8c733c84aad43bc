import type { AppContext } from '../app-context.ts';
import { createAuditTrail, type AuditTrail } from './audit.ts';
import { createPrivacyRepository, type PrivacyRepository } from './repository.ts';
import type { PrivacySettings } from './settings.ts';

/** What registration records: that the person took note of the privacy notice, in this version. */
export interface ConsentPort {
  /** The version the registration form shows. */
  version: string;
  record(userId: string): Promise<void>;
}

export interface PrivacyFoundation {
  repo: PrivacyRepository;
  /** Handed to the components at construction: they record their staff actions in it. */
  audit: AuditTrail;
  /** Handed to accounts at construction: registration records the consent. */
  consent: ConsentPort;
}

/**
 * The parts of privacy that other components need before they exist themselves: the audit trail
 * and the consent record depend only on the database, so the composition root makes them first and
 * hands them in; the privacy component (which needs the accounts in turn) is built from them later.
 */
export function createPrivacyFoundation(ctx: Pick<AppContext, 'connection' | 'clock'>, settings: PrivacySettings): PrivacyFoundation {
  const repo = createPrivacyRepository(ctx.connection);
  return {
    repo,
    audit: createAuditTrail({ repo, clock: ctx.clock }),
    consent: {
      version: settings.noticeVersion,
      record: (userId) => repo.insertConsent({ userId, kind: 'privacy-notice', version: settings.noticeVersion, at: ctx.clock.now() }),
    },
  };
}
