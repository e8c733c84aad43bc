import { expect } from 'chai';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { apiToken, EVIDENCE_PDF as PDF, qualification } from './helpers.ts';

describe('qualification: trainers see and act only on the learners of their cohorts', () => {
  let app: TestApp;
  type Person = { agent: Agent; id: string; name: string; token: string };
  let lena: Person;
  let ownTrainer: Person;
  let otherTrainer: Person;
  let admin: Person;
  let evidenceId: string;
  const login = async (roles: Array<'learner' | 'trainer' | 'admin'>): Promise<Person> => {
    const { agent, user } = await app.loggedIn(roles);
    return { agent, id: user.id, name: user.name, token: await apiToken(agent) };
  };
  const decide = (who: Person, kind: string, body: Record<string, string>) =>
    who.agent.post(`/api/qualification/learners/${lena.id}/prerequisites/${kind}/decision`).set('X-CSRF-Token', who.token).send(body);

  before(async () => {
    app = await startTestApp();
    [lena, ownTrainer, otherTrainer, admin] = [await login(['learner']), await login(['trainer']), await login(['trainer']), await login(['admin'])];
    const planning = qualification(app).service.planning;
    await planning.createCohort({ name: 'Durchgang Saar 2026/2', region: 'saarland', trainerIds: [ownTrainer.id], learnerIds: [lena.id] });
    // the other trainer leads a cohort too, just not Lena's
    await planning.createCohort({ name: 'Durchgang Ruhr 2026/2', region: 'rhein-ruhr', trainerIds: [otherTrainer.id], learnerIds: [] });
    await lena.agent
      .put('/api/qualification/prerequisites/authorisation')
      .set('X-CSRF-Token', lena.token)
      .send({ number: 'OM-SL-2025-0042', date: '2025-03-01', partner: 'Partner Saar e. V.' })
      .expect(200);
    await lena.agent
      .put('/api/qualification/prerequisites/workshop')
      .set('X-CSRF-Token', lena.token)
      .send({ date: '2025-04-01', place: 'virtuell' })
      .expect(200);
    const upload = await lena.agent
      .post('/api/qualification/prerequisites/authorisation/evidence')
      .set('X-CSRF-Token', lena.token)
      .attach('file', PDF, { filename: 'nachweis.pdf', contentType: 'application/pdf' });
    expect(upload.status).to.equal(201);
    evidenceId = upload.body.authorisation.evidenceFileId as string;
  });
  after(async () => app.stop());

  it("lists pending verifications only for learners of the trainer's cohorts (page, overview count and API)", async () => {
    const otherApi = await otherTrainer.agent.get('/api/qualification/verifications');
    expect(otherApi.status).to.equal(200);
    expect(otherApi.body.map((p: { learnerId: string }) => p.learnerId)).not.to.include(lena.id);
    expect((await otherTrainer.agent.get('/trainer/verifications')).text).not.to.contain(lena.name);
    expect((await otherTrainer.agent.get('/trainer')).text).to.contain('Nachweise prüfen (0 offen)');
    const ownApi = await ownTrainer.agent.get('/api/qualification/verifications');
    expect(ownApi.body.map((p: { learnerId: string }) => p.learnerId)).to.deep.equal([lena.id]);
    expect((await ownTrainer.agent.get('/trainer/verifications')).text).to.contain(lena.name);
    expect((await ownTrainer.agent.get('/trainer')).text).to.contain('Nachweise prüfen (1 offen)');
    expect((await admin.agent.get('/api/qualification/verifications')).body.map((p: { learnerId: string }) => p.learnerId)).to.include(lena.id);
  });

  it('refuses the evidence file to a trainer of another cohort and to a trainer without one (403)', async () => {
    const noCohort = await login(['trainer']);
    for (const trainer of [otherTrainer, noCohort]) {
      const res = await trainer.agent.get(`/qualification/evidence/${evidenceId}`);
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('Trainer/innen ihres Durchgangs');
    }
    expect((await ownTrainer.agent.get(`/qualification/evidence/${evidenceId}`)).status).to.equal(200);
    expect((await admin.agent.get(`/qualification/evidence/${evidenceId}`)).status).to.equal(200);
  });

  it("refuses a decision on another cohort's learner with 403 and a German message, page and API alike", async () => {
    const api = await decide(otherTrainer, 'authorisation', { decision: 'verified' });
    expect(api.status).to.equal(403);
    expect(api.body.error).to.equal('Diese Person gehört zu keinem Durchgang, den Sie betreuen.');
    const page = await otherTrainer.agent
      .post(`/trainer/verifications/${lena.id}/workshop`)
      .type('form')
      .send({ _csrf: otherTrainer.token, decision: 'verified' });
    expect(page.status).to.equal(403);
    expect(page.text).to.contain('Diese Person gehört zu keinem Durchgang, den Sie betreuen.');
    const prerequisites = (await lena.agent.get('/api/qualification/prerequisites')).body;
    expect([prerequisites.authorisation.state, prerequisites.workshop.state]).to.deep.equal(['pending', 'pending']);
  });

  it("lets the trainer of the learner's cohort and an admin decide", async () => {
    const own = await decide(ownTrainer, 'authorisation', { decision: 'verified' });
    expect(own.status).to.equal(200);
    expect(own.body.authorisation).to.deep.include({ state: 'verified', decidedBy: ownTrainer.id });
    const byAdmin = await decide(admin, 'workshop', { decision: 'rejected', reason: 'Datum fehlt auf dem Nachweis.' });
    expect(byAdmin.status).to.equal(200);
    expect(byAdmin.body.workshop.state).to.equal('rejected');
  });
});
