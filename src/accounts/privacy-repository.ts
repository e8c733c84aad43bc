import type { Connection } from 'mongoose';
import { accountModels, type UserDoc } from './model.ts';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Collections of the accounts component and the sessions it signs people into (architecture.md). */
export const ACCOUNT_COLLECTIONS = {
  users: 'users',
  resetTokens: 'password_reset_tokens',
  loginFailures: 'login_failures',
  resetRequests: 'password_reset_requests',
  sessions: 'sessions',
} as const;

/**
 * What the privacy entry (privacy.ts) reads and deletes. The throttles' keys carry the e-mail
 * address ("account:<email>|ip:…", "reset:<email>"): a prefix regex, which MongoDB serves from the
 * unique key index. Sessions hold "<userId>:<version>" inside connect-mongo's JSON text: no index can
 * serve that, but the collection only holds live sessions (expired ones are deleted every 10 minutes).
 */
export function createAccountPrivacyRepository(connection: Connection) {
  const { User, ResetToken } = accountModels(connection);
  const db = () => connection.db!;
  const sessionFilter = (userId: string) => ({
    $or: [{ session: { $regex: `"user":"${escapeRegex(userId)}:` } }, { 'session.passport.user': { $regex: `^${escapeRegex(userId)}:` } }],
  });
  return {
    async user(id: string): Promise<Omit<UserDoc, 'passwordHash'> | undefined> {
      const d = await User.findById(id, { passwordHash: 0, emailKey: 0, __v: 0 }).lean<Omit<UserDoc, 'passwordHash'>>();
      return d ?? undefined;
    },
    async resetTokens(userId: string) {
      return ResetToken.find({ userId }, { _id: 0, tokenHash: 0, __v: 0 }).lean();
    },
    async sessionCount(userId: string): Promise<number> {
      return db().collection(ACCOUNT_COLLECTIONS.sessions).countDocuments(sessionFilter(userId));
    },
    /** Locks the account at once: no sign-in, and every session ends at its next request. */
    async lock(userId: string): Promise<void> {
      await User.updateOne({ _id: userId }, { $set: { active: false }, $inc: { sessionVersion: 1 } });
      await db().collection(ACCOUNT_COLLECTIONS.sessions).deleteMany(sessionFilter(userId));
    },
    async eraseAll(userId: string, email: string): Promise<void> {
      const address = escapeRegex(email.toLowerCase());
      await ResetToken.deleteMany({ userId });
      await db()
        .collection(ACCOUNT_COLLECTIONS.loginFailures)
        .deleteMany({ key: { $regex: `^account:${address}\\|` } });
      await db()
        .collection(ACCOUNT_COLLECTIONS.resetRequests)
        .deleteMany({ key: `reset:${email.toLowerCase()}` });
      await db().collection(ACCOUNT_COLLECTIONS.sessions).deleteMany(sessionFilter(userId));
      // the user last: while it exists a re-run still finds the person (erasure/run-erasure.ts)
      await User.deleteOne({ _id: userId });
    },
    /**
     * Learner accounts (no staff role) made before `before`, in id order after `afterId`: the
     * candidates of the retention schedule, which then asks the privacy activity records who was seen.
     */
    async learnersCreatedBefore(before: Date, afterId: string | undefined, limit: number): Promise<Array<{ id: string; email: string; name: string }>> {
      const filter: Record<string, unknown> = { createdAt: { $lt: before }, roles: { $nin: ['admin', 'trainer', 'author'] } };
      if (afterId) filter._id = { $gt: afterId };
      const docs = await User.find(filter, { email: 1, name: 1 }).sort({ _id: 1 }).limit(limit).lean<Array<{ _id: unknown; email: string; name: string }>>();
      return docs.map((d) => ({ id: String(d._id), email: d.email, name: d.name }));
    },
  };
}
export type AccountPrivacyRepository = ReturnType<typeof createAccountPrivacyRepository>;
