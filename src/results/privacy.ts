import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createResultsPrivacyRepository } from './privacy-repository.ts';

/**
 * The results' entry in the privacy register: the practice switch, and who published a summary.
 * The summaries themselves are anonymised at publication (src/results/anonymise.ts) and stay.
 */
export function resultsPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createResultsPrivacyRepository(connection);
  return {
    component: 'results',
    collections: [
      {
        name: 'results_practice_settings',
        fields: ['_id (Konto-Kennung)', 'showOnCertificate'],
        purpose: 'Ob die eigenen Experimentierräume als „Praxis“ auf der öffentlichen Prüfseite des Zertifikats erscheinen (Einwilligung, Standard: aus)',
      },
      {
        name: 'results_summaries',
        fields: ['publisherId', 'showLotse'],
        purpose:
          'Öffentliche, anonymisierte Ergebnisse der Lern- und Experimentierräume (Öffentlichkeitsarbeit des Projekts); gespeichert ist, welche Lotsin oder welcher Lotse sie veröffentlicht hat und ob sie oder er genannt werden möchte. Namen, E-Mail-Adressen und Betriebe der Teilnehmenden werden bei der Veröffentlichung abgewiesen.',
        kept: 'Die Zusammenfassung bleibt veröffentlicht, denn sie enthält keine personenbezogenen Daten; die Kennung der veröffentlichenden Person wird gelöscht (publisherId = null) und ihr Name erscheint nicht mehr.',
      },
    ],
    async export(subject, sink) {
      const { setting, published } = await repo.all(subject.id);
      sink.json('praxis-einstellung.json', setting ?? { showOnCertificate: false });
      sink.json('veroeffentlichte-ergebnisse.json', published);
    },
    async erase(subject) {
      await repo.eraseAll(subject.id);
    },
  };
}
