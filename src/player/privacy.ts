import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createPlayerPrivacyRepository } from './privacy-repository.ts';

/** The player's entry in the privacy register: attempts, CMI data, launches and progress records. */
export function playerPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createPlayerPrivacyRepository(connection);
  return {
    component: 'player',
    collections: [
      { name: 'player_attempts', fields: ['learnerId', 'learnerName', 'actorJson'], purpose: 'Versuche an Lernmodulen (Stand, Ergebnis, Zeit)' },
      {
        name: 'player_items',
        fields: ['attemptId', 'cmi (u. a. cmi.core.student_name, Antworten)', 'heldStatements (xAPI-Akteur)'],
        purpose: 'SCORM-Daten der Lerneinheiten',
      },
      { name: 'player_launches', fields: ['learnerId', 'authorization'], purpose: 'Starts von Lerneinheiten (Sitzungen)' },
      { name: 'player_progress', fields: ['learnerId'], purpose: 'Fortschritt je Modul (Übersicht der Lernenden und Trainer)' },
      { name: 'player_learner_globals', fields: ['learnerId', 'value'], purpose: 'Modulübergreifende SCORM-2004-Lernziele' },
    ],
    withoutPersonalData: [{ name: 'player_meta', why: 'Wartungsvermerke der Datenbank' }],
    async export(subject, sink) {
      const all = await repo.all(subject.id);
      // CMI data is stored as {k, v} pairs (element names hold dots); the export shows them as an object
      const items = all.items.map((i) => ({ ...i, cmi: Object.fromEntries((i.cmi ?? []).map((p) => [p.k, p.v])) }));
      sink.json('versuche.json', all.attempts);
      sink.json('lerneinheiten.json', items);
      sink.json('starts.json', all.launches);
      sink.json('fortschritt.json', all.progress);
      sink.json('lernziele.json', all.globals);
    },
    async erase(subject) {
      await repo.eraseAll(subject.id);
    },
  };
}
