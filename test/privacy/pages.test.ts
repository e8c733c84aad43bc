import { expect } from 'chai';
import { getBytes, postForm } from '../certificates/helpers.ts';
import { outbox } from '../qualification/helpers.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { unzip } from './scan.ts';
import { person, privacyOf } from './support.ts';

const linkIn = (text: string) => /\/privacy\/exports\/[A-Za-z0-9_-]+/.exec(text)?.[0];

describe('privacy: pages', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      env: { OPERATOR_NAME: 'Lotse Bildung gGmbH', OPERATOR_ADDRESS: 'Hafenstraße 1, 66111 Saarbrücken', OPERATOR_EMAIL: 'datenschutz@lotse.example.de' },
    });
  });
  after(async () => app.stop());

  it('shows /datenschutz and /impressum from the settings, with the cookies named and gaps visible', async () => {
    const notice = await app.agent().get('/datenschutz');
    expect(notice.status).to.equal(200);
    expect(notice.text).to.contain('Lotse Bildung gGmbH').and.contain('Hafenstraße 1, 66111 Saarbrücken');
    expect(notice.text).to.contain('nur technisch notwendige Cookies').and.contain('lotse.sid');
    expect(notice.text).to.contain('Der Registereintrag bleibt ohne Namen');
    const imprint = await app.agent().get('/impressum');
    expect(imprint.status).to.equal(200);
    expect(imprint.text).to.contain('Anbieter (§ 5 DDG)').and.contain('mailto:datenschutz@lotse.example.de');
    expect(imprint.text, 'an unset representative is shown as such').to.contain('nicht angegeben');
    expect((await app.agent().get('/')).text)
      .to.contain('href="/datenschutz"')
      .and.contain('href="/impressum"');
  });

  it('lets a learner ask for the export on "Meine Daten" and download it once with the mailed link', async () => {
    const learner = await person(app, ['learner']);
    const other = await person(app, ['learner']);
    const res = await postForm(learner.agent, '/profile/privacy', '/profile/privacy/export', {});
    expect(res.status).to.equal(303);
    await (await privacyOf(app)).service.exports.settle();
    expect((await learner.agent.get('/profile/privacy')).text).to.contain('bereit – Link per E-Mail');
    const link = linkIn((await outbox(app)).find((m) => m.to === learner.email)!.text)!;
    expect((await getBytes(other.agent, link)).status, 'someone else’s link').to.equal(404);
    const zip = await getBytes(learner.agent, link);
    expect(zip.status).to.equal(200);
    expect(zip.headers['content-type']).to.equal('application/zip');
    expect([...(await unzip(zip.body)).keys()])
      .to.include('README.md')
      .and.include('konto/konto.json');
    expect((await getBytes(learner.agent, link)).status, 'once').to.equal(410);
  });

  it('takes an erasure request only with the confirmation, lets it be withdrawn, and an admin confirm it', async () => {
    const learner = await person(app, ['learner']);
    const admin = await person(app, ['admin']);
    const refused = await postForm(learner.agent, '/profile/privacy', '/profile/privacy/erasure', {});
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Bitte bestätigen Sie, dass Sie die Folgen der Löschung verstanden haben.');
    expect((await postForm(learner.agent, '/profile/privacy', '/profile/privacy/erasure', { understood: 'yes' })).status).to.equal(303);
    let page = (await learner.agent.get('/profile/privacy')).text;
    expect(page).to.match(/Ihr Löschantrag L-[0-9A-Z]{8} vom .* ist beantragt/);
    const id = /\/profile\/privacy\/erasure\/([a-f0-9]{24})\/cancel/.exec(page)![1]!;
    expect((await postForm(learner.agent, '/profile/privacy', `/profile/privacy/erasure/${id}/cancel`, {})).status).to.equal(303);
    page = (await learner.agent.get('/profile/privacy')).text;
    expect(page).to.contain('Löschung beantragen');

    expect((await postForm(learner.agent, '/profile/privacy', '/profile/privacy/erasure', { understood: 'yes' })).status).to.equal(303);
    expect((await learner.agent.get('/admin/privacy')).status, 'admins only').to.equal(403);
    const adminPage = (await admin.agent.get('/admin/privacy')).text;
    const confirm = /\/admin\/privacy\/erasures\/([a-f0-9]{24})\/confirm/.exec(adminPage)![1]!;
    expect(adminPage).to.contain('Verzeichnis der gespeicherten Daten').and.contain('qualification_attendance');
    expect((await postForm(admin.agent, '/admin/privacy', `/admin/privacy/erasures/${confirm}/confirm`, {})).status).to.equal(303);
    await (await privacyOf(app)).service.erasures.settle();
    expect(await app.running.app.accounts.service.findUser(learner.id)).to.equal(undefined);
    expect((await learner.agent.get('/profile/privacy')).status, 'signed out by the erasure').to.equal(302);
    expect((await admin.agent.get('/admin/privacy')).text).to.contain('erledigt');

    const audit = await admin.agent.get('/admin/audit');
    expect(audit.status).to.equal(200);
    expect(audit.text).to.contain('Löschung bestätigt').and.contain('Löschung abgeschlossen');
    expect(audit.text, 'ids only').not.to.contain(learner.email);
    const csv = await admin.agent.get('/admin/audit.csv');
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    expect(csv.text).to.contain(`;${admin.id};erasure-confirm;L-`);
  });

  it("lets an admin ask for an export on a person's behalf: the link goes to the person", async () => {
    const learner = await person(app, ['learner']);
    const admin = await person(app, ['admin']);
    const res = await postForm(admin.agent, '/admin/privacy', '/admin/privacy/export', { email: learner.email });
    expect(res.status).to.equal(303);
    await (await privacyOf(app)).service.exports.settle();
    const mail = (await outbox(app)).find((m) => m.to === learner.email && m.subject.includes('Datenauskunft'));
    expect(mail).to.exist;
    expect((await getBytes(admin.agent, linkIn(mail!.text)!)).status, 'not the admin’s to download').to.equal(404);
    const unknown = await postForm(admin.agent, '/admin/privacy', '/admin/privacy/export', { email: 'niemand@example.org' });
    expect(unknown.status).to.equal(404);
    expect(unknown.text).to.contain('Zu dieser E-Mail-Adresse gibt es kein Konto.');
    const csv = (await admin.agent.get('/admin/audit.csv')).text;
    expect(csv).to.contain(`;${admin.id};export;${learner.id};`);
  });

  it('has every text in English too (no key shows through)', async () => {
    const learner = await person(app, ['learner']);
    const admin = await person(app, ['admin']);
    for (const [agent, path] of [
      [app.agent(), '/datenschutz?lng=en'],
      [app.agent(), '/impressum?lng=en'],
      [learner.agent, '/profile/privacy?lng=en'],
      [admin.agent, '/admin/privacy?lng=en'],
      [admin.agent, '/admin/audit?lng=en'],
      [app.agent(), '/register?lng=en'],
    ] as const) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).not.to.match(/privacy:[a-zA-Z]/);
      expect(res.text, path).to.match(/<html lang="en"/);
    }
  });
});
