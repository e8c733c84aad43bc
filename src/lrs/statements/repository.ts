import { mongo, type Connection } from 'mongoose';
import { lrsModels, type StatementDoc } from '../model.ts';
import { refFieldsOf, type QueryFields, type RefFields } from './query-fields.ts';

export interface NewStatementRow extends QueryFields, RefFields {
  statementId: string;
  raw: string;
  stored: Date;
  authorityKey: string;
  attachmentHashes: string[];
}

/** Where a page ends: the sort key of its last statement (stored, then id). */
export interface PageCursor {
  stored: number;
  id: string;
}

export interface StatementFilter {
  agentKey?: string;
  relatedAgents?: boolean;
  verb?: string;
  activity?: string;
  relatedActivities?: boolean;
  registration?: string;
  since?: Date;
  until?: Date;
  authorityKey?: string;
  /** Minted credentials read only their learner's statements in their registration. */
  limitActorKey?: string;
  limitRegistration?: string;
}

export interface StoredRow {
  statementId: string;
  raw: string;
  stored: Date;
  voided: boolean;
  voidTarget: string | null;
  attachmentHashes: string[];
  authorityKey: string;
  registration: string | null;
  agents: string[];
}

/** A statement that targets another with a StatementRef. */
export interface RefRow {
  source: string;
  target: string;
  voiding: boolean;
}

type RowDoc = Pick<StatementDoc, '_id' | 'raw' | 'stored' | 'voided' | 'voidTarget' | 'attachmentHashes' | 'authorityKey' | 'registration' | 'agents'>;
const ROW = { raw: 1, stored: 1, voided: 1, voidTarget: 1, attachmentHashes: 1, authorityKey: 1, registration: 1, agents: 1 };
const toRow = ({ _id, ...rest }: RowDoc): StoredRow => ({ statementId: _id, ...rest });
const toDoc = ({ statementId, ...rest }: NewStatementRow) => ({ _id: statementId, ...rest, voided: false });

/** A retried insert of the same rows is fine: duplicate keys are ignored, anything else is thrown. */
function ignoreDuplicates(err: unknown): void {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  const onlyDuplicates = e.writeErrors ? e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000) : e.code === 11000;
  if (!onlyDuplicates) throw err;
}

/**
 * The only place that touches the statement, activity and attachment collections. On MongoDB every
 * query here is served by an index; FerretDB 1.x scans, so the write path avoids reading the
 * statements collection at all unless a statement targets another or an id was seen before.
 */
