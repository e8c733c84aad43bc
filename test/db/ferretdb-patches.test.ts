import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { MongoClient, type Collection, type Db, type Document, type Filter } from 'mongodb';
import { allIds, cases, documents, type Row } from './ferretdb-pushdown-cases.ts';

/**
 * Our patches to FerretDB v1.24.2 (scripts/ferretdb-patches/), checked over the wire on the test run's
 * server with the plain driver. On the unpatched build the w:0 test, the index tests and the writers'
 * order fail; the filter tests pass there too (it scans everything) and guard that the pushdown loses
 * no match.
 */
describe('FerretDB with our patches', function () {
  const dbName = `ferretdb-patches-${process.pid}`;
  let client: MongoClient;
  let db: Db;

  before(async function () {
    if (process.env.TEST_DATABASE_SOURCE !== 'ferretdb') this.skip();
    client = await MongoClient.connect(process.env.TEST_MONGODB_URI!);
    db = client.db(dbName);
  });
  after(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  describe('unacknowledged writes (01)', () => {
    // one connection of its own: a reply left over from one request would be read by the next
    let single: MongoClient;
    before(async () => {
      single = await MongoClient.connect(process.env.TEST_MONGODB_URI!, { maxPoolSize: 1 });
    });
    after(async () => single?.close());

    it('answers each query after w:0 writes with its own document', async () => {
      const c = single.db(dbName).collection<{ _id: string; v: string; seen?: boolean }>('unacknowledged');
      await c.insertMany(['a', 'b', 'c', 'gone'].map((id) => ({ _id: id, v: id })));
      const w0 = { writeConcern: { w: 0 } };
      await c.insertOne({ _id: 'new', v: 'new' }, w0);
      await c.updateOne({ _id: 'a' }, { $set: { seen: true } }, w0);
      await c.deleteOne({ _id: 'gone' }, w0);

      expect(await c.findOne({ _id: 'a' })).to.deep.equal({ _id: 'a', v: 'a', seen: true });
      expect(await c.findOne({ _id: 'b' })).to.deep.equal({ _id: 'b', v: 'b' });
      expect(await c.findOne({ _id: 'c' })).to.deep.equal({ _id: 'c', v: 'c' });
      expect(await c.findOne({ _id: 'new' })).to.deep.equal({ _id: 'new', v: 'new' });
      expect(await c.findOne({ _id: 'gone' })).to.equal(null);
    });
  });

  describe('concurrent writers (04)', () => {
    // a connection per writer: each waits for the write lock on its own
    let pool: MongoClient;
    before(async () => {
      pool = await MongoClient.connect(process.env.TEST_MONGODB_URI!, { maxPoolSize: 16, minPoolSize: 12 });
    });
    after(async () => pool?.close());

    it('lets writers that wait for a long write go in the order they came (in SQLite’s busy handler they overtook each other)', async function () {
      this.timeout(60_000);
      const c = pool.db(dbName).collection<{ _id: string; k: string; v?: string }>('writers-take-turns');
      await c.createIndex({ k: 1 });
      // every writer below gets a connection of its own that is open already
      for (let k = 0; k < 2; k++) await Promise.all(Array.from({ length: 12 }, () => c.findOne({ k: 'none' })));
      const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ _id: `${tag}-${i}`, k: `k${i}`, v: 'x'.repeat(200) }));
      const started = performance.now();
      await c.insertMany(rows(2000, 'probe'));
      const perRow = (performance.now() - started) / 2000;
      // the writers come 15 ms apart while one insert holds the lock for about 600 ms; a run in
      // which that insert ended before the last writer came proves nothing and is repeated longer
      for (let round = 1; round <= 3; round++) {
        const t0 = performance.now();
        let longEnded = 0;
        const long = c.insertMany(rows(Math.ceil((600 * round) / perRow), `long${round}`)).then(() => (longEnded = performance.now() - t0));
        await sleep(60);
        const writers: Array<Promise<unknown>> = [];
        for (let i = 0; i < 8; i++) {
          writers.push(c.insertOne({ _id: `w${round}-${i}`, k: `w${round}` }));
          await sleep(15);
        }
        const lastCame = performance.now() - t0;
        await Promise.all([long, ...writers]);
        if (longEnded < lastCame) continue;
        // SQLite hands out row ids in the order the inserts committed; a scan returns that order
        const committed = (await c.find({ k: `w${round}` }).toArray()).map((d) => d._id);
        expect(committed).to.deep.equal(Array.from({ length: 8 }, (_, i) => `w${round}-${i}`));
        return;
      }
      expect.fail('the long insert never outlasted the writers: no round tested the order');
    });
  });

  // the pushdown selects a superset in SQL and the handler filters again: results must be MongoDB's
  for (const indexed of [false, true]) {
    describe(`filters pushed down to SQLite (02, 03), ${indexed ? 'with' : 'without'} indexes on the fields`, () => {
      let c: Collection<Row>;
      before(async () => {
        c = db.collection<Row>(indexed ? 'pushdown-indexed' : 'pushdown-plain');
        await c.insertMany(documents.map((d) => ({ ...d })));
        if (indexed) await c.createIndexes([{ key: { f: 1 } }, { key: { f: 1, g: 1 } }, { key: { g: 1 } }]);
      });

      for (const { name, filter, expected } of cases) {
        it(`reads exactly the matches of ${name}`, async () => {
          expect(await ids(c.find(filter))).to.deep.equal(expected);
          expect(await c.countDocuments(filter)).to.equal(expected.length);
          expect(await ids(c.aggregate([{ $match: filter }]))).to.deep.equal(expected);
          expect(await ids(c.find(filter).sort({ _id: 1 }).limit(1))).to.deep.equal(expected.slice(0, 1));
          expect(await ids(c.find(filter).sort({ _id: 1 }).skip(1).limit(1))).to.deep.equal(expected.slice(1, 2));
          // a limit without sort: the SQL must not stop after the first candidate, which may not match
          const one = await ids(c.find(filter).limit(1));
          expect(one).to.have.length(Math.min(1, expected.length));
          expect(expected).to.include.members(one);
        });

        it(`changes exactly the matches of ${name}`, async () => {
          const updated = await c.updateMany(filter, { $set: { hit: true } });
          expect(updated.modifiedCount).to.equal(expected.length);
          expect(await ids(c.find({ hit: true }))).to.deep.equal(expected);
          await c.updateMany({}, { $unset: { hit: '' } });

          const picked = await c.findOneAndUpdate(filter, { $set: { hit: true } }, { sort: { _id: -1 } });
          expect(picked?._id ?? null).to.equal(expected.at(-1) ?? null);
          expect(await ids(c.find({ hit: true }))).to.deep.equal(expected.slice(-1));
          await c.updateMany({}, { $unset: { hit: '' } });

          const deleted = await c.deleteMany(filter);
          expect(deleted.deletedCount).to.equal(expected.length);
          expect(await ids(c.find({}))).to.deep.equal(allIds.filter((id) => !expected.includes(id)).sort());
          const removed = documents.filter((d) => expected.includes(d._id));
          if (removed.length > 0) await c.insertMany(removed.map((d) => ({ ...d })));
        });
      }
    });
  }

  describe('index use (02, 03)', () => {
    let c: Collection<Row>;
    before(async () => {
      c = db.collection<Row>('explained');
      await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: `s${i}`, learnerId: `l${i % 20}`, moduleId: `m${i % 7}`, registration: `r${i}` })));
      await c.createIndexes([{ key: { learnerId: 1, moduleId: 1 } }, { key: { registration: 1 } }]);
    });

    const searches: Array<{ name: string; filter: Filter<Row>; index: string }> = [
      { name: 'an _id', filter: { _id: 's3' }, index: '__id_' },
      { name: '$in on _id', filter: { _id: { $in: ['s1', 's2'] } }, index: '__id_' },
      { name: 'two fields of a compound index', filter: { learnerId: 'l1', moduleId: 'm1' }, index: '_learnerId_1_moduleId_1' },
      { name: 'a field of a single-field index', filter: { registration: 'r5' }, index: '_registration_1' },
      // how the LRS reads its key rows (lrs_statement_keys): many hour buckets of one key at once
      {
        name: '$in of 1000 values on a single-field index',
        filter: { registration: { $in: Array.from({ length: 1000 }, (_, i) => `r${i}`) } },
        index: '_registration_1',
      },
    ];
    for (const { name, filter, index } of searches) {
      it(`searches the index for ${name} instead of scanning the table`, async () => {
        const res = await explain(filter);
        expect(res.filterPushdown, JSON.stringify(res)).to.equal(true);
        const plan = (res.queryPlanner.Plan as string[]).join('\n');
        expect(plan).to.include(`USING INDEX`).and.include(index);
        expect(plan).not.to.match(/\bSCAN\b/);
      });
    }

    it('leaves a number to the scan: its JSON text is not unique to one BSON value', async () => {
      const res = await explain({ learnerId: 5 });
      expect(res.filterPushdown).to.equal(false);
      expect((res.queryPlanner.Plan as string[]).join('\n')).to.match(/\bSCAN\b/);
    });

    const explain = (filter: Filter<Row>) => db.command({ explain: { find: c.collectionName, filter }, verbosity: 'queryPlanner' });
  });
});

async function ids(cursor: AsyncIterable<Document>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of cursor) out.push(String(d._id));
  return out.sort();
}
