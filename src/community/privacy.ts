import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createFileRepository, FILE_BUCKET } from './file-repository.ts';
import { createJournalRepository } from './journal-repository.ts';
import { createCommunityPrivacyRepository } from './privacy-repository.ts';

/**
 * The community's entry in the privacy register: threads, posts, reports, chat messages, read marks. On
 * erasure posts others replied to stay anonymised ("ehemaliges Mitglied"), everything else goes.
 */
export function communityPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createCommunityPrivacyRepository(connection);
  const journals = createJournalRepository(connection);
  const files = createFileRepository(connection);
  return {
    component: 'community',
    collections: [
      {
        name: 'community_threads',
        fields: ['authorId', 'title'],
        purpose: 'Themen im Klassenzimmer, in der Modul-Fragerunde und in der Community',
        kept: 'Themen, auf die andere geantwortet haben, bleiben ohne Verfasser ("ehemaliges Mitglied").',
      },
      {
        name: 'community_posts',
        fields: ['authorId', 'markdown', 'html'],
        purpose: 'Beiträge und Antworten in den Räumen der Qualifizierung',
        kept: 'Beiträge in Themen, auf die andere geantwortet haben, bleiben ohne Verfasser ("ehemaliges Mitglied").',
      },
      { name: 'community_helpful', fields: ['userId'], purpose: '„Hilfreich“-Markierungen in den Fragerunden der Module' },
      {
        name: 'community_read_marks',
        fields: ['userId', 'spaceKey', 'threadId', 'seenReplies', 'seenChatId'],
        purpose: 'Gelesen-Markierungen: welche Themen und Chat-Nachrichten die Person zuletzt gesehen hat (für „neu“ und „ungelesen“)',
      },
      { name: 'community_reports', fields: ['reporterId', 'reason'], purpose: 'Meldungen von Beiträgen an die Moderation' },
      { name: 'community_chat_messages', fields: ['authorId', 'text'], purpose: 'Live-Chat im Klassenzimmer und je Q2-Termin' },
      {
        name: 'community_notifications',
        fields: ['userId', 'actorId', 'title'],
        purpose: 'Benachrichtigungen (Erwähnungen, Mentoring, Antworten) und ihr Versand per E-Mail',
        kept: 'Benachrichtigungen anderer über Beiträge der Person bleiben ohne ihre Kennung.',
      },
      { name: `${FILE_BUCKET}.files`, fields: ['metadata.uploaderId'], purpose: 'Bilder und PDF-Dateien in Beiträgen' },
      { name: `${FILE_BUCKET}.chunks`, fields: ['Inhalt der Datei'], purpose: 'Bilder und PDF-Dateien in Beiträgen' },
      {
        name: 'community_journal_entries',
        fields: ['learnerId', 'markdown', 'html'],
        purpose: 'Reflexionstagebuch je Q2-Termin (privat, oder geteilt mit Team bzw. Mentor)',
      },
      {
        name: 'community_journal_comments',
        fields: ['authorId', 'markdown', 'html'],
        purpose: 'Kommentare zu geteilten Reflexionen',
        kept: 'Kommentare zu Reflexionen anderer bleiben ohne Verfasser ("ehemaliges Mitglied").',
      },
      { name: 'community_teams', fields: ['memberIds', 'createdBy'], purpose: 'Reflecting Teams eines Durchgangs' },
      { name: 'community_journal_prompts', fields: ['by'], purpose: 'Impulse der Trainer für die Reflexionstagebücher' },
      { name: 'community_notification_settings', fields: ['_id (Konto-Kennung)', 'immediate', 'digest'], purpose: 'Einstellungen der Benachrichtigungen' },
    ],
    async export(subject, sink) {
      const all = await repo.all(subject.id);
      sink.json('themen.json', all.threads);
      sink.json('beitraege.json', all.posts);
      sink.json('meldungen.json', all.reports);
      sink.json('chat.json', all.chat);
      sink.json('benachrichtigungen.json', all.notifications);
      sink.json('anhaenge.json', await files.uploadedBy(subject.id));
      sink.json('hilfreich.json', all.helpful);
      sink.json('gelesen.json', all.readMarks);
      const j = await journals.allOf(subject.id);
      sink.json('reflexionstagebuch.json', j.entries);
      sink.json('reflexion-kommentare.json', j.comments);
      sink.json('reflecting-teams.json', j.teams);
      sink.json('reflexion-impulse.json', j.prompts);
      sink.json('benachrichtigungs-einstellungen.json', all.settings);
    },
    async erase(subject) {
      await repo.eraseAll(subject.id);
      await journals.eraseAll(subject.id);
      await files.deleteUploadedBy(subject.id);
    },
  };
}
