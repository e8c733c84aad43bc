import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createQualificationPrivacyRepository } from './privacy-repository.ts';

const STAFF_KEPT =
  'Entscheidungen und Eintragungen, die die Person als Trainerin oder Admin für andere getroffen hat, bleiben; statt ihrer Kennung steht dort die Löschnummer.';
const safeName = (name: string) => name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || 'datei';

/** The qualification's entry in the privacy register: prerequisites and evidence, Q2 seats and attendance. */
export function qualificationPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createQualificationPrivacyRepository(connection);
  return {
    component: 'qualification',
    collections: [
      {
        name: 'qualification_prerequisites',
        fields: ['learnerId', 'number', 'partner', 'place', 'date', 'evidence*', 'decidedBy'],
        purpose: 'Zugangsvoraussetzungen (Autorisierung, Workshop) und ihre Prüfung',
        kept: STAFF_KEPT,
      },
      { name: 'qualification_evidence.files', fields: ['filename', 'metadata.learnerId'], purpose: 'Hochgeladene Nachweise' },
      { name: 'qualification_evidence.chunks', fields: ['Inhalt der Nachweise'], purpose: 'Hochgeladene Nachweise' },
      {
        name: 'qualification_imports',
        fields: ['csv (Namen, E-Mail-Adressen)', 'createdBy'],
        purpose: 'CSV-Listen geprüfter Autorisierungen der Partner',
        kept: 'Zeilen anderer Personen bleiben; die Zeilen der Person werden entfernt.',
      },
      {
        name: 'qualification_cohorts',
        fields: ['learnerIds', 'trainerIds'],
        purpose: 'Durchgänge mit ihren Lernenden und Trainern',
        kept: 'Der Durchgang bleibt, ohne die Person.',
      },
      { name: 'qualification_sessions', fields: ['trainerIds'], purpose: 'Q2-Termine und ihre Trainer', kept: 'Der Termin bleibt, ohne die Person.' },
      { name: 'qualification_seats', fields: ['learnerId'], purpose: 'Anmeldungen zu Q2-Terminen' },
      { name: 'qualification_waitlist', fields: ['learnerId'], purpose: 'Wartelisten der Q2-Termine' },
      { name: 'qualification_attendance', fields: ['learnerId', 'markedBy'], purpose: 'Anwesenheit bei Q2-Terminen', kept: STAFF_KEPT },
      { name: 'qualification_mentors', fields: ['learnerId', 'mentorId', 'assignedBy'], purpose: 'Begleitung durch erfahrene Lotsinnen und Lotsen' },
      { name: 'qualification_requirements', fields: ['updatedBy'], purpose: 'Festlegung der Qualifizierung (wer sie zuletzt geändert hat)', kept: STAFF_KEPT },
    ],
    async export(subject, sink) {
      const r = await repo.learnerRecords(subject.id);
      sink.json('voraussetzungen.json', r.prerequisites);
      sink.json('durchgaenge.json', r.cohorts);
      const session = (id: string) => r.sessions.find((s) => String(s._id) === id);
      sink.json('q2-anmeldungen.json', {
        plaetze: r.seats.map((s) => ({ ...s, termin: session(s.sessionId) })),
        warteliste: r.waitlist.map((w) => ({ ...w, termin: session(w.sessionId) })),
      });
      sink.json(
        'q2-anwesenheit.json',
        r.attendance.map((a) => ({ ...a, termin: session(a.sessionId) })),
      );
      sink.json('begleitung.json', r.mentor);
      for (const f of await repo.evidence(subject.id)) {
        const chunks: Buffer[] = [];
        for await (const c of f.open()) chunks.push(c as Buffer);
        sink.file(`nachweise/${f.kind}-${f.id}-${safeName(f.fileName)}`, Buffer.concat(chunks));
      }
    },
    async erase(subject, ctx) {
      await repo.erase(subject.id, subject.email, ctx.reference);
    },
  };
}
