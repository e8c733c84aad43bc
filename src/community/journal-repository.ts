import { Types, type Connection } from 'mongoose';
import { isObjectId } from '../shared/object-id.ts';
import { journalModels, type JournalCommentDoc, type JournalEntryDoc, type JournalPromptDoc, type Sharing, type TeamDoc } from './journal-model.ts';

export type Team = Omit<TeamDoc, '_id'> & { id: string };
export type JournalEntry = Omit<JournalEntryDoc, '_id'> & { id: string };
export type JournalComment = Omit<JournalCommentDoc, '_id'> & { id: string };

const withId = <T extends { _id: Types.ObjectId }>(d: T): Omit<T, '_id'> & { id: string } => {
  const { _id, ...rest } = d;
  return { ...rest, id: _id.toString() };
};

/** The Reflecting Team's teams, journal entries, comments and prompts. */
export function createJournalRepository(connection: Connection) {
  const { Team: T, Entry: E, Comment: C, Prompt: P } = journalModels(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([T.init(), E.init(), C.init(), P.init()]);
    },
    async insertTeam(t: Omit<TeamDoc, '_id'>): Promise<Team> {
      return withId((await T.create(t)).toObject());
    },
    async teamsOfCohort(cohortId: string): Promise<Team[]> {
      return (await T.find({ cohortId }).sort({ createdAt: 1 }).lean<TeamDoc[]>()).map(withId);
    },
    async teamsOf(memberId: string): Promise<Team[]> {
      return (await T.find({ memberIds: memberId }).lean<TeamDoc[]>()).map(withId);
    },
    async insertEntry(e: Omit<JournalEntryDoc, '_id'>): Promise<JournalEntry> {
      return withId((await E.create(e)).toObject());
    },
    async findEntry(id: string): Promise<JournalEntry | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await E.findById(id).lean<JournalEntryDoc>();
      return d ? withId(d) : undefined;
    },
    async setSharing(id: string, sharing: Sharing, sharedAt: Date | null): Promise<void> {
      await E.updateOne({ _id: id }, { $set: { sharing, sharedAt } });
    },
    /** The entries of some learners for a session, newest first. */
    async entriesOf(sessionId: string, learnerIds: string[]): Promise<JournalEntry[]> {
      if (!learnerIds.length) return [];
      return (
        await E.find({ sessionId, learnerId: { $in: learnerIds } })
          .sort({ createdAt: -1 })
          .lean<JournalEntryDoc[]>()
      ).map(withId);
    },
    async insertComment(c: Omit<JournalCommentDoc, '_id'>): Promise<JournalComment> {
      return withId((await C.create(c)).toObject());
    },
    async commentsOf(entryIds: string[]): Promise<JournalComment[]> {
      if (!entryIds.length) return [];
      return (
        await C.find({ entryId: { $in: entryIds } })
          .sort({ createdAt: 1 })
          .lean<JournalCommentDoc[]>()
      ).map(withId);
    },
    async putPrompt(sessionId: string, text: string, by: string, at: Date): Promise<void> {
      await P.updateOne({ _id: sessionId }, { $set: { text, by, at } }, { upsert: true });
    },
    async promptOf(sessionId: string): Promise<string> {
      return (await P.findById(sessionId).lean<JournalPromptDoc>())?.text ?? '';
    },
    // privacy
    async allOf(userId: string) {
      const [entries, comments, teams, prompts] = await Promise.all([
        E.find({ learnerId: userId }, { html: 0 }).sort({ createdAt: 1 }).lean(),
        C.find({ authorId: userId }, { html: 0 }).sort({ createdAt: 1 }).lean(),
        T.find({ memberIds: userId }, { name: 1, cohortId: 1 }).lean(),
        P.find({ by: userId }).lean(),
      ]);
      return { entries, comments, teams, prompts };
    },
    /** Erasure: the person's entries go with every comment on them; their comments on others' entries stay without author. */
    async eraseAll(userId: string): Promise<void> {
      const own = (await E.find({ learnerId: userId }, { _id: 1 }).lean()).map((e) => e._id.toString());
      await C.deleteMany({ entryId: { $in: own } });
      await E.deleteMany({ learnerId: userId });
      await C.updateMany({ authorId: userId }, { $set: { authorId: '' } });
      // a team without them: rewrite the array ($pull with a condition is unsafe on FerretDB, database.md)
      for (const t of await T.find({ memberIds: userId }).lean<TeamDoc[]>()) {
        await T.updateOne({ _id: t._id }, { $set: { memberIds: t.memberIds.filter((id) => id !== userId) } });
      }
      await T.updateMany({ createdBy: userId }, { $set: { createdBy: '' } });
      await P.updateMany({ by: userId }, { $set: { by: '' } });
    },
  };
}
export type JournalRepository = ReturnType<typeof createJournalRepository>;