export function createStatementRepository(connection: Connection) {
  const { Statement, StatementRef, Activity } = lrsModels(connection);
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: 'lrs_attachments' });

  const findOne = async (statementId: string): Promise<StoredRow | undefined> => {
    const d = await Statement.findById(statementId, ROW).lean<RowDoc>();
    return d ? toRow(d) : undefined;
  };

  return {
    findOne,

    async findByIds(ids: string[]): Promise<StoredRow[]> {
      if (!ids.length) return [];
      return (await Statement.find({ _id: { $in: [...new Set(ids)] } }, ROW).lean<RowDoc[]>()).map(toRow);
    },

    /** Inserts; returns the ids that already existed (a concurrent writer won), which the caller compares. */
    async insert(rows: NewStatementRow[]): Promise<string[]> {
      if (!rows.length) return [];
      let raced: string[] = [];
      try {
        // lean skips mongoose defaults: every field is set in toDoc
        await Statement.insertMany(rows.map(toDoc), { ordered: false, lean: true });
      } catch (err) {
        const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number }; index?: number }> }).writeErrors;
        if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== 11000)) throw err;
        raced = writeErrors.map((e) => rows[e.index ?? -1]?.statementId ?? '').filter(Boolean);
      }
      const refs = rows.filter((r) => r.refTarget && !raced.includes(r.statementId)).map((r) => ({ _id: r.statementId, target: r.refTarget!, voiding: Boolean(r.voidTarget) }));
      if (refs.length) await StatementRef.insertMany(refs, { ordered: false, lean: true }).catch(ignoreDuplicates);
      return raced;
    },

    /** Removes statements this request inserted, when a later step refuses the whole batch. */
    async removeInserted(ids: string[]): Promise<void> {
      await Promise.all(ids.map((id) => Promise.all([Statement.deleteOne({ _id: id }), StatementRef.deleteOne({ _id: id })])));
    },

    /** The query fields of statements that others target with a StatementRef. */
    async refFieldsFor(ids: string[]): Promise<Map<string, RefFields>> {
      if (!ids.length) return new Map();
      const found = await Statement.find({ _id: { $in: [...new Set(ids)] } }, { agents: 1, relatedAgents: 1, verbId: 1, activities: 1, relatedActivities: 1, registration: 1 }).lean<
        Array<Pick<StatementDoc, '_id' | 'agents' | 'relatedAgents' | 'verbId' | 'activities' | 'relatedActivities' | 'registration'>>
      >();
      return new Map(found.map((d) => [d._id, refFieldsOf(d)]));
    },

    /** Statements stored earlier that target any of these ids. */
    async findReferencing(ids: string[]): Promise<RefRow[]> {
      if (!ids.length) return [];
      const rows = await StatementRef.find({ target: { $in: ids } }).lean<Array<{ _id: string; target: string; voiding: boolean }>>();
      return rows.map((r) => ({ source: r._id, target: r.target, voiding: r.voiding }));
    },

    /** Statements stored before their target arrived learn its fields now. */
    async passOnRefFields(sourceIds: string[], fields: RefFields): Promise<void> {
      await Promise.all(sourceIds.map((id) => Statement.updateOne({ _id: id }, { $set: fields })));
    },

    /** Voids the targets that exist and are not voiding statements themselves (Data §2.3.2). */
    async markVoided(targetIds: string[]): Promise<void> {
      await Promise.all([...new Set(targetIds)].map((id) => Statement.updateOne({ _id: id, voidTarget: null }, { $set: { voided: true } })));
    },

    /** One page in stored order; `limit + 1` rows are read so the caller knows whether more follow. */
    async page(filter: StatementFilter, opts: { ascending: boolean; limit: number; after?: PageCursor }): Promise<StoredRow[]> {
      const and: Record<string, unknown>[] = [{ voided: false }];
      // a statement matches when it or the statement it targets (StatementRef) matches every filter
      const own: Record<string, unknown> = {};
      const ref: Record<string, unknown> = {};
      if (filter.agentKey) {
        own[filter.relatedAgents ? 'relatedAgents' : 'agents'] = filter.agentKey;
        ref[filter.relatedAgents ? 'refRelatedAgents' : 'refAgents'] = filter.agentKey;
      }
      if (filter.verb) {
        own.verbId = filter.verb;
        ref.refVerbId = filter.verb;
      }
      if (filter.activity) {
        own[filter.relatedActivities ? 'relatedActivities' : 'activities'] = filter.activity;
        ref[filter.relatedActivities ? 'refRelatedActivities' : 'refActivities'] = filter.activity;
      }
      if (filter.registration) {
        own.registration = filter.registration;
        ref.refRegistration = filter.registration;
      }
      if (Object.keys(own).length) and.push({ $or: [own, ref] });
      if (filter.authorityKey) and.push({ authorityKey: filter.authorityKey });
      if (filter.limitActorKey) and.push({ agents: filter.limitActorKey });
      if (filter.limitRegistration) and.push({ registration: filter.limitRegistration });
      const stored: Record<string, Date> = {};
      if (filter.since) stored.$gt = filter.since;
      if (filter.until) stored.$lte = filter.until;
      if (Object.keys(stored).length) and.push({ stored });
      if (opts.after) {
        const at = new Date(opts.after.stored);
        const cmp = opts.ascending ? '$gt' : '$lt';
        and.push({ $or: [{ stored: { [cmp]: at } }, { stored: at, _id: { [cmp]: opts.after.id } }] });
      }
      const dir = opts.ascending ? 1 : -1;
      const docs = await Statement.find(and.length === 1 ? and[0]! : { $and: and }, ROW)
        .sort({ stored: dir, _id: dir })
        .limit(opts.limit + 1)
        .lean<RowDoc[]>();
      return docs.map(toRow);
    },

    /** Every statement, voided ones too, in the order they were stored: what a replay walks. */
    async storedOrder(limit: number, after?: PageCursor): Promise<StoredRow[]> {
      const filter = after ? { $or: [{ stored: { $gt: new Date(after.stored) } }, { stored: new Date(after.stored), _id: { $gt: after.id } }] } : {};
      return (await Statement.find(filter, ROW).sort({ stored: 1, _id: 1 }).limit(limit).lean<RowDoc[]>()).map(toRow);
    },

    async count(): Promise<number> {
      return Statement.estimatedDocumentCount();
    },

    async getActivityDefinitions(ids: string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      const found = await Activity.find({ _id: { $in: [...new Set(ids)] } }).lean<Array<{ _id: string; definition: string }>>();
      return new Map(found.map((d) => [d._id, d.definition]));
    },
    async getActivityDefinition(activityId: string): Promise<string | undefined> {
      const d = await Activity.findById(activityId).lean<{ definition: string }>();
      return d?.definition;
    },
    /** Upserts definitions in one round trip. */
    async saveActivityDefinitions(definitions: Map<string, string>): Promise<void> {
      if (!definitions.size) return;
      await Activity.bulkWrite(
        [...definitions].map(([id, definition]) => ({ updateOne: { filter: { _id: id }, update: { $set: { definition } }, upsert: true } })),
        { ordered: false },
      );
    },

    async hasAttachment(sha2: string): Promise<boolean> {
      const files = await bucket().find({ filename: sha2 }, { limit: 1 }).toArray();
      return files.length > 0;
    },
    /** Content-addressed: a hash already stored is not stored twice. */
    async putAttachment(sha2: string, contentType: string, content: Buffer): Promise<void> {
      if (await this.hasAttachment(sha2)) return;
      await new Promise<void>((resolve, reject) => {
        const up = bucket().openUploadStream(sha2, { metadata: { contentType } });
        up.once('finish', () => resolve());
        up.once('error', reject);
        up.end(content);
      });
    },
    async getAttachment(sha2: string): Promise<Buffer | undefined> {
      const files = await bucket().find({ filename: sha2 }, { limit: 1 }).toArray();
      if (!files.length) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of bucket().openDownloadStreamByName(sha2)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },

    /** For the benchmark: the same rows straight into the collection. */
    async rawInsert(rows: NewStatementRow[]): Promise<void> {
      await Statement.collection.insertMany(rows.map(toDoc) as never[], { ordered: false });
    },
  };
}
export type StatementRepository = ReturnType<typeof createStatementRepository>;
