import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DomainError } from '../../src/shared/errors.ts';
import type { TestApp } from '../support/test-app.ts';
import { basic, q, startLrsApp, statement, xapi } from './support.ts';

describe('lrs: credentials, scopes, minted launch credentials and hooks', () => {
  let app: TestApp;
  const client = async (scopes: string[]) => {
    const { client: c, secret } = await app.running.app.lrs.clients.create({ name: `Client ${scopes.join('+')}`, scopes: scopes as never });
    return basic(c.key, secret);
  };
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  it('answers 401 without credentials and with wrong ones, naming Basic', async () => {
    const none = await xapi(app, null).get('/statements');
    expect(none.status).to.equal(401);
    expect(none.headers['www-authenticate']).to.match(/^Basic/);
    expect((await xapi(app, basic('test-seed-key', 'falsch')).get('/statements')).status).to.equal(401);
    expect((await xapi(app, basic('unbekannt', 'x')).get('/statements')).status).to.equal(401);
    expect((await xapi(app, 'Bearer abc').get('/statements')).status).to.equal(401);
  });

  it('answers 403 when the client lacks the scope', async () => {
    const writer = await client(['statements/write']);
    expect((await xapi(app, writer).post('/statements').send(statement())).status).to.equal(200);
    expect((await xapi(app, writer).get('/statements')).status).to.equal(403);
    expect(
      (await xapi(app, writer).get(`/activities/state${q({ activityId: 'http://example.org/a', agent: { mbox: 'mailto:a@example.org' }, stateId: 's' })}`))
        .status,
    ).to.equal(403);
    const reader = await client(['all/read']);
    expect((await xapi(app, reader).post('/statements').send(statement())).status).to.equal(403);
  });

  it('statements/read/mine returns only the statements the client stored', async () => {
    const mine = await client(['statements/write', 'statements/read/mine']);
    const other = await client(['statements/write']);
    const registration = randomUUID();
    const [own] = (
      await xapi(app, mine)
        .post('/statements')
        .send(statement({ context: { registration } }))
    ).body as string[];
    const [foreign] = (
      await xapi(app, other)
        .post('/statements')
        .send(statement({ context: { registration } }))
    ).body as string[];
    const res = await xapi(app, mine).get(`/statements${q({ registration })}`);
    expect(res.body.statements.map((s: { id: string }) => s.id)).to.deep.equal([own]);
    expect((await xapi(app, mine).get(`/statements${q({ statementId: foreign })}`)).status).to.equal(404);
  });

  it('a revoked client is refused at once', async () => {
    const { client: c, secret } = await app.running.app.lrs.clients.create({ name: 'Wird widerrufen', scopes: ['all'] });
    expect((await xapi(app, basic(c.key, secret)).get('/statements')).status).to.equal(200);
    await app.running.app.lrs.clients.revoke(c.id);
    expect((await xapi(app, basic(c.key, secret)).get('/statements')).status).to.equal(401);
  });

  it('minted credentials write only their actor and registration and read only those', async () => {
    const actor = { objectType: 'Agent' as const, name: 'Lena', account: { homePage: 'https://lotse.example.de', name: 'user-1' } };
    const registration = randomUUID();
    const minted = await app.running.app.lrs.mintCredentials({ actor, registration, ttlSeconds: 600 });
    expect(minted.authorization).to.match(/^Basic /);
    const auth = minted.authorization;
    const ok = await xapi(app, auth)
      .post('/statements')
      .send(statement({ actor, context: { registration } }));
    expect(ok.status).to.equal(200);
    expect(
      (
        await xapi(app, auth)
          .post('/statements')
          .send(statement({ context: { registration } }))
      ).status,
    ).to.equal(403);
    expect(
      (
        await xapi(app, auth)
          .post('/statements')
          .send(statement({ actor, context: { registration: randomUUID() } }))
      ).status,
    ).to.equal(403);
    await xapi(app).post('/statements').send(statement({ actor })).expect(200); // same learner, other registration
    const read = await xapi(app, auth).get('/statements');
    expect(read.body.statements.map((s: { id: string }) => s.id)).to.deep.equal(ok.body);
    const state = `/activities/state${q({ activityId: 'http://example.org/au', agent: actor, registration, stateId: 'LMS.LaunchData' })}`;
    await app.running.app.lrs.putDocument(
      { activityId: 'http://example.org/au', agent: actor, registration, stateId: 'LMS.LaunchData' },
      { contentType: 'application/json', content: { launchMode: 'Normal' } },
    );
    const doc = await xapi(app, auth).get(state);
    expect(doc.status).to.equal(200);
    expect(doc.body).to.deep.equal({ launchMode: 'Normal' });
    const otherAgent = `/activities/state${q({ activityId: 'http://example.org/au', agent: { mbox: 'mailto:x@example.org' }, registration, stateId: 'LMS.LaunchData' })}`;
    expect((await xapi(app, auth).get(otherAgent)).status).to.equal(403);
  });

  describe('a minted credential acts only for its own learner', () => {
    const home = 'https://lotse.example.de';
    const lena = { objectType: 'Agent' as const, name: 'Lena', account: { homePage: home, name: 'user-lena' } };
    const bert = { objectType: 'Agent' as const, name: 'Bert', account: { homePage: home, name: 'user-bert' } };
    const voiding = (id: string, actor: object, registration: string) =>
      statement({
        actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
        object: { objectType: 'StatementRef', id },
        context: { registration },
      });
    const mintFor = async (actor: typeof lena, registration: string) =>
      (await app.running.app.lrs.mintCredentials({ actor, registration, ttlSeconds: 600 })).authorization;
    const isVoided = async (id: string) => (await xapi(app).get(`/statements${q({ voidedStatementId: id })}`)).status === 200;

    it("voids its own learner's statements of its registration, and nobody else's", async () => {
      const registration = randomUUID();
      const auth = await mintFor(lena, registration);
      const [own] = (
        await xapi(app, auth)
          .post('/statements')
          .send(statement({ actor: lena, context: { registration } }))
          .expect(200)
      ).body as string[];
      const [bertsSameRegistration] = (
        await xapi(app)
          .post('/statements')
          .send(statement({ actor: bert, context: { registration } }))
          .expect(200)
      ).body as string[];
      const [bertsOwn] = (
        await xapi(app)
          .post('/statements')
          .send(statement({ actor: bert, context: { registration: randomUUID() } }))
          .expect(200)
      ).body as string[];
      const [lenasOtherRegistration] = (
        await xapi(app)
          .post('/statements')
          .send(statement({ actor: lena, context: { registration: randomUUID() } }))
          .expect(200)
      ).body as string[];
      for (const target of [bertsSameRegistration!, bertsOwn!, lenasOtherRegistration!, randomUUID()]) {
        const refused = await xapi(app, auth)
          .post('/statements')
          .send(voiding(target, lena, registration));
        expect(refused.status, target).to.equal(403);
        expect(refused.body.error).to.contain('stornieren');
      }
      expect(await isVoided(bertsSameRegistration!)).to.equal(false);
      expect(await isVoided(bertsOwn!)).to.equal(false);
      await xapi(app, auth)
        .post('/statements')
        .send(voiding(own!, lena, registration))
        .expect(200);
      expect(await isVoided(own!)).to.equal(true);
    });

    it('refuses a Group actor that carries its learner, and any other actor', async () => {
      const registration = randomUUID();
      const auth = await mintFor(lena, registration);
      const disguises = [
        { objectType: 'Group', account: lena.account, member: [bert] },
        { objectType: 'Group', account: bert.account, member: [lena] },
        { objectType: 'Group', member: [lena, bert] },
        bert,
      ];
      for (const actor of disguises) {
        const refused = await xapi(app, auth)
          .post('/statements')
          .send(statement({ actor, context: { registration } }));
        expect(refused.status, JSON.stringify(actor)).to.equal(403);
        expect(refused.body.error).to.contain('Akteur');
      }
      const asBert = await xapi(app).get(`/statements${q({ agent: { account: bert.account }, registration })}`);
      expect(asBert.body.statements).to.deep.equal([]);
      await xapi(app, auth)
        .post('/statements')
        .send(statement({ actor: { account: lena.account }, context: { registration } }))
        .expect(200);
    });

    it('reads activity profiles but neither writes nor deletes them', async () => {
      const activityId = `http://example.org/activities/shared-${randomUUID()}`;
      const profile = `/activities/profile${q({ activityId, profileId: 'settings' })}`;
      await xapi(app).put(profile).set('If-None-Match', '*').send({ level: 1 }).expect(204);
      const auth = await mintFor(lena, randomUUID());
      const read = await xapi(app, auth).get(profile);
      expect(read.status).to.equal(200);
      expect(read.body).to.deep.equal({ level: 1 });
      for (const res of [
        await xapi(app, auth).put(profile).set('If-Match', '*').send({ level: 2 }),
        await xapi(app, auth).post(profile).send({ level: 3 }),
        await xapi(app, auth).delete(profile),
        await xapi(app, auth)
          .put(`/activities/profile${q({ activityId, profileId: 'new' })}`)
          .set('If-None-Match', '*')
          .send({ level: 4 }),
      ]) {
        expect(res.status).to.equal(403);
        expect(res.body.error).to.contain('Aktivitätsprofile');
      }
      expect((await xapi(app).get(profile)).body).to.deep.equal({ level: 1 });
      expect((await xapi(app).get(`/activities/profile${q({ activityId, profileId: 'new' })}`)).status).to.equal(404);
    });
  });

  it('minted credentials expire', async () => {
    const actor = { mbox: 'mailto:kurz@example.org' };
    const minted = await app.running.app.lrs.mintCredentials({ actor, registration: randomUUID(), ttlSeconds: 0 });
    expect((await xapi(app, minted.authorization).get('/statements')).status).to.equal(401);
  });

  it('runs statement guards before storing and hooks after', async () => {
    const registration = randomUUID();
    const seen: string[] = [];
    app.running.app.lrs.registerStatementGuard((s) => {
      if (s.context?.registration === registration && s.verb.id.endsWith('/failed'))
        throw new DomainError('forbidden', 'cmi5: failed nach passed ist nicht erlaubt');
    });
    app.running.app.lrs.onStatementsStored(async (stored) => {
      for (const s of stored) if (s.context?.registration === registration) seen.push(s.id);
    });
    const ok = await xapi(app)
      .post('/statements')
      .send(statement({ context: { registration } }));
    expect(ok.status).to.equal(200);
    expect(seen).to.deep.equal(ok.body);
    const refused = await xapi(app)
      .post('/statements')
      .send(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/failed' }, context: { registration } }));
    expect(refused.status).to.equal(403);
    expect(refused.body.error).to.contain('cmi5');
    expect(seen).to.have.length(1);
  });
});
