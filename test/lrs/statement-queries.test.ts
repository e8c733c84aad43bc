import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createStatementRepository } from '../../src/lrs/statements/repository.ts';
import type { TestApp } from '../support/test-app.ts';
import { q, startLrsApp, statement, xapi } from './support.ts';

/** GET /statements over statements stored across months: order, paging, since/until, StatementRefs. */
describe('lrs: statement queries over time', () => {
  let app: TestApp;
  let now = new Date('2026-01-05T08:00:00.000Z');
  before(async () => {
    app = await startLrsApp({ clock: { now: () => now } });
  });
  after(async () => app.stop());

  const learner = { mbox: `mailto:${randomUUID()}@example.org` };
  const other = { mbox: `mailto:${randomUUID()}@example.org` };
  const registration = randomUUID();
  const activity = `http://example.org/activities/${randomUUID()}`;
  /** What was stored: id and stored time, in insertion order. */
  const stored: Array<{ id: string; stored: number }> = [];

  before(async () => {
    for (let i = 0; i < 30; i++) {
      // gaps of minutes, hours and weeks; some batches of two share their stored time
      now = new Date(now.getTime() + (i % 5 === 0 ? 17 * 86_400_000 : i % 2 ? 37 * 60_000 : 5 * 3_600_000));
      const mine = Array.from({ length: i % 4 === 0 ? 2 : 1 }, () =>
        statement({ id: randomUUID(), actor: learner, object: { id: activity }, context: { registration } }),
      );
      await xapi(app)
        .post('/statements')
        .send([...mine, statement({ actor: other })])
        .expect(200);
      for (const s of mine) stored.push({ id: s.id as string, stored: now.getTime() });
    }
  });

  const expected = (ascending: boolean, from = -Infinity, to = Infinity) =>
    stored
      .filter((s) => s.stored > from && s.stored <= to)
      .sort((a, b) => (ascending ? 1 : -1) * (a.stored - b.stored || (a.id < b.id ? -1 : 1)))
      .map((s) => s.id);

  async function readAll(params: Record<string, unknown>): Promise<string[]> {
    const seen: string[] = [];
    let next = `/statements${q(params)}`;
    for (let page = 0; next; page++) {
      expect(page).to.be.below(60);
      const res = await xapi(app).get(next);
      expect(res.status).to.equal(200);
      seen.push(...res.body.statements.map((s: { id: string }) => s.id));
      next = res.body.more ? String(res.body.more).replace(/^\/xapi/, '') : '';
    }
    return seen;
  }

  for (const [name, filter] of [
    ['agent', { agent: learner }],
    ['registration', { registration }],
    ['activity', { activity }],
    ['agent and activity', { agent: learner, activity }],
    ['agent, verb and registration', { agent: learner, verb: 'http://adlnet.gov/expapi/verbs/experienced', registration }],
  ] as const) {
    for (const ascending of [false, true]) {
      it(`pages by ${name} through months in ${ascending ? 'ascending' : 'descending'} stored order, each once`, async () => {
        expect(await readAll({ ...filter, ascending, limit: 4 })).to.deep.equal(expected(ascending));
        const first = await xapi(app).get(`/statements${q({ ...filter, ascending })}`);
        expect(first.body.statements.map((s: { id: string }) => s.id)).to.deep.equal(expected(ascending));
        expect(first.body.more).to.equal('');
      });
    }
  }

  it('keeps to since (exclusive) and until (inclusive) across hours and weeks', async () => {
    const from = stored[5]!.stored;
    const to = stored[27]!.stored;
    const params = { agent: learner, since: new Date(from).toISOString(), until: new Date(to).toISOString() };
    expect(await readAll({ ...params, limit: 3 })).to.deep.equal(expected(false, from, to));
    expect(await readAll({ ...params, limit: 3, ascending: true })).to.deep.equal(expected(true, from, to));
  });

  for (const ascending of [false, true]) {
    it(`pages through every statement when no filter is given, ${ascending ? 'ascending' : 'descending'}`, async () => {
      const all = await readAll({ limit: 7, ascending });
      expect(all).to.have.length(new Set(all).size);
      expect(all.filter((id) => stored.some((s) => s.id === id))).to.deep.equal(expected(ascending));
    });
  }

  it('reads related agents and activities: context, authority and the object alike', async () => {
    const instructor = { mbox: `mailto:${randomUUID()}@example.org` };
    const parent = `http://example.org/activities/${randomUUID()}`;
    const s = statement({ id: randomUUID(), actor: learner, context: { instructor, contextActivities: { parent: [{ id: parent }] } } });
    now = new Date(now.getTime() + 60_000);
    await xapi(app).post('/statements').send(s).expect(200);
    const ids = async (params: Record<string, unknown>) => (await xapi(app).get(`/statements${q(params)}`)).body.statements.map((x: { id: string }) => x.id);
    expect(await ids({ agent: instructor })).to.deep.equal([]);
    expect(await ids({ agent: instructor, related_agents: true })).to.deep.equal([s.id]);
    expect(await ids({ activity: parent })).to.deep.equal([]);
    expect(await ids({ activity: parent, related_activities: true })).to.deep.equal([s.id]);
    expect(await ids({ activity: (s.object as { id: string }).id, related_activities: true, agent: instructor, related_agents: true })).to.deep.equal([s.id]);
    expect((await ids({ agent: learner, related_agents: true, limit: 1 }))[0]).to.equal(s.id);
  });

  it('returns a statement whose StatementRef target matches, also when the target came later', async () => {
    const target = statement({ id: randomUUID(), actor: learner });
    const targetActivity = (target.object as { id: string }).id;
    const early = statement({
      id: randomUUID(),
      actor: other,
      verb: { id: 'http://example.org/verbs/commented' },
      object: { objectType: 'StatementRef', id: target.id },
    });
    await xapi(app).post('/statements').send(early).expect(200);
    now = new Date(now.getTime() + 3 * 3_600_000);
    await xapi(app).post('/statements').send(target).expect(200);
    now = new Date(now.getTime() + 60_000);
    const late = statement({
      id: randomUUID(),
      actor: other,
      verb: { id: 'http://example.org/verbs/commented' },
      object: { objectType: 'StatementRef', id: target.id },
    });
    await xapi(app).post('/statements').send(late).expect(200);

    const ids = async (params: Record<string, unknown>) => (await xapi(app).get(`/statements${q(params)}`)).body.statements.map((s: { id: string }) => s.id);
    expect(await ids({ activity: targetActivity })).to.deep.equal([late.id, target.id, early.id]);
    expect(await ids({ activity: targetActivity, agent: learner, ascending: true })).to.deep.equal([early.id, target.id, late.id]);
    // each filter is met by the statement itself or by its target, not partly by each
    expect(await ids({ activity: targetActivity, verb: 'http://example.org/verbs/commented' })).to.deep.equal([]);
    expect(await ids({ agent: other, verb: 'http://example.org/verbs/commented', activity: targetActivity })).to.deep.equal([]);
  });

  it('finds statements stored before the key rows existed once they are written at start-up', async () => {
    const db = app.running.connection.db!;
    const before = await readAll({ registration });
    await db.collection('lrs_statement_keys').deleteMany({});
    await db.collection('lrs_statement_meta').deleteMany({});
    await db.collection('lrs_statements').updateMany({}, { $unset: { hour: '' } });
    expect((await xapi(app).get(`/statements${q({ registration })}`)).body.statements).to.deep.equal([]);
    const repo = createStatementRepository(app.running.connection);
    expect(await repo.backfillKeys()).to.be.at.least(stored.length);
    expect(await readAll({ registration, limit: 5 })).to.deep.equal(before);
    expect(await repo.backfillKeys()).to.equal(0);
  });
});
