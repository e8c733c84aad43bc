import type { Connection } from 'mongoose';
import { accountsPrivacy } from '../accounts/privacy.ts';
import { communityPrivacy } from '../community/privacy.ts';
import { certificatesPrivacy } from '../certificates/privacy.ts';
import { contentPrivacy } from '../content/privacy.ts';
import { insightPrivacy } from '../insight/privacy.ts';
import { lrsPrivacy } from '../lrs/privacy.ts';
import { playerPrivacy } from '../player/privacy.ts';
import { qualificationPrivacy } from '../qualification/privacy.ts';
import { roomsPrivacy } from '../rooms/privacy.ts';
import { resultsPrivacy } from '../results/privacy.ts';
import type { PersonalDataEntry } from './contract.ts';

/**
 * Every component's entry in the privacy register, made in one place (the composition root calls
 * this). A new component adds its src/<component>/privacy.ts here; the coverage test
 * (test/privacy/registry.test.ts) fails until it does.
 */
export function componentPrivacyEntries(
  connection: Connection,
  deps: { publicUrl: () => string; certificatePdf: (certificateId: string, learnerId: string) => Promise<Buffer> },
): PersonalDataEntry[] {
  return [
    accountsPrivacy(connection),
    lrsPrivacy(connection, { publicUrl: deps.publicUrl }),
    playerPrivacy(connection),
    qualificationPrivacy(connection),
    certificatesPrivacy(connection, { pdf: deps.certificatePdf }),
    contentPrivacy(connection),
    insightPrivacy(connection),
    communityPrivacy(connection),
    roomsPrivacy(connection),
    resultsPrivacy(connection),
  ];
}
