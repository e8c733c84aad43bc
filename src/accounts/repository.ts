import type { Connection } from 'mongoose';
import { distinct, objectIdsIn } from '../shared/batch.ts';
import { isObjectId } from '../shared/object-id.ts';
import { accountModels, type UserDoc } from './model.ts';
import type { Region, Role, SessionUser } from './roles.ts';

const toUser = (d: UserDoc): SessionUser => ({
  id: d._id.toString(),
  name: d.name,
  email: d.email,
  organisation: d.organisation,
  region: d.region,
  roles: d.roles,
  active: d.active,
  createdAt: d.createdAt,
  sessionVersion: d.sessionVersion ?? 0,
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** The only place that touches the accounts collections; returns plain objects. */
export function createAccountRepository(connection: Connection) {
  const { User, ResetToken } = accountModels(connection);
  return {
    async insertUser(input: {
      name: string;
      email: string;
      organisation: string;
      region: Region;
      roles: Role[];
      passwordHash: string;
    }): Promise<SessionUser | 'duplicate'> {
      try {
        const doc = await User.create({ ...input, emailKey: input.email.toLowerCase() });
        return toUser(doc.toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },
    async findById(id: string): Promise<SessionUser | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await User.findById(id).lean<UserDoc>();
      return d ? toUser(d) : undefined;
    },
    async findByIds(ids: string[]): Promise<SessionUser[]> {
      const valid = objectIdsIn(ids);
      if (!valid.length) return [];
      return (await User.find({ _id: { $in: valid } }).lean<UserDoc[]>()).map(toUser);
    },
    /** Users by e-mail (any case), in one query on the unique emailKey index. */
    async findByEmails(emails: string[]): Promise<SessionUser[]> {
      const keys = distinct(emails.map((e) => e.trim().toLowerCase()).filter(Boolean));
      if (!keys.length) return [];
      return (await User.find({ emailKey: { $in: keys } }).lean<UserDoc[]>()).map(toUser);
    },
    async findByEmailWithHash(email: string): Promise<(SessionUser & { passwordHash: string }) | undefined> {
      const d = await User.findOne({ emailKey: email.toLowerCase() }).lean<UserDoc>();
      return d ? { ...toUser(d), passwordHash: d.passwordHash } : undefined;
    },
    async findHash(id: string): Promise<string | undefined> {
      const d = await User.findById(id, { passwordHash: 1 }).lean<Pick<UserDoc, 'passwordHash'>>();
      return d?.passwordHash;
    },
    async countUsers(): Promise<number> {
      return User.countDocuments();
    },
    async search(query: { q?: string; role?: Role; skip: number; limit: number }): Promise<{ users: SessionUser[]; total: number }> {
      const filter: Record<string, unknown> = {};
      if (query.role) filter.roles = query.role;
      if (query.q) {
        const rx = new RegExp(escapeRegex(query.q), 'i');
        filter.$or = [{ name: rx }, { emailKey: rx }, { organisation: rx }];
      }
      const [docs, total] = await Promise.all([
        User.find(filter).sort({ name: 1 }).skip(query.skip).limit(query.limit).lean<UserDoc[]>(),
        User.countDocuments(filter),
      ]);
      return { users: docs.map(toUser), total };
    },
    async update(
      id: string,
      patch: Partial<Pick<UserDoc, 'name' | 'organisation' | 'region' | 'roles' | 'active' | 'passwordHash'>>,
      bumpSessionVersion = false,
    ): Promise<SessionUser | undefined> {
      const update: Record<string, unknown> = { $set: patch };
      if (bumpSessionVersion) update.$inc = { sessionVersion: 1 };
      const d = await User.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean<UserDoc>();
      return d ? toUser(d) : undefined;
    },

    async insertResetToken(t: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void> {
      await ResetToken.create({ ...t, usedAt: null });
    },
    /** Marks an unused, unexpired token used and returns its user id; undefined when it cannot be used. */
    async consumeResetToken(tokenHash: string, now: Date): Promise<string | undefined> {
      const d = await ResetToken.findOneAndUpdate(
        { tokenHash, usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { returnDocument: 'before' },
      ).lean();
      return d?.userId;
    },
    /** Marks every unused token of the user used: one reset ends all outstanding links. */
    async invalidateResetTokens(userId: string, now: Date): Promise<void> {
      await ResetToken.updateMany({ userId, usedAt: null }, { $set: { usedAt: now } });
    },
    async findResetToken(tokenHash: string) {
      return ResetToken.findOne({ tokenHash }).lean();
    },
    async deleteExpiredResetTokens(now: Date): Promise<void> {
      await ResetToken.deleteMany({ expiresAt: { $lt: now } });
    },
  };
}
export type AccountRepository = ReturnType<typeof createAccountRepository>;
