import type { PersonalDataEntry } from './contract.ts';
import { EXPORT_BUCKET } from './model.ts';
import type { PrivacyRepository } from './repository.ts';

/**
 * The privacy component's own entry: consents, exports, the activity record of the retention
 * schedule, the audit trail. The erasure request itself is closed by the runner once every step is
 * done (erasure/run-erasure.ts), then holds only its reference, dates and steps.
 */
export function privacyOwnEntry(repo: PrivacyRepository): PersonalDataEntry {
  return {
    component: 'privacy',
    collections: [
      { name: 'privacy_consents', fields: ['userId', 'version'], purpose: 'Nachweis der Kenntnisnahme des Datenschutzhinweises (Art. 7 Abs. 1 DSGVO)' },
      { name: 'privacy_exports', fields: ['userId', 'requestedBy'], purpose: 'Datenauskünfte (Art. 15, 20 DSGVO) und ihr Einmal-Link' },
      { name: `${EXPORT_BUCKET}.files`, fields: ['Inhalt der Auskunft'], purpose: 'Die ZIP-Datei einer Auskunft bis zum Herunterladen' },
      { name: `${EXPORT_BUCKET}.chunks`, fields: ['Inhalt der Auskunft'], purpose: 'Die ZIP-Datei einer Auskunft bis zum Herunterladen' },
      { name: 'privacy_activity', fields: ['_id (Konto-Kennung)', 'lastSeenAt'], purpose: 'Letzte Nutzung, für die Löschung inaktiver Konten' },
      {
        name: 'privacy_erasures',
        fields: ['subject (bis zum Abschluss)', 'requestedBy', 'confirmedBy'],
        purpose: 'Löschanträge und ihr Fortschritt',
        kept: 'Nach Abschluss bleiben Löschnummer, Daten und erledigte Schritte, ohne Angaben zur Person (Rechenschaftspflicht, Art. 5 Abs. 2 DSGVO).',
      },
      {
        name: 'privacy_audit',
        fields: ['actorId', 'targetId'],
        purpose: 'Protokoll der Handlungen von Mitarbeitenden (wer, wann, was)',
        kept: 'Einträge bleiben bis zum Ablauf ihrer Aufbewahrungsfrist; statt der Kennung der Person steht die Löschnummer.',
      },
    ],
    async export(subject, sink) {
      sink.json('einwilligungen.json', await repo.consentsOf(subject.id));
      sink.json(
        'auskuenfte.json',
        (await repo.exportsOf(subject.id, 100)).map(({ tokenHash: _t, fileId: _f, leaseUntil: _l, ...e }) => e),
      );
      const erasure = await repo.openErasureOf(subject.id);
      sink.json(
        'loeschantrag.json',
        erasure ? { reference: erasure.reference, state: erasure.state, requestedAt: erasure.requestedAt, dueAt: erasure.dueAt } : null,
      );
      sink.json('protokoll.json', await repo.auditOf(subject.id));
    },
    async erase(subject, ctx) {
      await repo.deleteConsentsOf(subject.id);
      await repo.deleteExportsOf(subject.id);
      await repo.deleteActivity(subject.id);
      await repo.pseudonymiseAudit(subject.id, ctx.reference);
    },
  };
}

/** Collections of the platform itself (no component owns them). */
export const platformEntry = (): PersonalDataEntry => ({
  component: 'platform',
  collections: [],
  withoutPersonalData: [{ name: 'job_runs', why: 'Belegung der geplanten Hintergrundaufgaben' }],
  export: async () => {},
  erase: async () => {},
});
