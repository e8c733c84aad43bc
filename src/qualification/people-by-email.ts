import { DomainError } from '../shared/errors.ts';
import type { DirectoryPort } from './ports.ts';

/**
 * People named by id (JSON) or by e-mail (forms): one place that turns both into account ids, so
 * cohorts and mentors answer an unknown address the same way on the page and in the API.
 */
export function createPeopleByEmail(directory: DirectoryPort) {
  return {
    /** The learners of a cohort: the ids given plus the accounts of the e-mails; unknown e-mails are a validation error naming them. */
    async learnerIds(ids: string[], emails: string[]): Promise<string[]> {
      const people = await directory.findByEmails(emails);
      const found = emails.map((e) => ({ e, p: people.get(e.trim().toLowerCase()) }));
      const unknown = found.filter((f) => !f.p).map((f) => f.e);
      if (unknown.length)
        throw new DomainError('validation', 'qualification:errors.unknownEmails', {
          emails: unknown.join(', '),
          fields: [{ field: 'learnerEmails', message: 'qualification:errors.unknownEmails' }],
        });
      return [...new Set([...ids, ...found.map((f) => f.p!.id)])];
    },
    /** One person given by id or e-mail; undefined when neither names an account. */
    async idOf(ref: { id?: string; email?: string }): Promise<string | undefined> {
      if (ref.id) return ref.id;
      return ref.email ? (await directory.findByEmail(ref.email))?.id : undefined;
    },
  };
}
export type PeopleByEmail = ReturnType<typeof createPeopleByEmail>;
