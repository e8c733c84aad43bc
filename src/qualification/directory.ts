import type { DirectoryPort, Person } from './ports.ts';

/** What the accounts service offers that the directory port needs (structural, so no coupling to its internals). */
interface AccountsLike {
  findUsers(ids: string[]): Promise<Person[]>;
  findUsersByEmails(emails: string[]): Promise<Person[]>;
  searchUsers(q: { q?: string; role?: 'learner' | 'trainer' | 'author' | 'admin'; page: number }, pageSize?: number): Promise<{ users: Person[] }>;
}

/** The directory port filled from the accounts service (the composition root calls this). */
export function accountsDirectory(accounts: AccountsLike): DirectoryPort {
  const findByEmails = async (emails: string[]) => new Map((await accounts.findUsersByEmails(emails)).map((u) => [u.email.toLowerCase(), u]));
  return {
    // one $in query; the accounts repository drops duplicates and asks nothing for an empty list
    findUsers: (ids) => accounts.findUsers(ids),
    findByEmails,
    async findByEmail(email) {
      return (await findByEmails([email])).get(email.trim().toLowerCase());
    },
    async listByRole(role) {
      if (!['learner', 'trainer', 'author', 'admin'].includes(role)) return [];
      return (await accounts.searchUsers({ role: role as 'trainer', page: 1 }, 500)).users;
    },
  };
}
