import type { DirectoryPort, Person } from './ports.ts';

/** What the accounts service offers that the directory port needs (structural, so no coupling to its internals). */
interface AccountsLike {
  findUsers(ids: string[]): Promise<Person[]>;
  searchUsers(q: { q?: string; role?: 'learner' | 'trainer' | 'author' | 'admin'; page: number }, pageSize?: number): Promise<{ users: Person[] }>;
}

/** The directory port filled from the accounts service (the composition root calls this). */
export function accountsDirectory(accounts: AccountsLike): DirectoryPort {
  return {
    // one $in query; the accounts repository drops duplicates and asks nothing for an empty list
    findUsers: (ids) => accounts.findUsers(ids),
    async findByEmail(email) {
      const wanted = email.trim().toLowerCase();
      if (!wanted) return undefined;
      const { users } = await accounts.searchUsers({ q: wanted, page: 1 }, 10);
      return users.find((u) => u.email.toLowerCase() === wanted);
    },
    async listByRole(role) {
      if (!['learner', 'trainer', 'author', 'admin'].includes(role)) return [];
      return (await accounts.searchUsers({ role: role as 'trainer', page: 1 }, 500)).users;
    },
  };
}
