import type { Connection } from 'mongoose';
import { lrsModels, type StatementKeyDoc } from '../model.ts';
import type { RefFields } from './query-fields.ts';
import { hourOf, REFERENCED_KEY, statementKeys, type MatchFields } from './statement-keys.ts';
import { chunks, duplicateIndexes, ignoreDuplicates, MATCH, referencedId, toDoc, type MatchDoc, type NewStatementRow } from './statement-rows.ts';

/**
 * The write side of the statement repository: statements, their key rows and StatementRef rows,
 * voiding, and the start-up backfills. No transactions (database.md): each write is idempotent or
 * taken back by the caller (removeInserted).
 */
export function createStatementWrites(connection: Connection) {
  const { Statement, StatementRef, StatementKey, StatementMeta } = lrsModels(connection);

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

  /**
   * Inserts key rows (rows already there are left as they are); the span must hold their hours.
   * Returns the statements whose `referenced` row was there already: marked by a statement that
   * targets them (or written by an earlier insert of the same statement).
   */
  async function insertKeys(rows: KeySource[]): Promise<string[]> {
    const docs: StatementKeyDoc[] = rows.flatMap((r) =>
      statementKeys(r).map((key) => ({ _id: `${r._id}|${key}`, k: `${key}@${hourOf(r.stored.getTime())}`, s: r.stored, sid: r._id })),
    );
    const found = await Promise.all(
      chunks(docs).map((part) =>
        StatementKey.insertMany(part, { ordered: false, lean: true }).then(
          (): string[] => [],
          (err: unknown) => duplicateIndexes(err).flatMap((i) => (part[i] && part[i]._id === referencedId(part[i].sid) ? [part[i].sid] : [])),
        ),
      ),
    );
    return found.flat();
  }

  /** Writes the key rows of statements (again: rows already there are left as they are). */
  async function writeKeys(rows: KeySource[]): Promise<void> {
    if (!rows.length) return;
    // the span first: a page walks only the hours in it, so a row outside it would not be found
    await widenSpan(rows.map((r) => r.stored));
    await insertKeys(rows);
  }

  return {
    /**
     * Inserts statements and their key rows side by side (one round trip of waiting, not two).
     * Returns the ids that already existed (`seenBefore`: a concurrent writer or an earlier request
     * won), which the caller compares and then settles with `settleSeenBefore`, and the inserted ids
     * that statements stored earlier target (`referenced`, statement-keys.ts: REFERENCED_KEY). A key
     * row may thus briefly exist before its statement, or without it after a crash: a page fetches
     * its candidates by _id and skips those that are missing, so such a row costs a look-up, never
     * a wrong answer.
     */
    async insert(rows: NewStatementRow[]): Promise<{ seenBefore: string[]; referenced: string[] }> {
      if (!rows.length) return { seenBefore: [], referenced: [] };
      const docs = rows.map(toDoc);
      await widenSpan(docs.map((d) => d.stored));
      // the driver's insertMany, as rawInsert: every field is set in toDoc, nothing for mongoose to cast
      const statements = Statement.collection.insertMany(docs as never[], { ordered: false }).then(
        (): string[] => [],
        (err: unknown) =>
          duplicateIndexes(err)
            .map((i) => rows[i]?.statementId ?? '')
            .filter(Boolean),
      );
      const [seenBefore, marked] = await Promise.all([statements, insertKeys(docs)]);
      const refs = rows
        .filter((r) => r.refTarget && !seenBefore.includes(r.statementId))
        .map((r) => ({ _id: r.statementId, target: r.refTarget!, voiding: Boolean(r.voidTarget) }));
      if (refs.length) await StatementRef.insertMany(refs, { ordered: false, lean: true }).catch(ignoreDuplicates);
      return { seenBefore, referenced: marked.filter((id) => !seenBefore.includes(id)) };
    },

    /**
     * Marks targets that are not stored yet as referenced (after the referencing statements' ref
     * rows are in), so that they look for them when they come. Returns the targets whose row was
     * there already: stored meanwhile, or marked before by another statement.
     */
    async markReferenced(targetIds: string[], at: Date): Promise<string[]> {
      const docs = [...new Set(targetIds)].map((id) => ({ _id: referencedId(id), k: REFERENCED_KEY, s: at, sid: id }));
      if (!docs.length) return [];
      return StatementKey.insertMany(docs, { ordered: false, lean: true }).then(
        (): string[] => [],
        (err: unknown) =>
          duplicateIndexes(err)
            .map((i) => docs[i]?.sid ?? '')
            .filter(Boolean),
      );
    },

    /**
     * Once per database (start-up): targets that statements stored before the `referenced` marker
     * existed point at, and that are not stored yet, get the marker.
     */
    async backfillReferencedMarkers(): Promise<number> {
      if (await StatementMeta.exists({ _id: 'referenced' })) return 0;
      const targets = [...new Set((await StatementRef.find({}, { target: 1 }).lean<Array<{ target: string }>>()).map((r) => r.target))];
      const stored = new Set<string>();
      for (const part of chunks(targets))
        for (const d of await Statement.find({ _id: { $in: part } }, { _id: 1 }).lean<Array<{ _id: string }>>()) stored.add(d._id);
      const pending = targets.filter((t) => !stored.has(t));
      for (const part of chunks(pending)) await this.markReferenced(part, new Date());
      await StatementMeta.updateOne({ _id: 'referenced' }, { $set: { at: new Date() } }, { upsert: true });
      return pending.length;
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
      // only the rows this request wrote (its stored time): a `referenced` marker another statement
      // wrote before stays, for when the statement comes again
      const stored = rows[0]?.stored;
      await Promise.all(chunks(keyIds).map((part) => StatementKey.deleteMany({ _id: { $in: part }, s: stored })));
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
        if (hourless.length)
          await Statement.bulkWrite(
            hourless.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { hour: hourOf(d.stored.getTime()) } } } })),
            { ordered: false },
          );
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

    /** Statements stored before their target arrived learn its fields now. */
    async passOnRefFields(sourceIds: string[], fields: RefFields): Promise<void> {
      await Promise.all(sourceIds.map((id) => Statement.updateOne({ _id: id }, { $set: fields })));
      await writeKeys(await Statement.find({ _id: { $in: sourceIds } }, MATCH).lean<MatchDoc[]>());
    },

    /** Voids the targets that exist and are not voiding statements themselves (Data §2.3.2). */
    async markVoided(targetIds: string[]): Promise<void> {
      await Promise.all([...new Set(targetIds)].map((id) => Statement.updateOne({ _id: id, voidTarget: null }, { $set: { voided: true } })));
    },

    /** For the benchmark: the same rows straight into the collection. */
    async rawInsert(rows: NewStatementRow[]): Promise<void> {
      await Statement.collection.insertMany(rows.map(toDoc) as never[], { ordered: false });
      await writeKeys(rows.map(toDoc));
    },
  };
}
