import { expect } from 'chai';
import { cmi5Package } from '../fixtures/player/packages.ts';
import { launch, publishPackage } from '../player/support.ts';
import { scorm12Single } from '../fixtures/content/packages.ts';
import { writeZip } from '../fixtures/content/zip-writer.ts';
import { csrfToken, login, startTestApp, type TestApp } from '../support/test-app.ts';
import { randomToken } from '../../src/shared/random.ts';

/**
 * Two app instances on one database, as behind a load balancer: everything that must hold across
 * requests lives in the database, so it holds whichever instance a request reaches.
 */
describe('two app instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    // MONGODB_URI as in production: package zips then default to GridFS, which both instances share
    const shared = {
      MONGODB_URI: process.env.TEST_MONGODB_URI!,
      MONGODB_DB: `t_two_${randomToken(6).replace(/[^A-Za-z0-9]/g, 'x')}`,
      SESSION_SECRET: randomToken(40),
    };
    a = await startTestApp({ env: shared });
    b = await startTestApp({ env: shared });
  });
  after(async () => {
    await b?.running.stop();
    await a?.stop();
  });

  it('keeps a login made on one instance valid on the other', async () => {
    const user = await a.createUser();
    const onA = a.agent();
    expect((await login(onA, user.email, user.password)).status).to.equal(302);
    const cookie = onA.jar.getCookie('lotse.sid', { domain: 'localhost', path: '/', secure: false, script: false });
    expect(cookie, 'session cookie').to.not.equal(undefined);
    const onB = await b.agent().get('/profile').set('Cookie', `lotse.sid=${cookie!.value}`);
    expect(onB.status).to.equal(200);
    expect(onB.text).to.contain(user.email);
  });

  it('counts failed logins across both instances', async () => {
    const user = await a.createUser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login((i % 2 ? b : a).agent(), user.email, `falsch-${i}`)).status);
    expect(statuses.slice(0, 4)).to.deep.equal([401, 401, 401, 401]);
    expect(statuses[4]).to.equal(429);
  });

  it('counts unknown certificate codes across both instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await (i % 2 ? b : a).agent().get(`/api/verify/ZZZZ-ZZZZ-ZZZZ-${String(2000 + i)}`)).status);
    expect(statuses.slice(0, 9)).to.deep.equal(Array(9).fill(404));
    expect(statuses[9]).to.equal(429);
  });

  it('spends a cmi5 fetch URL on both instances once it is used on one', async () => {
    const { module } = await publishPackage(a, cmi5Package('/* no script needed */'), 'zwei-instanzen');
    const user = await a.createUser();
    const learner = a.agent();
    expect((await login(learner, user.email, user.password)).status).to.equal(302);
    const { config } = await launch(learner, module.id);
    const fetchPath = new URL(new URL(config.contentUrl, a.url).searchParams.get('fetch')!).pathname;
    const first = await b.agent().post(fetchPath);
    expect(first.status).to.equal(200);
    expect(first.body['auth-token']).to.be.a('string');
    const again = await a.agent().post(fetchPath);
    expect(again.body['auth-token']).to.equal(undefined);
    expect(again.body['error-code']).to.equal('1');
  });

  it('launches a package on one instance the moment the other answers its import as published', async () => {
    const { agent: author } = await a.loggedIn(['author']);
    const token = await csrfToken(author, '/author/modules');
    const up = await author
      .post(`/author/modules/import?_csrf=${encodeURIComponent(token)}`)
      .set('Accept', 'application/json')
      .field('module', 'Auf A hochgeladen')
      .field('publish', 'on')
      .attach('package', writeZip(Object.entries(scorm12Single()).map(([name, data]) => ({ name, data }))), 'paket.zip');
    expect(up.status, up.text).to.equal(201);
    expect(up.body.version.packageStore).to.equal('gridfs');
    expect(up.body.module.publishedVersionId).to.equal(up.body.version.id);
    // B has never seen the package: it launches it and serves its files from GridFS
    const { agent: learner } = await b.loggedIn(['learner']);
    const { config } = await launch(learner, up.body.module.id, 'new');
    expect(new URL(config.contentUrl).port).to.equal(String((b.running.contentServer!.address() as { port: number }).port));
    const page = await fetch(config.contentUrl);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('Einführung');
  });

  it('runs each scheduled clean-up once per interval, whichever instance gets there first', async () => {
    const sessions = a.running.connection.collection('sessions');
    await sessions.insertOne({ _id: `expired-${randomToken(6)}` as never, expires: new Date(Date.now() - 60_000), session: '{}' });
    const [ranA, ranB] = await Promise.all([a.running.ctx.jobs.runDue(), b.running.ctx.jobs.runDue()]);
    expect(
      ranA.filter((j) => ranB.includes(j)),
      'jobs run on both',
    ).to.deep.equal([]);
    expect([...ranA, ...ranB].sort()).to.include.members(['accounts-clean-up', 'lrs-expired-credentials', 'sessions-clean-up', 'verify-throttle-clean-up']);
    expect(await sessions.countDocuments({ expires: { $lt: new Date() } })).to.equal(0);
    // the same interval again: nobody runs anything
    expect([...(await a.running.ctx.jobs.runDue()), ...(await b.running.ctx.jobs.runDue())]).to.deep.equal([]);
  });
});
