import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createRoomPrivacyRepository } from './privacy-repository.ts';

const ANONYMISED = 'Bleibt ohne Verfasser erhalten ("ehemaliges Mitglied"): die anderen Mitglieder des Raums arbeiten damit weiter.';

/** The Experimentierräume's entry in the privacy register (src/privacy/contract.ts). */
export function roomsPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createRoomPrivacyRepository(connection);
  return {
    component: 'rooms',
    collections: [
      {
        name: 'rooms',
        fields: ['leadId', 'coModeratorIds', 'experts (Name, Fachgebiet, E-Mail externer Fachleute)'],
        purpose: 'Lern- und Experimentierräume: wer sie leitet und welche Fachleute mitwirken',
        kept: 'Räume, die die Person geleitet hat, bleiben ohne ihre Kennung ("ehemaliges Mitglied").',
      },
      { name: 'room_members', fields: ['userId'], purpose: 'Teilnahme von Betrieben an einem Experimentierraum' },
      {
        name: 'room_guest_profiles',
        fields: ['_id (Konto-Kennung)', 'company', 'companyRole', 'trade', 'companySize'],
        purpose: 'Angaben zum Betrieb der Teilnehmenden',
      },
      {
        name: 'room_invitations',
        fields: ['email', 'userId', 'invitedBy'],
        purpose: 'Einladungen per E-Mail in einen Experimentierraum',
        kept: 'Von der Person verschickte Einladungen bleiben ohne ihre Kennung.',
      },
      {
        name: 'room_date_registrations',
        fields: ['userId', 'markedBy'],
        purpose: 'Anmeldung zu den Terminen und Anwesenheit',
        kept: 'Von der Person erfasste Anwesenheiten anderer bleiben ohne ihre Kennung.',
      },
      { name: 'room_results', fields: ['updatedBy'], purpose: 'Ergebnis-Board je Termin (kuratiert von der Leitung)', kept: ANONYMISED },
      { name: 'room_materials', fields: ['addedBy', 'title'], purpose: 'Materialien der Leitung (Dokumente, Links, Module)', kept: ANONYMISED },
    ],
    async export(subject, sink) {
      const all = await repo.all(subject.id, subject.email);
      sink.json('betriebsprofil.json', all.profile);
      sink.json('teilnahmen.json', all.memberships);
      sink.json('terminanmeldungen-und-anwesenheit.json', all.registrations);
      sink.json('einladungen.json', all.invitations);
      sink.json('geleitete-raeume.json', all.led);
      sink.json('ergebnis-board.json', all.results);
      sink.json('materialien.json', all.materials);
    },
    async erase(subject) {
      await repo.eraseAll(subject.id, subject.email);
    },
  };
}
