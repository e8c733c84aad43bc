import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { TestApp } from '../support/test-app.ts';
import { SEED_AUTH, basic, q, startLrsApp, statement, xapi } from './support.ts';

/** Both dialects on one endpoint: xAPI 1.0.3 and 2.0 (IEEE 9274.1.1), chosen per request. */
describe('lrs: xAPI 2.0 next to 1.0.3', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());
  const v2 = (auth: string | null = SEED_AUTH) => xapi(app, auth, '2.0.0');
  const v1 = (auth: string | null = SEED_AUTH) => xapi(app, auth, '1.0.3');
  const contextAgents = [{ objectType: 'contextAgent', agent: { mbox: 'mailto:mentorin@example.org' }, relevantTypes: ['https://example.org/types/mentor'] }];
  const contextGroups = [{ objectType: 'contextGroup', group: { objectType: 'Group', name: 'Kohorte', mbox: 'mailto:kohorte@example.org' } }];

  it('lists both versions on /about and answers each request in the version it asked for', async () => {
    const about = await v2().get('/about');
    expect(about.status).to.equal(200);
    expect(about.body.version).to.include.members(['1.0.3', '2.0.0']);
    const two = await v2().post('/statements').send(statement());
    expect(two.status).to.equal(200);
    expect(two.headers['x-experience-api-version']).to.equal('2.0.0');
    const one = await v1().post('/statements').send(statement());
    expect(one.headers['x-experience-api-version']).to.equal('1.0.3');
    const unknown = await xapi(app, SEED_AUTH, '3.0.0').get('/statements');
    expect(unknown.status).to.equal(400);
  });

  it('writes version 2.0.0 into statements stored under 2.0 and 1.0.0 under 1.0.3, and keeps a version sent', async () => {
    const [a] = (await v2().post('/statements').send(statement())).body as string[];
    const [b] = (await v1().post('/statements').send(statement())).body as string[];
    const [c] = (
      await v2()
        .post('/statements')
        .send(statement({ version: '1.0.3' }))
    ).body as string[];
    expect((await v1().get(`/statements${q({ statementId: a })}`)).body.version).to.equal('2.0.0');
    expect((await v2().get(`/statements${q({ statementId: b })}`)).body.version).to.equal('1.0.0');
    expect((await v2().get(`/statements${q({ statementId: c })}`)).body.version).to.equal('1.0.3');
    const refused = await v1()
      .post('/statements')
      .send(statement({ version: '2.0.0' }));
    expect(refused.status).to.equal(400);
    expect(refused.body.fields[0].field).to.equal('version');
  });

  it('takes contextAgents and contextGroups under 2.0 only, and returns them as stored under either version', async () => {
    const s = statement({ id: randomUUID(), context: { contextAgents, contextGroups } });
    const old = await v1().post('/statements').send(s);
    expect(old.status).to.equal(400);
    expect(old.body.fields.map((f: { field: string }) => f.field)).to.include.members(['context.contextAgents', 'context.contextGroups']);
    expect((await v2().post('/statements').send(s)).status).to.equal(200);
    for (const client of [v1(), v2()]) {
      const got = await client.get(`/statements${q({ statementId: s.id })}`);
      expect(got.status).to.equal(200);
      expect(got.body.context).to.deep.equal({ contextAgents, contextGroups });
    }
    const ids = await v2().get(`/statements${q({ statementId: s.id, format: 'ids' })}`);
    expect(ids.body.context.contextAgents[0]).to.deep.equal({ ...contextAgents[0], agent: { mbox: 'mailto:mentorin@example.org' } });
  });

  it('finds a statement by the agent of its contextAgents with related_agents', async () => {
    const mbox = `mailto:begleitung-${randomUUID()}@example.org`;
    const [id] = (
      await v2()
        .post('/statements')
        .send(statement({ context: { contextAgents: [{ objectType: 'contextAgent', agent: { mbox } }] } }))
    ).body as string[];
    const without = await v2().get(`/statements${q({ agent: { mbox } })}`);
    expect(without.body.statements).to.have.length(0);
    const related = await v2().get(`/statements${q({ agent: { mbox }, related_agents: 'true' })}`);
    expect(related.body.statements.map((s: { id: string }) => s.id)).to.deep.equal([id]);
  });

  it('refuses malformed context agents and groups naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ contextAgents: [{ objectType: 'Agent', agent: { mbox: 'mailto:a@example.org' } }] }, 'context.contextAgents[0].objectType'],
      [{ contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'a@example.org' } }] }, 'context.contextAgents[0].agent.mbox'],
      [
        { contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:a@example.org' }, relevantTypes: [] }] },
        'context.contextAgents[0].relevantTypes',
      ],
      [
        { contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', mbox: 'mailto:g@example.org' }, relevantTypes: ['kein iri'] }] },
        'context.contextGroups[0].relevantTypes[0]',
      ],
      [{ contextGroups: [{ objectType: 'contextGroup', group: { mbox: 'mailto:g@example.org' } }] }, 'context.contextGroups[0].group'],
      [{ contextAgents: { objectType: 'contextAgent', agent: { mbox: 'mailto:a@example.org' } } }, 'context.contextAgents'],
    ];
    for (const [context, field] of cases) {
      const res = await v2().post('/statements').send(statement({ context }));
      expect(res.status, field).to.equal(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).to.include(field);
      expect(JSON.stringify(res.body)).not.to.match(/at .*\.ts:\d+/);
    }
  });

  it('refuses a timestamp without offset under 2.0 (RFC 3339) and takes it under 1.0.3', async () => {
    const res = await v2()
      .post('/statements')
      .send(statement({ timestamp: '2026-03-01T10:00:00' }));
    expect(res.status).to.equal(400);
    expect(res.body.fields[0].field).to.equal('timestamp');
    expect(
      (
        await v2()
          .post('/statements')
          .send(statement({ timestamp: '2026-03-01T10:00:00+01:00' }))
      ).status,
    ).to.equal(200);
    expect(
      (
        await v1()
          .post('/statements')
          .send(statement({ timestamp: '2026-03-01T10:00:00' }))
      ).status,
    ).to.equal(200);
  });

  it('ignores duration precision beyond hundredths when a statement id is sent again', async () => {
    const id = randomUUID();
    expect(
      (
        await v2()
          .put(`/statements${q({ statementId: id })}`)
          .send(statement({ id, result: { duration: 'PT1.25S' } }))
      ).status,
    ).to.equal(204);
    const same = statement({ id, result: { duration: 'PT1.2567S' } });
    same.object = (await v2().get(`/statements${q({ statementId: id })}`)).body.object;
    expect(
      (
        await v2()
          .put(`/statements${q({ statementId: id })}`)
          .send(same)
      ).status,
    ).to.equal(204);
  });

  it('refuses the alternate request syntax under 2.0, in the header or in the form', async () => {
    const form = new URLSearchParams({
      'X-Experience-API-Version': '2.0.0',
      Authorization: SEED_AUTH,
      'Content-Type': 'application/json',
      content: JSON.stringify(statement()),
    });
    const inForm = await xapi(app, null, '')
      .post(`/statements${q({ method: 'POST' })}`)
      .unset('X-Experience-API-Version')
      .type('form')
      .send(form.toString());
    expect(inForm.status).to.equal(400);
    expect(inForm.body.fields[0].field).to.equal('method');
    const inHeader = await v2()
      .post(`/statements${q({ method: 'PUT' })}`)
      .type('form')
      .send(`statementId=${randomUUID()}&content=${encodeURIComponent(JSON.stringify(statement()))}`);
    expect(inHeader.status).to.equal(400);
    expect(inHeader.headers['x-experience-api-version']).to.equal('2.0.0');
  });

  it('gives 409 to a state PUT over an existing document without precondition under 2.0 only', async () => {
    const params = q({ activityId: `http://example.org/state/${randomUUID()}`, agent: { mbox: 'mailto:lena@example.org' }, stateId: 'bookmark' });
    expect((await v2().put(`/activities/state${params}`).send({ page: 1 })).status).to.equal(204);
    const conflict = await v2().put(`/activities/state${params}`).send({ page: 2 });
    expect(conflict.status).to.equal(409);
    expect((await v2().get(`/activities/state${params}`)).body).to.deep.equal({ page: 1 });
    const etag = (await v2().get(`/activities/state${params}`)).headers.etag as string;
    expect((await v2().put(`/activities/state${params}`).set('If-Match', etag).send({ page: 3 })).status).to.equal(204);
    expect((await v1().put(`/activities/state${params}`).send({ page: 4 })).status).to.equal(204);
    const got = await v2().get(`/activities/state${params}`);
    expect(got.body).to.deep.equal({ page: 4 });
    expect(new Date(got.headers['last-modified'] as string).toUTCString()).to.equal(got.headers['last-modified']);
  });

  it('names the version the client spoke last when a request comes without one', async () => {
    const { client, secret } = await app.running.app.lrs.service.clients.create({ name: 'Zwei-Null-Werkzeug', scopes: ['all'] });
    const auth = basic(client.key, secret);
    expect((await v2(auth).get('/statements')).status).to.equal(200);
    const missing = await v2(auth).get('/statements').unset('X-Experience-API-Version');
    expect(missing.status).to.equal(400);
    expect(missing.headers['x-experience-api-version']).to.equal('2.0.0');
    expect((await v1(auth).get('/statements')).status).to.equal(200);
    const again = await v1(auth).get('/statements').unset('X-Experience-API-Version');
    expect(again.headers['x-experience-api-version']).to.equal('1.0.3');
  });
});
