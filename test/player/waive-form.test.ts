import { expect } from 'chai';
import { cmi5Package, scorm12Package } from '../fixtures/player/packages.ts';
import { csrfFrom, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { launch, publishPackage } from './support.ts';

const AU = 'https://lotse.example.de/cmi5/player-test/au1';
const WAIVED = 'https://w3id.org/xapi/adl/verbs/waived';
const SATISFIED = 'https://w3id.org/xapi/adl/verbs/satisfied';
const REASON = 'https://w3id.org/xapi/cmi5/result/extensions/reason';

type Stmt = { verb: { id: string }; object: { id: string }; result?: { extensions?: Record<string, unknown> } };

describe('player: the admin waiver page (cmi5 waived with a reason)', () => {
  let app: TestApp;
  let admin: Agent;
  let moduleId: string;
  const statementsOf = async (registration: string) =>
    ((await app.running.app.lrs.service.getStatements({ registration, ascending: true, limit: 500 })) as unknown as { statements: Stmt[] }).statements;

  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    ({
      module: { id: moduleId },
    } = await publishPackage(app, cmi5Package('/* waiver */'), 'cmi5-erlass'));
    await publishPackage(app, scorm12Package(), 'scorm-kein-cmi5');
    ({ agent: admin } = await app.loggedIn(['admin']));
  });
  after(async () => app.stop());

  async function submit(values: Record<string, string>) {
    const page = await admin.get('/admin/player/waive');
    expect(page.status).to.equal(200);
    return admin
      .post('/admin/player/waive')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...values });
  }

  it('is linked from the administration and lists the cmi5 modules with their AUs only', async () => {
    const overview = await admin.get('/admin');
    expect(overview.text).to.contain('href="/admin/player/waive"');
    expect(overview.text).to.contain('AU erlassen (cmi5)');
    const page = await admin.get('/admin/player/waive');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`value="${moduleId}"`);
    expect(page.text).to.contain(`value="${AU}"`);
    expect(page.text).to.contain('Lerneinheit');
    expect(page.text).not.to.contain('scorm-kein-cmi5');
  });

  it('refuses non-admins with 403', async () => {
    for (const roles of [['learner'], ['author'], ['trainer']] as const) {
      const { agent } = await app.loggedIn([...roles]);
      expect((await agent.get('/admin/player/waive')).status).to.equal(403);
      const dash = await agent.get('/dashboard');
      const res = await agent
        .post('/admin/player/waive')
        .type('form')
        .send({ _csrf: csrfFrom(dash.text), email: 'x@example.org', moduleId, itemId: AU, reason: 'Vorkenntnisse' });
      expect(res.status).to.equal(403);
    }
  });

  it('shows German field errors: reason missing, unknown e-mail, AU of another module', async () => {
    const learner = await app.createUser();
    const noReason = await submit({ email: learner.email, moduleId, itemId: AU, reason: '' });
    expect(noReason.status).to.equal(400);
    expect(noReason.text).to.contain('Bitte geben Sie einen Grund an (mindestens 3 Zeichen).');
    expect(noReason.text).to.contain('id="field-reason-error"');
    // the form keeps what was entered
    expect(noReason.text).to.contain(`value="${learner.email}"`);

    const unknown = await submit({ email: 'niemand@example.org', moduleId, itemId: AU, reason: 'Vorkenntnisse' });
    expect(unknown.status).to.equal(400);
    expect(unknown.text).to.contain('Zu dieser E-Mail-Adresse gibt es kein Konto.');

    const wrongAu = await submit({ email: learner.email, moduleId, itemId: 'https://lotse.example.de/anderes/au', reason: 'Vorkenntnisse' });
    expect(wrongAu.status).to.equal(400);
    expect(wrongAu.text).to.contain('Diese Lerneinheit gehört nicht zum gewählten Modul');
    // a refused form leaves no attempt behind
    expect(await app.running.app.player.repo.listAttempts(learner.id, moduleId)).to.have.length(0);

    const empty = await submit({ email: '', moduleId: '', itemId: '', reason: '' });
    expect(empty.status).to.equal(400);
    expect(empty.text).to.contain('Bitte geben Sie die E-Mail-Adresse der Person an.');
    expect(empty.text).to.contain('Bitte wählen Sie ein Modul.');
  });

  it('waives the AU in the learner’s running attempt: waived with the reason, course satisfied, progress updated', async () => {
    const { agent, user } = await app.loggedIn();
    const { attemptId } = await launch(agent, moduleId);
    const res = await submit({ email: user.email.toUpperCase(), moduleId, itemId: AU, reason: 'Anerkannte Vorkenntnisse (IHK-Zertifikat)' });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    expect(res.headers.location).to.equal('/admin/player/waive');
    const after = await admin.get('/admin/player/waive');
    expect(after.text).to.contain(`Die Lerneinheit wurde für ${user.name} erlassen.`);

    const attempt = await app.running.app.player.repo.findAttempt(attemptId);
    expect(attempt?.satisfied).to.equal(true);
    const statements = await statementsOf(attempt!.registration);
    const waived = statements.find((s) => s.verb.id === WAIVED);
    expect(waived?.result?.extensions?.[REASON]).to.equal('Anerkannte Vorkenntnisse (IHK-Zertifikat)');
    expect(statements.some((s) => s.verb.id === SATISFIED && s.object.id === `${app.url}/activities/modules/cmi5-erlass`)).to.equal(true);
    const item = await app.running.app.player.repo.findItem(attemptId, AU);
    expect(item?.waivedReason).to.equal('Anerkannte Vorkenntnisse (IHK-Zertifikat)');
    const [p] = await app.running.app.player.service.progressFor(user.id, ['cmi5-erlass']);
    expect(p).to.deep.include({ status: 'completed', attempts: 1 });
  });

  it('waives for a learner who never started the module: a new registration carries the waiver', async () => {
    const learner = await app.createUser();
    const res = await submit({ email: learner.email, moduleId, itemId: AU, reason: 'Gleichwertige Schulung 2024' });
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const attempts = await app.running.app.player.repo.listAttempts(learner.id, moduleId);
    expect(attempts).to.have.length(1);
    expect(attempts[0]!.satisfied).to.equal(true);
    const statements = await statementsOf(attempts[0]!.registration);
    expect(statements.map((s) => s.verb.id)).to.include.members([WAIVED, SATISFIED]);
    const [p] = await app.running.app.player.service.progressFor(learner.id, ['cmi5-erlass']);
    expect(p!.status).to.equal('completed');
  });
});
