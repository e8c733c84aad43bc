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

/** Notes that a person signed in: "inactive" for the retention schedule counts from the last sign-in. */
export interface ActivityPort {
  seen(userId: string): Promise<void>;
}

export interface PrivacyFoundation {
  repo: PrivacyRepository;
  /** Handed to the components at construction: they record their staff actions in it. */
  audit: AuditTrail;
  /** Handed to accounts at construction: registration records the consent. */
  consent: ConsentPort;
  /** Handed to accounts at construction: a sign-in is the person being seen. */
  activity: ActivityPort;
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
    // a sign-in, not every request: sessions end after 8 idle hours, so whoever uses the platform
    // signs in at least every few days, and no page's database work grows by a write
    activity: { seen: (userId) => repo.touchActivity(userId, ctx.clock.now()) },
    consent: {
      version: settings.noticeVersion,
      record: (userId) => repo.insertConsent({ userId, kind: 'privacy-notice', version: settings.noticeVersion, at: ctx.clock.now() }),
    },
  };
}
