import { expect } from 'chai';
import { csrfToken, login, startTestApp, type TestApp } from '../support/test-app.ts';

const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith('lotse.sid='))
    ?.split(';')[0];

describe('accounts: registration and sign-in', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  it('registers a learner, logs out and logs in again', async () => {
    const agent = app.agent();
    const token = await csrfToken(agent, '/register');
    const reg = await agent.post('/register').type('form').send({
      _csrf: token,
      name: 'Jürgen Müller',
      email: 'Juergen.Mueller@Example.org',
      organisation: 'Müller Beratung',
      region: 'saarland',
      password: 'sehr-geheim-123',
      passwordConfirm: 'sehr-geheim-123',
      privacyNotice: 'yes',
    });
    expect(reg.status).to.equal(302);
    const profile = await agent.get('/profile');
    expect(profile.status).to.equal(200);
    expect(profile.text).to.contain('juergen.mueller@example.org');
    expect(profile.text).to.contain('Lernende/r');

    const logoutToken = await csrfToken(agent, '/profile');
    const out = await agent.post('/logout').type('form').send({ _csrf: logoutToken });
    expect(out.status).to.equal(302);
    expect((await agent.get('/profile')).status).to.equal(302);

    const res = await login(agent, 'JUERGEN.MUELLER@example.org', 'sehr-geheim-123');
    expect(res.status).to.equal(302);
    expect((await agent.get('/profile')).status).to.equal(200);
  });

  it('re-renders the registration form with German field errors and status 400', async () => {
    const agent = app.agent();
    const token = await csrfToken(agent, '/register');
    const res = await agent
      .post('/register')
      .type('form')
      .send({ _csrf: token, name: 'X', email: 'kein-mail', region: 'mars', password: 'kurz', passwordConfirm: 'anders' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Bitte geben Sie eine gültige E-Mail-Adresse ein.');
    expect(res.text).to.contain('Bitte wählen Sie Ihre Region.');
    expect(res.text).to.contain('mindestens 10');
    expect(res.text).to.contain('aria-invalid="true"');
    expect(res.text).not.to.contain('kurz"'); // passwords are never echoed
  });

  it('refuses a second account with the same e-mail in another case', async () => {
    const user = await app.createUser();
    const agent = app.agent();
    const token = await csrfToken(agent, '/register');
    const res = await agent.post('/register').type('form').send({
      _csrf: token,
      name: 'Doppelt',
      email: user.email.toUpperCase(),
      organisation: '',
      region: 'andere',
      password: 'sehr-geheim-123',
      passwordConfirm: 'sehr-geheim-123',
      privacyNotice: 'yes',
    });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Mit dieser E-Mail-Adresse gibt es bereits ein Konto.');
  });

  it('answers a wrong password with 401 and a clear message', async () => {
    const user = await app.createUser();
    const res = await login(app.agent(), user.email, 'falsches-passwort');
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('E-Mail-Adresse oder Passwort ist falsch.');
  });

  it('locks an account from this address after 5 failures and says when to try again', async () => {
    const user = await app.createUser();
    const agent = app.agent();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(agent, user.email, `falsch-${i}`)).status);
    expect(statuses.slice(0, 4)).to.deep.equal([401, 401, 401, 401]);
    expect(statuses[4]).to.equal(429);
    const locked = await login(agent, user.email, user.password);
    expect(locked.status).to.equal(429);
    expect(locked.text).to.contain('Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in 1 Minute erneut.');
    expect(locked.headers['retry-after']).to.equal('60');
  });

  it('gives a new session id at login', async () => {
    const user = await app.createUser();
    const agent = app.agent();
    // a visitor's session exists only once they submitted a form that keeps something (a message)
    const forgotToken = await csrfToken(agent, '/password/forgot');
    const forgot = await agent.post('/password/forgot').type('form').send({ _csrf: forgotToken, email: 'niemand@example.org' });
    expect(forgot.status).to.equal(302);
    const before = sessionCookie(forgot);
    expect(before, 'a session exists before login (flash message)').to.be.a('string');
    const page = await agent.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const res = await agent.post('/login').type('form').send({ _csrf: token, email: user.email, password: user.password });
    expect(res.status).to.equal(302);
    const after = sessionCookie(res);
    expect(after).to.be.a('string');
    expect(after).not.to.equal(before);
  });

  it('refuses a form without CSRF token with 403', async () => {
    const user = await app.createUser();
    const agent = app.agent();
    await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Das Formular ist abgelaufen oder ungültig');
  });

  it('keeps the welcome message for the next page when a request for a missing file comes in between', async () => {
    const { agent, user } = await app.loggedIn();
    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/profile') });
    expect(out.status).to.equal(302);
    await agent.get('/');
    expect((await login(agent, user.email, user.password)).status).to.equal(302);
    // what a browser asks for alongside a page, here between the redirect and its target
    expect((await agent.get('/favicon.ico')).status).to.equal(404);
    const home = await agent.get('/');
    expect(home.text).to.contain(`Willkommen, ${user.name}!`);
  });

  it('shows the styled 404 page for unknown paths', async () => {
    const res = await app.agent().get('/gibt-es-nicht');
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('Seite nicht gefunden');
    expect(res.text).to.contain('<html lang="de">');
  });

  it('switches the interface to English on request', async () => {
    const agent = app.agent();
    const res = await agent.get('/login?lng=en');
    expect(res.text).to.contain('<html lang="en">');
    expect(res.text).to.contain('Log in');
    expect((await agent.get('/')).text).to.contain('Qualification OM-Lotse');
  });
});
