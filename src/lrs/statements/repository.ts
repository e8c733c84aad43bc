import type { Connection } from 'mongoose';
import { lrsModels, RETIRED_STATEMENT_INDEXES, type StatementDoc, type StatementKeyDoc } from '../model.ts';
import { createActivityStore } from './activity-store.ts';
import { createAttachmentStore } from './attachment-store.ts';
import { createHookFailureStore } from './hook-failure-store.ts';
import { refFieldsOf, type QueryFields, type RefFields } from './query-fields.ts';
import {
  afterCursor, filterKeys, hourOf, hourWindows, inRange, matchesFilter, pageOrder, statementKeys,
  type MatchFields, type PageCursor, type StatementFilter,
} from './statement-keys.ts';

export type { PageCursor, StatementFilter } from './statement-keys.ts';

export interface NewStatementRow extends QueryFields, RefFields {
  statementId: string;
  raw: string;
  stored: Date;
  authorityKey: string;
  attachmentHashes: string[];
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
const toRow = ({ _id, raw, stored, voided, voidTarget, attachmentHashes, authorityKey, registration, agents }: RowDoc): StoredRow =>
  ({ statementId: _id, raw, stored, voided, voidTarget, attachmentHashes, authorityKey, registration, agents });
/** What matchesFilter reads, besides the row. */
const MATCH = { ...ROW, hour: 1, relatedAgents: 1, verbId: 1, activities: 1, relatedActivities: 1, refAgents: 1, refRelatedAgents: 1, refVerbId: 1, refActivities: 1, refRelatedActivities: 1, refRegistration: 1 };
type MatchDoc = RowDoc & MatchFields & { hour?: string };
/** The most values one `$in` carries (patch 03 pushes down up to 1000). */
const CHUNK = 1000;
const chunks = <T>(xs: T[], n = CHUNK): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
const toDoc = ({ statementId, ...rest }: NewStatementRow) => ({ _id: statementId, ...rest, hour: hourOf(rest.stored.getTime()), voided: false });

/** A retried insert of the same rows is fine: duplicate keys are ignored, anything else is thrown. */
function ignoreDuplicates(err: unknown): void {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  const onlyDuplicates = e.writeErrors ? e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000) : e.code === 11000;
  if (!onlyDuplicates) throw err;
}

/**
 * The only place that touches the statement, activity and attachment collections (those two, and
 * the hook failures, in files of their own, offered here as one repository). Every query here
 * is an equality on an indexed field (_id, or a key row's `k`): served by an index on MongoDB and, with
 * patch 03, on the embedded FerretDB too. The write path reads the statements collection only when a
 * statement targets another or an id was seen before.
 */
