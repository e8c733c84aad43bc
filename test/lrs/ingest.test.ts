import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
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

  it('hands the hooks one registration per call, in the order the statements came', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const calls: string[][] = [];
    app.running.app.lrs.onStatementsStored(async (stored: StoredStatement[]) => {
      if (stored.some((s) => s.context?.registration === a || s.context?.registration === b)) calls.push(stored.map((s) => `${s.context?.registration === a ? 'a' : 'b'}${String(s.result?.score?.raw)}`));
    });
    const batch = [1, 2, 3, 4, 5].map((n) => statement({ context: { registration: n % 2 ? a : b }, result: { score: { raw: n } } }));
    expect((await xapi(app).post('/statements').send(batch)).status).to.equal(200);
    expect(calls).to.have.deep.members([['a1', 'a3', 'a5'], ['b2', 'b4']]);
  });

  it('keeps merging an activity definition across statements it has seen before', async () => {
    const id = `http://example.org/activities/definitions/${randomUUID()}`;
    const send = (definition: Record<string, unknown>) => xapi(app).post('/statements').send(statement({ object: { objectType: 'Activity', id, definition } }));
    expect((await send({ name: { 'de-DE': 'Moderation' } })).status).to.equal(200);
    expect((await send({ name: { 'de-DE': 'Moderation' } })).status).to.equal(200);
    expect((await send({ name: { 'en-US': 'Facilitation' }, type: 'http://adlnet.gov/expapi/activities/lesson' })).status).to.equal(200);
    const got = await xapi(app).get(`/activities${q({ activityId: id })}`);
    expect(got.status).to.equal(200);
    expect(got.body.definition).to.deep.equal({ name: { 'de-DE': 'Moderation', 'en-US': 'Facilitation' }, type: 'http://adlnet.gov/expapi/activities/lesson' });
  });

  it('links a statement to an earlier StatementRef that targeted it before it existed', async () => {
    const target = randomUUID();
    const mbox = `mailto:ref-${randomUUID()}@example.org`;
    expect((await xapi(app).post('/statements').send(statement({ object: { objectType: 'StatementRef', id: target } }))).status).to.equal(200);
    expect((await xapi(app).post('/statements').send(statement({ id: target, actor: { mbox } }))).status).to.equal(200);
    const found = await xapi(app).get(`/statements${q({ agent: { mbox } })}`);
    expect(found.body.statements).to.have.length(2);
  });
});
