import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createInsightPrivacyRepository } from './privacy-repository.ts';

/**
 * Insight's entry in the privacy register: its projections of the learner's statements (rebuilt by
 * a replay from the LRS, so erasing them with the statements leaves nothing to rebuild) and the
 * trainer's digest opt-out.
 */
export function insightPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createInsightPrivacyRepository(connection);
  return {
    component: 'insight',
    collections: [
      { name: 'insight_events', fields: ['learnerId'], purpose: 'Zeitleiste der Lernschritte für Lernende und ihre Trainer' },
      { name: 'insight_module_activity', fields: ['learnerId'], purpose: 'Lernzeit und Stand je Modul (Auswertung der Kohorte)' },
      { name: 'insight_answers', fields: ['learnerId', 'response'], purpose: 'Antworten auf Wissensfragen (Auswertung je Frage)' },
      { name: 'insight_attendance', fields: ['learnerId'], purpose: 'Anwesenheit bei Q2-Terminen (Teilnahmequote)' },
      { name: 'insight_digest_opt_outs', fields: ['_id (Konto der Trainerin bzw. des Trainers)'], purpose: 'Abbestellung der wöchentlichen Übersicht' },
    ],
    withoutPersonalData: [{ name: 'insight_questions', why: 'Fragen, wie die Lernpakete sie beschreiben (Text, Auswahl, richtige Antwort)' }],
    async export(subject, sink) {
      const all = await repo.all(subject.id);
      sink.json('zeitleiste.json', all.events);
      sink.json('module.json', all.activity);
      sink.json('antworten.json', all.answers);
      sink.json('anwesenheit.json', all.attendance);
      sink.json('wochenuebersicht.json', all.digestOptOut);
    },
    async erase(subject) {
      await repo.eraseAll(subject.id);
    },
  };
}