export function createStatementRepository(connection: Connection) {
  const { Statement, StatementRef, StatementKey, StatementMeta } = lrsModels(connection);

  const findOne = async (statementId: string): Promise<StoredRow | undefined> => {
    const d = await Statement.findById(statementId, ROW).lean<RowDoc>();
    return d ? toRow(d) : undefined;
  };

  /** The hours anything was stored in, as far as this process has widened them (they only grow). */
  let knownSpan: { first: string; last: string } | undefined;
  async function widenSpan(stored: Date[]): Promise<void> {
    const hours = stored.map((d) => hourOf(d.getTime())).sort();
    const first = hours[0];
    const last = hours[hours.length - 1];
    if (!first || !last || (knownSpan && knownSpan.first <= first && knownSpan.last >= last)) return;
    await StatementMeta.updateOne({ _id: 'span' }, { $min: { first }, $max: { last } }, { upsert: true });
    knownSpan = { first: knownSpan && knownSpan.first < first ? knownSpan.first : first, last: knownSpan && knownSpan.last > last ? knownSpan.last : last };
  }

  type KeySource = Omit<MatchFields, 'voided' | 'authorityKey'> & { _id: string };
  const keyIdsOf = (r: KeySource) => statementKeys(r).map((key) => `${r._id}|${key}`);

  /** Inserts key rows (rows already there are left as they are); the span must hold their hours. */
  async function insertKeys(rows: KeySource[]): Promise<void> {
    const docs: StatementKeyDoc[] = rows.flatMap((r) =>
      statementKeys(r).map((key) => ({ _id: `${r._id}|${key}`, k: `${key}@${hourOf(r.stored.getTime())}`, s: r.stored, sid: r._id })),
    );
    await Promise.all(chunks(docs).map((part) => StatementKey.insertMany(part, { ordered: false, lean: true }).catch(ignoreDuplicates)));
  }

  /** Writes the key rows of statements (again: rows already there are left as they are). */
  async function writeKeys(rows: KeySource[]): Promise<void> {
    if (!rows.length) return;
    // the span first: a page walks only the hours in it, so a row outside it would not be found
    await widenSpan(rows.map((r) => r.stored));
    await insertKeys(rows);
  }

  return {
    ...createActivityStore(connection),
    ...createAttachmentStore(connection),
    hookFailures: createHookFailureStore(connection),
    findOne,

    async findByIds(ids: string[]): Promise<StoredRow[]> {
      if (!ids.length) return [];
      return (await Statement.find({ _id: { $in: [...new Set(ids)] } }, ROW).lean<RowDoc[]>()).map(toRow);
    },

    /**
     * Inserts statements and their key rows side by side (one round trip of waiting, not two) and
     * returns the ids that already existed (a concurrent writer or an earlier request won), which the
     * caller compares and then settles with `settleSeenBefore`. A key row may thus briefly exist
     * before its statement, or without it after a crash: a page fetches its candidates by _id and
     * skips those that are missing, so such a row costs a look-up, never a wrong answer.
     */
    async insert(rows: NewStatementRow[]): Promise<string[]> {
      if (!rows.length) return [];
      const docs = rows.map(toDoc);
      await widenSpan(docs.map((d) => d.stored));
      let raced: string[] = [];
      const statements = Statement.collection.insertMany(docs as never[], { ordered: false }).catch((err: unknown) => {
        const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number }; index?: number }> }).writeErrors;
        if (!writeErrors || writeErrors.some((e) => (e.code ?? e.err?.code) !== 11000)) throw err;
        raced = writeErrors.map((e) => rows[e.index ?? -1]?.statementId ?? '').filter(Boolean);
      });
      // the driver's insertMany, as rawInsert: every field is set in toDoc, nothing for mongoose to cast
      await Promise.all([statements, insertKeys(docs)]);
      const refs = rows.filter((r) => r.refTarget && !raced.includes(r.statementId)).map((r) => ({ _id: r.statementId, target: r.refTarget!, voiding: Boolean(r.voidTarget) }));
      if (refs.length) await StatementRef.insertMany(refs, { ordered: false, lean: true }).catch(ignoreDuplicates);
      return raced;
    },

    /**
     * After `insert` found these ids stored before: the key rows it wrote for them carry this
     * request's stored time (`stored`), not theirs; they are removed, and the statements' own key
     * rows written from what is stored (a retry of a request cut short between the statement and
     * its key rows completes them).
     */
    async settleSeenBefore(rows: NewStatementRow[], stored: Date): Promise<void> {
      if (!rows.length) return;
      const ids = rows.flatMap((r) => keyIdsOf(toDoc(r)));
      await Promise.all(chunks(ids).map((part) => StatementKey.deleteMany({ _id: { $in: part }, s: stored })));
      await writeKeys(await Statement.find({ _id: { $in: rows.map((r) => r.statementId) } }, MATCH).lean<MatchDoc[]>());
    },

    /** Removes statements this request inserted, when a later step refuses the whole batch. */
    async removeInserted(rows: NewStatementRow[]): Promise<void> {
      const keyIds = rows.flatMap((r) => statementKeys(r).map((key) => `${r.statementId}|${key}`));
      await Promise.all(chunks(keyIds).map((part) => StatementKey.deleteMany({ _id: { $in: part } })));
      await Promise.all(rows.map((r) => Promise.all([Statement.deleteOne({ _id: r.statementId }), StatementRef.deleteOne({ _id: r.statementId })])));
    },

    /**
     * Gives statements stored before key rows existed theirs (and their `hour`), once per database
     * (start-up): one pass over the collection in no particular order. Writers meanwhile write their own.
     */
    async backfillKeys(): Promise<number> {
      if (await StatementMeta.exists({ _id: 'keys' })) return 0;
      let n = 0;
      let batch: MatchDoc[] = [];
      const write = async (docs: MatchDoc[]) => {
        const hourless = docs.filter((d) => !d.hour);
        if (hourless.length) await Statement.bulkWrite(hourless.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { hour: hourOf(d.stored.getTime()) } } } })), { ordered: false });
        await writeKeys(docs);
      };
      for await (const d of Statement.find({}, MATCH).lean<MatchDoc[]>().cursor()) {
        batch.push(d as MatchDoc);
        if (batch.length === 500) {
          await write(batch);
          n += batch.length;
          batch = [];
        }
      }
      await write(batch);
      await StatementMeta.updateOne({ _id: 'keys' }, { $set: { at: new Date() } }, { upsert: true });
      return n + batch.length;
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
      await writeKeys(await Statement.find({ _id: { $in: sourceIds } }, MATCH).lean<MatchDoc[]>());
    },

    /** Voids the targets that exist and are not voiding statements themselves (Data §2.3.2). */
    async markVoided(targetIds: string[]): Promise<void> {
      await Promise.all([...new Set(targetIds)].map((id) => Statement.updateOne({ _id: id, voidTarget: null }, { $set: { voided: true } })));
    },

    /**
     * One page in stored order; `limit + 1` rows are read so the caller knows whether more follow.
     * Walks the stored hours in windows (statement-keys.ts): without key filters it reads the
     * statements of each window by `hour`; otherwise the first key group's rows of the window, checks
     * those candidates against the other groups by _id, and fetches them by _id in small chunks once
     * they could fill the page. Every statement is checked exactly before it joins the page.
     */
    async page(filter: StatementFilter, opts: { ascending: boolean; limit: number; after?: PageCursor }): Promise<StoredRow[]> {
      const want = opts.limit + 1;
      const span = await StatementMeta.findById('span').lean<{ first?: string; last?: string }>();
      if (!span?.first || !span.last) return [];
      const [driving, ...others] = filterKeys(filter);
      const found: StoredRow[] = [];
      const take = (docs: MatchDoc[]) => {
        for (const d of docs) if (found.length < want && matchesFilter(d, filter) && afterCursor(d.stored.getTime(), d._id, opts.after, opts.ascending)) found.push(toRow(d));
      };
      const order = pageOrder(opts.ascending);
      // candidates of the windows read so far, in page order, fetched once they could fill the page
      let pending: Array<{ stored: number; id: string }> = [];
      const fetchPending = async () => {
        for (let i = 0; i < pending.length && found.length < want; ) {
          // a few more than the page still needs: most candidates match
          const part = pending.slice(i, i + Math.min(CHUNK, Math.max(20, 2 * (want - found.length))));
          i += part.length;
          const docs = new Map((await Statement.find({ _id: { $in: part.map((c) => c.id) } }, MATCH).lean<MatchDoc[]>()).map((d) => [d._id, d]));
          take(part.map((c) => docs.get(c.id)).filter((d): d is MatchDoc => Boolean(d)));
        }
        pending = [];
      };
      const max = Math.floor(CHUNK / (driving?.length ?? 1));
      for (const hours of hourWindows({ first: span.first, last: span.last }, filter, { ...opts, max })) {
        if (!driving) {
          const docs = await Statement.find(filter.authorityKey ? { authorityKey: filter.authorityKey, hour: { $in: hours } } : { hour: { $in: hours } }, MATCH).lean<MatchDoc[]>();
          take(docs.sort((a, b) => order({ stored: a.stored.getTime(), id: a._id }, { stored: b.stored.getTime(), id: b._id })));
        } else {
          const rows = await StatementKey.find({ k: { $in: driving.flatMap((key) => hours.map((h) => `${key}@${h}`)) } }, { s: 1, sid: 1 }).lean<Array<Pick<StatementKeyDoc, 's' | 'sid'>>>();
          let candidates = [...new Map(rows.map((r) => [r.sid, { stored: r.s.getTime(), id: r.sid }])).values()]
            .filter((c) => inRange(c.stored, filter) && afterCursor(c.stored, c.id, opts.after, opts.ascending))
            .sort(order);
          for (const group of others) {
            const present = new Set<string>();
            for (const part of chunks(candidates, Math.floor(CHUNK / group.length))) {
              const ids = part.flatMap((c) => group.map((key) => `${c.id}|${key}`));
              for (const d of await StatementKey.find({ _id: { $in: ids } }, { sid: 1 }).lean<Array<{ sid: string }>>()) present.add(d.sid);
            }
            candidates = candidates.filter((c) => present.has(c.id));
          }
          pending.push(...candidates);
          if (pending.length >= want - found.length) await fetchPending();
        }
        if (found.length >= want) break;
      }
      await fetchPending();
      return found;
    },

    /** Every statement, voided ones too, in the order they were stored: what a replay walks. */
    async storedOrder(limit: number, after?: PageCursor): Promise<StoredRow[]> {
      const filter = after ? { $or: [{ stored: { $gt: new Date(after.stored) } }, { stored: new Date(after.stored), _id: { $gt: after.id } }] } : {};
      return (await Statement.find(filter, ROW).sort({ stored: 1, _id: 1 }).limit(limit).lean<RowDoc[]>()).map(toRow);
    },

    async count(): Promise<number> {
      return Statement.estimatedDocumentCount();
    },

    /** Drops the indexes the statements no longer need (model.ts), where an older version made them. */
    async dropRetiredIndexes(): Promise<void> {
      const present = new Set((await Statement.collection.indexes()).map((i) => i.name));
      for (const name of RETIRED_STATEMENT_INDEXES) {
        if (!present.has(name)) continue;
        // another instance starting at the same time may have dropped it first (IndexNotFound)
        await Statement.collection.dropIndex(name).catch((err: { code?: number }) => {
          if (err.code !== 27) throw err;
        });
      }
    },

    /** For the benchmark: the same rows straight into the collection. */
    async rawInsert(rows: NewStatementRow[]): Promise<void> {
      await Statement.collection.insertMany(rows.map(toDoc) as never[], { ordered: false });
      await writeKeys(rows.map(toDoc));
    },
  };
}
export type StatementRepository = ReturnType<typeof createStatementRepository>;
