import type { Connection, Types } from 'mongoose';
import { resultsModels, type ModerationReason, type PublishedSummaryDoc } from './model.ts';

export type PublishedSummary = Omit<PublishedSummaryDoc, '_id'> & { id: string };
/** What a publication sets; slug and first publication date are kept from an earlier one. */
export type SummaryContent = Omit<
  PublishedSummaryDoc,
  '_id' | 'slug' | 'roomId' | 'publishedAt' | 'updatedAt' | 'withdrawnAt' | 'status' | 'withdrawnBy' | 'moderationReason'
>;

export interface SummaryQuery {
  /** Folded words; each must start a word of the summary. */
  words: string[];
  region?: string;
  trade?: string;
  topic?: string;
  skip: number;
  limit: number;
}

const withId = ({ _id, ...rest }: PublishedSummaryDoc & { _id: Types.ObjectId }): PublishedSummary => ({ ...rest, id: _id.toString() });
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** The results' one door to their collections; every read returns plain objects. */
export function createResultsRepository(connection: Connection) {
  const { Summary, PracticeSetting } = resultsModels(connection);

  const publishedFilter = (q: Omit<SummaryQuery, 'skip' | 'limit'>) => ({
    status: 'published' as const,
    ...(q.region ? { region: q.region } : {}),
    ...(q.trade ? { trades: q.trade } : {}),
    ...(q.topic ? { topic: q.topic } : {}),
    ...(q.words.length ? { $and: q.words.map((w) => ({ searchTokens: { $regex: `^${escapeRegex(w)}` } })) } : {}),
  });

  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Summary.init(), PracticeSetting.init()]);
    },

    async findByRoom(roomId: string): Promise<PublishedSummary | undefined> {
      const d = await Summary.findOne({ roomId }).lean<PublishedSummaryDoc>();
      return d ? withId(d) : undefined;
    },
    async findByRooms(roomIds: string[]): Promise<PublishedSummary[]> {
      return roomIds.length ? (await Summary.find({ roomId: { $in: roomIds } }).lean<PublishedSummaryDoc[]>()).map(withId) : [];
    },
    async findBySlug(slug: string): Promise<PublishedSummary | undefined> {
      const d = await Summary.findOne({ slug }).lean<PublishedSummaryDoc>();
      return d ? withId(d) : undefined;
    },

    /**
     * Publishes the room's summary: a new one with `slug`, or the room's existing one updated (its
     * slug and first publication date stay). The unique room index decides a race of two leads: the
     * loser's insert fails and its second try updates.
     */
    async publish(roomId: string, slug: string, content: SummaryContent, at: Date): Promise<PublishedSummary> {
      const attempt = () =>
        Summary.findOneAndUpdate(
          { roomId },
          {
            $set: { ...content, status: 'published', withdrawnAt: null, withdrawnBy: null, moderationReason: null, updatedAt: at },
            $setOnInsert: { roomId, slug, publishedAt: at },
          },
          { upsert: true, returnDocument: 'after' },
        ).lean<PublishedSummaryDoc>();
      const d = await attempt().catch((err: unknown) => (isDuplicateKey(err) ? attempt() : Promise.reject(err)));
      return withId(d!);
    },
    /** Takes the room's summary off the public pages at once; false when there was none published. */
    async withdraw(roomId: string, at: Date): Promise<boolean> {
      const r = await Summary.updateOne(
        { roomId, status: 'published' },
        { $set: { status: 'withdrawn', withdrawnAt: at, withdrawnBy: 'lead', updatedAt: at } },
      );
      return r.modifiedCount > 0;
    },
    /** An admin's moderation: the published summary of this slug off the public pages; undefined when none is published. */
    async withdrawBySlug(slug: string, reason: ModerationReason, at: Date): Promise<PublishedSummary | undefined> {
      const d = await Summary.findOneAndUpdate(
        { slug, status: 'published' },
        { $set: { status: 'withdrawn', withdrawnAt: at, withdrawnBy: 'moderation', moderationReason: reason, updatedAt: at } },
        { returnDocument: 'after' },
      ).lean<PublishedSummaryDoc>();
      return d ? withId(d) : undefined;
    },

    /** One page of published summaries, newest first, and how many match in all. */
    async search(q: SummaryQuery): Promise<{ items: PublishedSummary[]; total: number }> {
      const filter = publishedFilter(q);
      const [items, total] = await Promise.all([
        Summary.find(filter, { searchTokens: 0 }).sort({ publishedAt: -1, _id: -1 }).skip(q.skip).limit(q.limit).lean<PublishedSummaryDoc[]>(),
        Summary.countDocuments(filter),
      ]);
      return { items: items.map(withId), total };
    },
    /** The topics and trades that published summaries have: the filters' choices. */
    async facets(): Promise<{ topics: string[]; trades: string[] }> {
      const [topics, trades] = await Promise.all([Summary.distinct('topic', { status: 'published' }), Summary.distinct('trades', { status: 'published' })]);
      const sorted = (l: unknown[]) => (l.filter((v) => typeof v === 'string') as string[]).sort((a, b) => a.localeCompare(b, 'de'));
      return { topics: sorted(topics), trades: sorted(trades) };
    },

    async practiceSetting(userId: string): Promise<boolean> {
      return Boolean((await PracticeSetting.findById(userId).lean())?.showOnCertificate);
    },
    async setPracticeSetting(userId: string, showOnCertificate: boolean, at: Date): Promise<void> {
      await PracticeSetting.updateOne({ _id: userId }, { $set: { showOnCertificate, updatedAt: at } }, { upsert: true });
    },
  };
}
export type ResultsRepository = ReturnType<typeof createResultsRepository>;
