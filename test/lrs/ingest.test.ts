import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createStatementRepository } from '../../src/lrs/statements/repository.ts';
import type { StoredStatement } from '../../src/lrs/types.ts';
import type { TestApp } from '../support/test-app.ts';
import { q, startLrsApp, statement, xapi } from './support.ts';

/** The write path's own work: hooks per registration, definitions kept current without re-reading them. */
describe('lrs: storing statements', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  it('hands the hooks every statement of a registration in one call, in the order the statements came', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const calls: string[][] = [];
    app.running.app.lrs.onStatementsStored(async (stored: StoredStatement[]) => {
      if (stored.some((s) => s.context?.registration === a || s.context?.registration === b))
        calls.push(stored.map((s) => `${s.context?.registration === a ? 'a' : 'b'}${String(s.result?.score?.raw)}`));
    });
    const batch = [1, 2, 3, 4, 5].map((n) => statement({ context: { registration: n % 2 ? a : b }, result: { score: { raw: n } } }));
    expect((await xapi(app).post('/statements').send(batch)).status).to.equal(200);
    expect(calls).to.have.deep.members([
      ['a1', 'a3', 'a5'],
      ['b2', 'b4'],
    ]);
    // more registrations than calls: each registration whole in one call, none in two
    const many: string[] = Array.from({ length: 20 }, () => randomUUID());
    const seen: string[][] = [];
    app.running.app.lrs.onStatementsStored(async (stored: StoredStatement[]) => {
      if (stored.some((s) => many.includes(s.context?.registration ?? ''))) seen.push(stored.map((s) => s.context!.registration!));
    });
    const big = many.flatMap((registration) => [statement({ context: { registration } }), statement({ context: { registration } })]);
    expect((await xapi(app).post('/statements').send(big)).status).to.equal(200);
    expect(seen.flat()).to.have.length(40);
    for (const registration of many) expect(seen.filter((call) => call.includes(registration))).to.have.length(1);
  });

  it('keeps merging an activity definition across statements it has seen before', async () => {
    const id = `http://example.org/activities/definitions/${randomUUID()}`;
    const send = (definition: Record<string, unknown>) =>
      xapi(app)
        .post('/statements')
        .send(statement({ object: { objectType: 'Activity', id, definition } }));
    expect((await send({ name: { 'de-DE': 'Moderation' } })).status).to.equal(200);
    expect((await send({ name: { 'de-DE': 'Moderation' } })).status).to.equal(200);
    expect((await send({ name: { 'en-US': 'Facilitation' }, type: 'http://adlnet.gov/expapi/activities/lesson' })).status).to.equal(200);
    const got = await xapi(app).get(`/activities${q({ activityId: id })}`);
    expect(got.status).to.equal(200);
    expect(got.body.definition).to.deep.equal({ name: { 'de-DE': 'Moderation', 'en-US': 'Facilitation' }, type: 'http://adlnet.gov/expapi/activities/lesson' });
  });

  it('hands a hook what its prepare read beside the insert, and lets it read for itself on a retry', async () => {
    const registration = randomUUID();
    const got: Array<unknown> = [];
    let prepares = 0;
    let fail = true;
    app.running.app.lrs.onStatementsStored(
      async (stored: StoredStatement[], prepared?: Promise<unknown>) => {
        if (!stored.some((s) => s.context?.registration === registration)) return;
        got.push(prepared ? await prepared : 'none');
        if (fail) {
          fail = false;
          throw new Error('once');
        }
      },
      { name: 'prepared-test', prepare: async (stored) => (prepares++, stored.map((s) => s.context?.registration)) },
    );
    expect(
      (
        await xapi(app)
          .post('/statements')
          .send(statement({ context: { registration } }))
      ).status,
    ).to.equal(200);
    expect(prepares).to.be.greaterThan(0);
    expect(got).to.deep.equal([[registration], 'none']);
  });

  it('links a statement to an earlier StatementRef that targeted it before it existed', async () => {
    const target = randomUUID();
    const mbox = `mailto:ref-${randomUUID()}@example.org`;
    expect(
      (
        await xapi(app)
          .post('/statements')
          .send(statement({ object: { objectType: 'StatementRef', id: target } }))
      ).status,
    ).to.equal(200);
    expect(
      (
        await xapi(app)
          .post('/statements')
          .send(statement({ id: target, actor: { mbox } }))
      ).status,
    ).to.equal(200);
    const found = await xapi(app).get(`/statements${q({ agent: { mbox } })}`);
    expect(found.body.statements).to.have.length(2);
  });

  it('drops the statement indexes another index now serves, and keeps the ones it needs', async () => {
    const collection = app.running.connection.collection('lrs_statements');
    await collection.createIndex({ hour: 1 });
    await collection.createIndex({ authorityKey: 1, hour: 1 });
    await createStatementRepository(app.running.connection).dropRetiredIndexes();
    const names = (await collection.indexes()).map((i) => i.name);
    expect(names).to.include.members(['_id_', 'hour_1_authorityKey_1', 'stored_1__id_1']);
    expect(names).not.to.include.members(['hour_1']);
    expect(names).not.to.include.members(['authorityKey_1_hour_1']);
  });
});
