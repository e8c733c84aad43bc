import { expect } from 'chai';
import { csrfFrom, csrfToken, startTestApp, type TestApp } from '../support/test-app.ts';

describe('visitors without a session', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  const sessionCount = () => app.running.connection.collection('sessions').countDocuments();

  it('store no session for cookie-less page views, forms included', async () => {
    const before = await sessionCount();
    for (let i = 0; i < 5; i++) {
      for (const page of ['/', '/login', '/register', '/password/forgot', '/verify', '/gibt-es-nicht']) {
        const res = await fetch(`${app.url}${page}`, { headers: { Accept: 'text/html' } });
        expect(res.status, page).to.be.oneOf([200, 404]);
      }
    }
    expect(await sessionCount()).to.equal(before);
  });

  it('still protect the login form: its token only works with the cookie it was made for', async () => {
    const user = await app.createUser();
    const first = app.agent();
    const token = await csrfToken(first, '/login');
    // another browser (its own cookie) replays the first one's token
    const other = app.agent();
    await other.get('/login');
    const replayed = await other.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(replayed.status).to.equal(403);
    const without = await app.agent().post('/login').type('form').send({ email: user.email, password: user.password });
    expect(without.status).to.equal(403);
    const own = await first.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(own.status).to.equal(302);
  });

  it('switch to the session token once logged in; a wrong token is refused', async () => {
    const { agent } = await app.loggedIn();
    const profile = await agent.get('/profile');
    expect(profile.status).to.equal(200);
    const token = csrfFrom(profile.text);
    const forged = await agent.post('/profile').type('form').send({ _csrf: 'nicht-das-token', name: 'X' });
    expect(forged.status).to.equal(403);
    expect(token).to.be.a('string').with.length.above(10);
  });
});
