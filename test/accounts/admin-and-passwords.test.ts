import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { movableClock } from '../support/clock.ts';
import { csrfFrom, csrfToken, login, startTestApp, type TestApp } from '../support/test-app.ts';

async function lastMailTo(app: TestApp, email: string): Promise<string> {
  const dir = path.join(app.dataDir, 'outbox');
  const files = (await readdir(dir)).sort();
  for (const f of files.reverse()) {
    const mail = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as { to: string; text: string };
    if (mail.to === email) return mail.text;
  }
  throw new Error(`no mail to ${email}`);
}

const resetPathIn = (text: string) => {
  const m = /https?:\/\/[^/\s]+(\/password\/reset\/[A-Za-z0-9_-]+)/.exec(text);
  if (!m?.[1]) throw new Error('no reset link in mail');
  return m[1];
};

describe('accounts: admin pages, password reset, deactivation', () => {
  let app: TestApp;
  const clock = movableClock();
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app.stop());

  const adminPages = [
    '/admin',
    '/admin/users',
    '/admin/users?q=test&role=learner',
    '/admin/lrs/clients',
    '/admin/lrs/statements',
    '/admin/qualification',
    '/admin/qualification/import',
    '/admin/qualification/sessions/new',
    '/admin/qualification/cohorts/new',
    '/admin/certificates',
  ];

  it('gives every admin page 403 for a learner and a redirect to login for an anonymous visitor', async () => {
    const { agent } = await app.loggedIn(['learner']);
    for (const p of adminPages) {
      expect((await agent.get(p)).status, p).to.equal(403);
      const anon = await app.agent().get(p);
      expect(anon.status, p).to.equal(302);
      expect(anon.headers.location).to.match(/^\/login\?next=/);
    }
    const target = await app.createUser();
    const token = await csrfToken(agent, '/profile');
    const roles = await agent.post(`/admin/users/${target.id}/roles`).type('form').send({ _csrf: token, roles: 'admin' });
    expect(roles.status).to.equal(403);
    const deact = await agent.post(`/admin/users/${target.id}/active`).type('form').send({ _csrf: token, active: 'false' });
    expect(deact.status).to.equal(403);
  });

  it('lets an admin search users and change roles', async () => {
    const { agent } = await app.loggedIn(['admin']);
    const overview = await agent.get('/admin');
    expect(overview.status).to.equal(200);
    for (const link of ['/admin/users', '/admin/qualification', '/admin/certificates', '/admin/lrs/clients'])
      expect(overview.text).to.contain(`href="${link}"`);
    const target = await app.createUser(['learner'], { name: 'Zoë Großmann' });
    const list = await agent.get('/admin/users?q=Großmann');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('Zoë Großmann');
    const res = await agent
      .post(`/admin/users/${target.id}/roles`)
      .type('form')
      .send({ _csrf: csrfFrom(list.text), roles: ['learner', 'trainer'] });
    expect(res.status).to.equal(302);
    const user = await app.running.app.accounts.service.findUser(target.id);
    expect(user?.roles).to.deep.equal(['learner', 'trainer']);
  });

  it('logs a deactivated user out at their next request', async () => {
    const { agent: learner, user } = await app.loggedIn(['learner']);
    expect((await learner.get('/profile')).status).to.equal(200);
    const { agent: admin } = await app.loggedIn(['admin']);
    const page = await admin.get('/admin/users');
    const res = await admin
      .post(`/admin/users/${user.id}/active`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), active: 'false' });
    expect(res.status).to.equal(302);
    const after = await learner.get('/profile');
    expect(after.status).to.equal(302);
    expect(after.headers.location).to.match(/^\/login/);
    const again = await login(app.agent(), user.email, user.password);
    expect(again.status).to.equal(403);
    expect(again.text).to.contain('Dieses Konto ist deaktiviert');
  });

  it('sends a reset link that works once', async () => {
    const user = await app.createUser();
    const agent = app.agent();
    const token = await csrfToken(agent, '/password/forgot');
    const sent = await agent.post('/password/forgot').type('form').send({ _csrf: token, email: user.email });
    expect(sent.status).to.equal(302);
    const link = resetPathIn(await lastMailTo(app, user.email));
    const form = await agent.get(link);
    expect(form.status).to.equal(200);
    const done = await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), password: 'neues-passwort-1', passwordConfirm: 'neues-passwort-1' });
    expect(done.status).to.equal(302);
    expect((await login(app.agent(), user.email, 'neues-passwort-1')).status).to.equal(302);

    const second = await agent.get(link);
    expect(second.status).to.equal(410);
    expect(second.text).to.contain('ungültig, abgelaufen oder wurde bereits benutzt');
    const reuse = await agent
      .post(link)
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/login'), password: 'drittes-passwort', passwordConfirm: 'drittes-passwort' });
    expect(reuse.status).to.equal(404);
    expect((await login(app.agent(), user.email, 'drittes-passwort')).status).to.equal(401);
  });

  it('ends every outstanding reset link when one of them is used', async () => {
    const user = await app.createUser();
    const accounts = app.running.app.accounts.service;
    await accounts.requestPasswordReset(user.email, '192.0.2.10');
    const first = resetPathIn(await lastMailTo(app, user.email));
    await accounts.requestPasswordReset(user.email, '192.0.2.10');
    const second = resetPathIn(await lastMailTo(app, user.email));
    expect(second).not.to.equal(first);
    const agent = app.agent();
    const form = await agent.get(second);
    expect(form.status).to.equal(200);
    const done = await agent
      .post(second)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), password: 'neues-passwort-3', passwordConfirm: 'neues-passwort-3' });
    expect(done.status).to.equal(302);
    const older = await agent.get(first);
    expect(older.status).to.equal(410);
    expect(older.text).to.contain('ungültig, abgelaufen oder wurde bereits benutzt');
    const token = await csrfToken(agent, '/login');
    const reuse = await agent.post(first).type('form').send({ _csrf: token, password: 'viertes-passwort', passwordConfirm: 'viertes-passwort' });
    expect(reuse.status).to.equal(404);
    expect((await login(app.agent(), user.email, 'viertes-passwort')).status).to.equal(401);
    expect((await login(app.agent(), user.email, 'neues-passwort-3')).status).to.equal(302);
  });

  it('throttles reset requests per address, known or not, with 429 and a German message', async () => {
    const user = await app.createUser();
    const request = async (email: string) => {
      const agent = app.agent();
      const token = await csrfToken(agent, '/password/forgot');
      return agent.post('/password/forgot').type('form').send({ _csrf: token, email });
    };
    for (const email of [user.email, 'niemand@example.org']) {
      for (let i = 0; i < 3; i++) expect((await request(email)).status, `${email} #${i + 1}`).to.equal(302);
      const refused = await request(email);
      expect(refused.status, email).to.equal(429);
      expect(refused.text).to.contain('Zu viele Anfragen zum Zurücksetzen des Passworts');
    }
    const mails = (await readdir(path.join(app.dataDir, 'outbox'))).length;
    expect((await request(user.email)).status).to.equal(429);
    expect((await readdir(path.join(app.dataDir, 'outbox'))).length, 'no mail while locked').to.equal(mails);
  });

  it('refuses a reset link after it expired', async () => {
    const user = await app.createUser();
    await app.running.app.accounts.service.requestPasswordReset(user.email, '127.0.0.1');
    const link = resetPathIn(await lastMailTo(app, user.email));
    clock.advance(61 * 60_000);
    const agent = app.agent();
    expect((await agent.get(link)).status).to.equal(410);
    const res = await agent
      .post(link)
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/login'), password: 'neues-passwort-2', passwordConfirm: 'neues-passwort-2' });
    expect(res.status).to.equal(404);
    expect((await login(app.agent(), user.email, user.password)).status).to.equal(302);
  });

  it('ends other sessions when the password changes', async () => {
    const user = await app.createUser();
    const a = app.agent();
    const b = app.agent();
    await login(a, user.email, user.password);
    await login(b, user.email, user.password);
    const page = await a.get('/profile');
    const res = await a
      .post('/profile/password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), currentPassword: user.password, password: 'ganz-neu-12345', passwordConfirm: 'ganz-neu-12345' });
    expect(res.status).to.equal(302);
    expect((await a.get('/profile')).status).to.equal(200);
    expect((await b.get('/profile')).status).to.equal(302);
  });

  it('never answers bad input on a form with a 500', async () => {
    const { agent } = await app.loggedIn(['learner']);
    const page = await agent.get('/profile');
    const res = await agent
      .post('/profile')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name: '', region: 'atlantis', organisation: 'x'.repeat(500) });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Bitte geben Sie Ihren Namen ein');
    const weird = await agent
      .post('/profile')
      .type('form')
      .send(`_csrf=${encodeURIComponent(csrfFrom(page.text))}&name[$gt]=&region[]=a&region[]=b`);
    expect(weird.status).to.equal(400);
  });
});
