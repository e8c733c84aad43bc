import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import { createContentPrivacyRepository } from './privacy-repository.ts';
// the package store's GridFS bucket (package-blobs.ts)
const BUCKET = 'content';

/**
 * Content's entry in the privacy register: the only personal datum is who uploaded a version. The
 * version stays (learners' attempts run on it); the uploader becomes the erasure's reference.
 */
export function contentPrivacy(connection: Connection): PersonalDataEntry {
  const repo = createContentPrivacyRepository(connection);
  return {
    component: 'content',
    collections: [
      {
        name: 'content_versions',
        fields: ['createdBy'],
        purpose: 'Hochgeladene Versionen der Lernmodule (wer sie hochgeladen hat)',
        kept: 'Die Version bleibt; statt der Kennung steht dort die Löschnummer.',
      },
    ],
    withoutPersonalData: [
      { name: 'content_modules', why: 'Titel und Beschreibung der Module' },
      { name: `${BUCKET}.files`, why: 'Inhaltspakete (Dateien der Autorinnen und Autoren, keine Lernendendaten)' },
      { name: `${BUCKET}.chunks`, why: 'Inhaltspakete' },
    ],
    async export(subject, sink) {
      sink.json('hochgeladene-versionen.json', await repo.versionsBy(subject.id));
    },
    async erase(subject, ctx) {
      await repo.replaceUploader(subject.id, `geloescht:${ctx.reference}`);
    },
  };
}
