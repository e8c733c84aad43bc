import { expect } from 'chai';
import { csrfToken, type TestApp } from '../support/test-app.ts';
import { basic, startLrsApp, statement, xapi } from './support.ts';

describe('lrs: admin pages', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  it('lets an admin create a client, shows the secret once, and revoke it', async () => {
    const { agent } = await app.loggedIn(['admin']);
    const token = await csrfToken(agent, '/admin/lrs/clients');
    const res = await agent
      .post('/admin/lrs/clients')
      .type('form')
      .send({ _csrf: token, name: 'Partner-Werkzeug', scopes: ['statements/write', 'statements/read'] });
    expect(res.status).to.equal(201);
    const key = /id="client-key">([^<]+)</.exec(res.text)?.[1];
    const secret = /id="client-secret">([^<]+)</.exec(res.text)?.[1];
    expect(key).to.be.a('string');
    expect(secret).to.be.a('string');
    expect((await xapi(app, basic(key!, secret!)).post('/statements').send(statement())).status).to.equal(200);

    const list = await agent.get('/admin/lrs/clients');
    expect(list.text).to.contain('Partner-Werkzeug').and.to.contain(key!);
    expect(list.text).not.to.contain(secret!);
    const id = new RegExp(`/admin/lrs/clients/([a-f0-9]{24})/revoke`).exec(list.text)?.[1];
    const revoke = await agent
      .post(`/admin/lrs/clients/${id}/revoke`)
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/admin/lrs/clients') });
    expect(revoke.status).to.equal(302);
    expect((await xapi(app, basic(key!, secret!)).get('/about')).status).to.equal(200);
    expect((await xapi(app, basic(key!, secret!)).post('/statements').send(statement())).status).to.equal(401);
  });

  it('re-renders the form with field errors for a client without scopes', async () => {
    const { agent } = await app.loggedIn(['admin']);
    const token = await csrfToken(agent, '/admin/lrs/clients');
    const res = await agent.post('/admin/lrs/clients').type('form').send({ _csrf: token, name: 'X' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('mindestens eine Berechtigung');
  });

  it('browses statements latest first, filtered by learner, and shows one as JSON', async () => {
    const { agent } = await app.loggedIn(['admin']);
    const ids = (
      await xapi(app)
        .post('/statements')
        .send([statement({ actor: { mbox: 'mailto:browse@example.org', name: 'Browse Person' } }), statement()])
    ).body as string[];
    const list = await agent.get('/admin/lrs/statements?learner=browse%40example.org');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('Browse Person');
    expect(list.text).to.contain(ids[0]!);
    expect(list.text).not.to.contain(ids[1]!);
    const one = await agent.get(`/admin/lrs/statements?id=${ids[0]}`);
    expect(one.status).to.equal(200);
    expect(one.text).to.contain('&quot;mbox&quot;: &quot;mailto:browse@example.org&quot;');
    expect((await agent.get('/admin/lrs/statements?verb=kein-iri')).status).to.equal(400);
  });

  it('keeps the pages from non-admins', async () => {
    const { agent } = await app.loggedIn(['trainer']);
    expect((await agent.get('/admin/lrs/clients')).status).to.equal(403);
    expect((await agent.get('/admin/lrs/statements')).status).to.equal(403);
  });
});
