import { expect } from 'chai';
import { cmi5Package } from '../fixtures/player/packages.ts';
import { launch, publishPackage } from '../player/support.ts';
import { postForm } from '../certificates/helpers.ts';
import { csrfToken, startTestApp, type TestApp } from '../support/test-app.ts';
import { person, privacyOf } from './support.ts';

describe('privacy: consent at registration, and staff actions in the audit trail', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { PRIVACY_NOTICE_VERSION: '2026-11-15' } });
  });
  after(async () => app.stop());

  const register = async (agent: ReturnType<TestApp['agent']>, extra: Record<string, string>) => {
    // the token first: the agent attaches its cookies when a request is made
    const _csrf = await csrfToken(agent, '/register');
    return agent
      .post('/register')
      .type('form')
      .send({
        _csrf,
        name: 'Clara Zustimmung',
        email: 'clara@example.org',
        organisation: '',
        region: 'saarland',
        password: 'sehr-geheim-123',
        passwordConfirm: 'sehr-geheim-123',
        ...extra,
      });
  };

  it('shows the privacy notice on the registration form and refuses it without the acknowledgement', async () => {
    const agent = app.agent();
    const form = await agent.get('/register');
    expect(form.text).to.contain('href="/datenschutz"').and.contain('Ich habe den Datenschutzhinweis (Fassung 2026-11-15) zur Kenntnis genommen.');
    const res = await register(agent, {});
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('Bitte bestätigen Sie, dass Sie den Datenschutzhinweis zur Kenntnis genommen haben.');
    expect(await app.running.app.accounts.service.findUsersByEmails(['clara@example.org'])).to.deep.equal([]);
  });

  it('records the acknowledgement with the version of the notice', async () => {
    const agent = app.agent();
    const res = await register(agent, { privacyNotice: 'yes' });
    expect(res.status, res.text.slice(0, 2000)).to.equal(302);
    const [clara] = await app.running.app.accounts.service.findUsersByEmails(['clara@example.org']);
    const consents = await (await privacyOf(app)).service.consentsOf(clara!.id);
    expect(consents.map((c) => [c.kind, c.version])).to.deep.equal([['privacy-notice', '2026-11-15']]);
    expect((await agent.get('/profile/privacy')).text).to.contain('(Fassung 2026-11-15)');
  });

  it('records an admin’s role change and deactivation, with ids and the roles only', async () => {
    const admin = await person(app, ['admin']);
    const target = await app.createUser(['learner']);
    expect((await postForm(admin.agent, '/admin/users', `/admin/users/${target.id}/roles`, { roles: 'trainer' })).status).to.equal(302);
    expect((await postForm(admin.agent, '/admin/users', `/admin/users/${target.id}/active`, { active: 'false' })).status).to.equal(302);
    const entries = (await (await privacyOf(app)).audit.list({})).filter((e) => e.actorId === admin.id);
    expect(entries.map((e) => [e.action, e.targetId, e.details])).to.deep.equal([
      ['account-active', target.id, '{"active":false}'],
      ['role-change', target.id, '{"roles":["trainer"]}'],
    ]);
  });

  it('records a waiver with the admin, the learner and the AU', async () => {
    const { module } = await publishPackage(app, cmi5Package('/* no script needed */'), 'cmi5-verzicht');
    const learner = await person(app, ['learner']);
    const admin = await person(app, ['admin']);
    const { attemptId } = await launch(learner.agent, module.id, 'new');
    const au = 'https://lotse.example.de/cmi5/player-test/au1';
    const res = await postForm(admin.agent, '/dashboard', '/admin/player/waive', { attemptId, itemId: au, reason: 'Anerkannte Vorkenntnisse' });
    expect(res.status).to.equal(303);
    const [entry] = await (await privacyOf(app)).audit.list({ action: 'waiver' });
    expect(entry).to.include({ actorId: admin.id, targetId: learner.id, details: JSON.stringify({ attemptId, itemId: au }) });
  });
});
