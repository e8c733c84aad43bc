import { expect } from 'chai';
import type { TestApp } from '../support/test-app.ts';
import { q, startLrsApp, statement, xapi } from './support.ts';

describe('lrs: documents, activities and agents resources', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());
  const agent = { mbox: 'mailto:doc@example.org' };
  const activityId = 'http://example.org/activities/doc';

  it('state: PUT, GET with ETag, POST merges JSON, list with since, DELETE', async () => {
    const path = `/activities/state${q({ activityId, agent, stateId: 'bookmark' })}`;
    expect((await xapi(app).put(path).send({ page: 1 })).status).to.equal(204);
    const got = await xapi(app).get(path);
    expect(got.status).to.equal(200);
    expect(got.body).to.deep.equal({ page: 1 });
    expect(got.headers.etag).to.match(/^"[0-9a-f]{40}"$/);
    expect((await xapi(app).post(path).send({ score: 3 })).status).to.equal(204);
    expect((await xapi(app).get(path)).body).to.deep.equal({ page: 1, score: 3 });
    const head = await xapi(app).head(path);
    expect(head.status).to.equal(200);
    const list = await xapi(app).get(`/activities/state${q({ activityId, agent, since: '2000-01-01T00:00:00Z' })}`);
    expect(list.body).to.deep.equal(['bookmark']);
    expect((await xapi(app).delete(path)).status).to.equal(204);
    expect((await xapi(app).get(path)).status).to.equal(404);
  });

  it('refuses to merge into a document that is not JSON (400)', async () => {
    const path = `/activities/state${q({ activityId, agent, stateId: 'text' })}`;
    await xapi(app).put(path).set('Content-Type', 'text/plain').send('hallo').expect(204);
    const res = await xapi(app).post(path).send({ a: 1 });
    expect(res.status).to.equal(400);
  });

  it('agent profile: If-None-Match/If-Match give 412, PUT without either gives 409 over a document', async () => {
    const path = `/agents/profile${q({ agent, profileId: 'prefs' })}`;
    expect((await xapi(app).put(path).send({ lang: 'de' })).status).to.equal(400);
    expect((await xapi(app).put(path).set('If-None-Match', '*').send({ lang: 'de' })).status).to.equal(204);
    const { etag } = (await xapi(app).get(path)).headers as { etag: string };
    expect((await xapi(app).put(path).set('If-None-Match', '*').send({ lang: 'en' })).status).to.equal(412);
    expect((await xapi(app).put(path).set('If-Match', '"0000000000000000000000000000000000000000"').send({ lang: 'en' })).status).to.equal(412);
    expect((await xapi(app).put(path).send({ lang: 'en' })).status).to.equal(409);
    expect((await xapi(app).put(path).set('If-Match', etag).send({ lang: 'en' })).status).to.equal(204);
    expect((await xapi(app).get(path)).body).to.deep.equal({ lang: 'en' });
  });

  it('activity profile: stores, lists and deletes', async () => {
    const path = `/activities/profile${q({ activityId, profileId: 'cmi5' })}`;
    await xapi(app).put(path).set('If-None-Match', '*').send({ x: 1 }).expect(204);
    expect((await xapi(app).get(`/activities/profile${q({ activityId })}`)).body).to.deep.equal(['cmi5']);
    expect((await xapi(app).delete(path)).status).to.equal(204);
  });

  it('answers 400 for a malformed agent parameter naming it', async () => {
    const res = await xapi(app).get(`/activities/state${q({ activityId, agent: { name: 'ohne IFI' }, stateId: 'x' })}`);
    expect(res.status).to.equal(400);
    expect(res.body.fields[0].field).to.equal('agent');
  });

  it('activities resource returns the definition merged from statements', async () => {
    const id = 'http://example.org/activities/merged';
    await xapi(app)
      .post('/statements')
      .send(statement({ object: { id, definition: { name: { 'de-DE': 'Modul' } } } }))
      .expect(200);
    await xapi(app)
      .post('/statements')
      .send(statement({ object: { id, definition: { name: { 'en-US': 'Module' } } } }))
      .expect(200);
    const res = await xapi(app).get(`/activities${q({ activityId: id })}`);
    expect(res.body).to.deep.equal({ objectType: 'Activity', id, definition: { name: { 'de-DE': 'Modul', 'en-US': 'Module' } } });
    expect((await xapi(app).get('/activities')).status).to.equal(400);
  });

  it('agents resource returns a Person', async () => {
    const res = await xapi(app).get(`/agents${q({ agent: { name: 'Lena', mbox: 'mailto:lena@example.org' } })}`);
    expect(res.body).to.deep.equal({ objectType: 'Person', name: ['Lena'], mbox: ['mailto:lena@example.org'] });
  });

  it('answers CORS preflights for browser content', async () => {
    const res = await xapi(app, null).get('/about').set('Origin', 'https://content.example.org');
    expect(res.headers['access-control-allow-origin']).to.equal('https://content.example.org');
  });

  it("never lets another origin read answers with the browser's credentials", async () => {
    const preflight = await xapi(app, null).options('/statements').set('Origin', 'https://evil.example.org').set('Access-Control-Request-Method', 'GET');
    expect(preflight.status).to.equal(204);
    expect(preflight.headers['access-control-allow-headers']).to.contain('Authorization');
    expect(preflight.headers).not.to.have.property('access-control-allow-credentials');
    const read = await xapi(app).get('/statements').set('Origin', 'https://evil.example.org');
    expect(read.status).to.equal(200);
    expect(read.headers).not.to.have.property('access-control-allow-credentials');
  });
});
