import { expect } from 'chai';
import { csrfFrom, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { qualification } from './helpers.ts';

describe('qualification: admin and trainer pages', () => {
  let app: TestApp;
  let admin: Agent;
  let trainerId: string;
  before(async () => {
    app = await startTestApp();
    admin = (await app.loggedIn(['admin'])).agent;
    trainerId = (await app.createUser(['trainer'], { name: 'Tobias Trainer' })).id;
  });
  after(async () => app.stop());

  const token = async (path: string) => csrfFrom((await admin.get(path)).text);

  it('shows the default requirements and lets an admin change them', async () => {
    const page = await admin.get('/admin/qualification');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Experimentierräume initiieren und moderieren');
    expect(page.text).to.contain('Netzwerk- und Community-Bildung');
    expect(page.text).to.contain('Reflecting Team');
    expect(page.text).to.contain('tools-methoden\ntechnik\nmegatrends');
    const res = await admin
      .post('/admin/qualification/requirements')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        q1Modules: 'tools-methoden\ntechnik\nmegatrends\nvertiefung',
        'q2Topics[0][key]': 'experimentierraeume',
        'q2Topics[0][title]': 'Experimentierräume initiieren und moderieren',
        'q2Topics[0][requiresQ1]': 'true',
        'q2Topics[1][key]': 'reflecting-team',
        'q2Topics[1][title]': 'Reflecting Team',
        'q2Topics[2][key]': '',
        'q2Topics[2][title]': '',
      });
    expect(res.status).to.equal(303);
    const req = await qualification(app).service.requirements.get();
    expect(req.q1Modules).to.deep.equal(['tools-methoden', 'technik', 'megatrends', 'vertiefung']);
    expect(req.q2Topics).to.deep.equal([
      { key: 'experimentierraeume', title: 'Experimentierräume initiieren und moderieren', requiresQ1: true },
      { key: 'reflecting-team', title: 'Reflecting Team', requiresQ1: false },
    ]);
  });

  it('creates a session through the form (German local time) and refuses an end before the start', async () => {
    const csrf = await token('/admin/qualification/sessions/new');
    const base = {
      _csrf: csrf,
      title: 'Experimentierräume in Saarbrücken',
      topic: 'experimentierraeume',
      format: 'praesenz',
      place: 'IHK Saarland, Franz-Josef-Röder-Str. 9',
      meetingLink: '',
      region: 'saarland',
      cohortId: '',
      trainerIds: trainerId,
      capacity: '12',
      startsAt: '2031-03-10T09:30',
      endsAt: '2031-03-10T16:00',
      registrationDeadline: '2031-03-01T23:59',
      cancellationDeadline: '2031-03-05T12:00',
    };
    const bad = await admin
      .post('/admin/qualification/sessions')
      .type('form')
      .send({ ...base, endsAt: '2031-03-10T08:00' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('Das Ende muss nach dem Beginn liegen.');
    const ok = await admin.post('/admin/qualification/sessions').type('form').send(base);
    expect(ok.status).to.equal(303);
    const id = /\/sessions\/([a-f0-9]{24})$/.exec(ok.headers.location!)?.[1];
    const s = await qualification(app).service.planning.sessionOr404(id!);
    expect(s.startsAt.toISOString()).to.equal('2031-03-10T08:30:00.000Z'); // 09:30 CET
    expect(s.trainerIds).to.deep.equal([trainerId]);
    const page = await admin.get(`/sessions/${id}`);
    expect(page.text).to.contain('10.03.2031, 09:30');
    expect(page.text).to.contain('IHK Saarland');
    const edit = await admin.get(`/admin/qualification/sessions/${id}/edit`);
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('value="2031-03-10T09:30"');
  });

  it('creates a cohort from e-mail addresses and names unknown ones', async () => {
    const learner = await app.createUser(['learner']);
    const csrf = await token('/admin/qualification/cohorts/new');
    const bad = await admin
      .post('/admin/qualification/cohorts')
      .type('form')
      .send({
        _csrf: csrf,
        name: 'Durchgang Süd',
        region: 'baden-wuerttemberg',
        trainerIds: trainerId,
        learnerEmails: `${learner.email}\nniemand@example.org`,
      });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('niemand@example.org');
    const ok = await admin
      .post('/admin/qualification/cohorts')
      .type('form')
      .send({ _csrf: csrf, name: 'Durchgang Süd', region: 'baden-wuerttemberg', trainerIds: trainerId, learnerEmails: learner.email });
    expect(ok.status).to.equal(303);
    const roster = await admin.get(ok.headers.location!);
    expect(roster.status).to.equal(200);
    expect(roster.text).to.contain(learner.name);
  });

  it('lists pending evidence for trainers and records the decision from the page', async () => {
    const learner = await app.createUser(['learner'], { name: 'Petra Prüfling' });
    await qualification(app).service.prerequisites.saveWorkshop(learner.id, { date: new Date('2024-01-15'), place: 'virtuell' });
    const trainer = await app.loggedIn(['trainer']);
    await qualification(app).service.planning.createCohort({
      name: 'Durchgang Prüfung',
      region: 'saarland',
      trainerIds: [trainer.user.id],
      learnerIds: [learner.id],
    });
    const page = await trainer.agent.get('/trainer/verifications');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Petra Prüfling');
    const res = await trainer.agent
      .post(`/trainer/verifications/${learner.id}/workshop`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), decision: 'verified', reason: '' });
    expect(res.status).to.equal(303);
    const p = await qualification(app).service.prerequisites.get(learner.id);
    expect(p.workshop).to.deep.include({ state: 'verified', decidedBy: trainer.user.id });
  });

  it('keeps the admin pages from non-admins', async () => {
    const trainer = await app.loggedIn(['trainer']);
    expect((await trainer.agent.get('/admin/qualification')).status).to.equal(403);
    expect((await trainer.agent.get('/admin/qualification/import')).status).to.equal(403);
    const learner = await app.loggedIn(['learner']);
    expect((await learner.agent.get('/trainer')).status).to.equal(403);
  });
});
