import type { Connection } from 'mongoose';
import type { PersonalDataEntry } from '../privacy/contract.ts';
import type { PeoplePort, Person } from '../privacy/ports.ts';
import { ACCOUNT_COLLECTIONS as C, createAccountPrivacyRepository } from './privacy-repository.ts';

/** The accounts component's entry in the privacy register (src/privacy/contract.ts). */
export function accountsPrivacy(connection: Connection): PersonalDataEntry & { repo: ReturnType<typeof createAccountPrivacyRepository> } {
  const repo = createAccountPrivacyRepository(connection);
  return {
    component: 'accounts',
    repo,
    collections: [
      {
        name: C.users,
        fields: ['name', 'email', 'emailKey', 'organisation', 'region', 'roles', 'passwordHash'],
        purpose: 'Konto: Anmeldung, Anrede, Zuordnung zur Region und Rollen',
      },
      { name: C.resetTokens, fields: ['userId'], purpose: 'Einmal-Links zum Zurücksetzen des Passworts (60 Minuten gültig)' },
      { name: C.loginFailures, fields: ['key (E-Mail-Adresse und IP-Adresse)'], purpose: 'Schutz vor Passwort-Raten (Sperre nach Fehlversuchen)' },
      { name: C.resetRequests, fields: ['key (E-Mail-Adresse oder IP-Adresse)'], purpose: 'Schutz vor massenhaften Rücksetz-Mails' },
      { name: C.sessions, fields: ['session (Konto-Kennung)'], purpose: 'Anmeldesitzung (technisch notwendiges Cookie, 8 Stunden)' },
    ],
    async export(subject, sink) {
      const user = await repo.user(subject.id);
      sink.json('konto.json', user ? { ...user, _id: String(user._id) } : null);
      sink.json('anmeldung.json', {
        offeneSitzungen: await repo.sessionCount(subject.id),
        passwortLinks: await repo.resetTokens(subject.id),
        hinweis: 'Fehlversuche bei der Anmeldung werden nur kurz (15 Minuten bis 1 Stunde) zum Schutz Ihres Kontos gezählt.',
      });
    },
    async erase(subject) {
      await repo.eraseAll(subject.id, subject.email);
    },
  };
}

/** The accounts as the privacy component asks for people (src/privacy/ports.ts PeoplePort). */
export function accountsPeople(
  service: { findUser(id: string): Promise<Person | undefined>; findUsersByEmails(emails: string[]): Promise<Person[]> },
  connection: Connection,
): PeoplePort {
  const repo = createAccountPrivacyRepository(connection);
  return {
    findUser: (id) => service.findUser(id),
    findUsersByEmails: (emails) => service.findUsersByEmails(emails),
    lock: (id) => repo.lock(id),
    learnersCreatedBefore: (before, afterId, limit) => repo.learnersCreatedBefore(before, afterId, limit),
  };
}
