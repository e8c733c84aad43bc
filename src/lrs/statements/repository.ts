import type { Connection } from 'mongoose';
import { lrsModels, RETIRED_STATEMENT_INDEXES, type StatementDoc, type StatementKeyDoc } from '../model.ts';
import { createActivityStore } from './activity-store.ts';
import { createAttachmentStore } from './attachment-store.ts';
import { createHookFailureStore } from './hook-failure-store.ts';
import { refFieldsOf, type RefFields } from './query-fields.ts';
import { afterCursor, filterKeys, hourWindows, inRange, matchesFilter, pageOrder, type PageCursor, type StatementFilter } from './statement-keys.ts';

import { CHUNK, chunks, MATCH, ROW, toRow, type MatchDoc, type RefRow, type RowDoc, type StoredRow } from './statement-rows.ts';
import { createStatementWrites } from './statement-writes.ts';

export type { PageCursor, StatementFilter } from './statement-keys.ts';
export type { NewStatementRow, RefRow, StoredRow } from './statement-rows.ts';

/**
 * The only place that touches the statement, activity and attachment collections (the writes, those
 * two and the hook failures in files of their own, offered here as one repository). Every query here
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

  return {
    ...createActivityStore(connection),
    ...createAttachmentStore(connection),
    ...createStatementWrites(connection),
    hookFailures: createHookFailureStore(connection),
    findOne,

    async findByIds(ids: string[]): Promise<StoredRow[]> {
      if (!ids.length) return [];
      return (await Statement.find({ _id: { $in: [...new Set(ids)] } }, ROW).lean<RowDoc[]>()).map(toRow);
    },

    /** The query fields of statements that others target with a StatementRef. */
    async refFieldsFor(ids: string[]): Promise<Map<string, RefFields>> {
      if (!ids.length) return new Map();
      const found = await Statement.find(
        { _id: { $in: [...new Set(ids)] } },
        { agents: 1, relatedAgents: 1, verbId: 1, activities: 1, relatedActivities: 1, registration: 1 },
      ).lean<Array<Pick<StatementDoc, '_id' | 'agents' | 'relatedAgents' | 'verbId' | 'activities' | 'relatedActivities' | 'registration'>>>();
      return new Map(found.map((d) => [d._id, refFieldsOf(d)]));
    },

    /** Statements stored earlier that target any of these ids. */
    async findReferencing(ids: string[]): Promise<RefRow[]> {
      if (!ids.length) return [];
      const rows = await StatementRef.find({ target: { $in: ids } }).lean<Array<{ _id: string; target: string; voiding: boolean }>>();
      return rows.map((r) => ({ source: r._id, target: r.target, voiding: r.voiding }));
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
        for (const d of docs)
          if (found.length < want && matchesFilter(d, filter) && afterCursor(d.stored.getTime(), d._id, opts.after, opts.ascending)) found.push(toRow(d));
      };
      const order = pageOrder(opts.ascending);
      // candidates of the windows read so far, in page order, fetched once they could fill the page
      let pending: Array<{ stored: number; id: string }> = [];
      const fetchPending = async () => {
        for (let i = 0; i < pending.length && found.length < want;) {
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
          const docs = await Statement.find(
            filter.authorityKey ? { authorityKey: filter.authorityKey, hour: { $in: hours } } : { hour: { $in: hours } },
            MATCH,
          ).lean<MatchDoc[]>();
          take(docs.sort((a, b) => order({ stored: a.stored.getTime(), id: a._id }, { stored: b.stored.getTime(), id: b._id })));
        } else {
          const rows = await StatementKey.find({ k: { $in: driving.flatMap((key) => hours.map((h) => `${key}@${h}`)) } }, { s: 1, sid: 1 }).lean<
            Array<Pick<StatementKeyDoc, 's' | 'sid'>>
          >();
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
  };
}
export type StatementRepository = ReturnType<typeof createStatementRepository>;
