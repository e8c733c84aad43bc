import { expect } from 'chai';
import { ATTENDED_VERB } from '../../src/qualification/attendance.ts';
import { movableClock } from '../support/clock.ts';
import { login as logIn, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { apiToken, createSession, fakeProgress, qualification, verifyPrerequisites } from './helpers.ts';

describe('qualification: cohorts, rosters, attendance, mentors', () => {
  let app: TestApp;
  const progress = fakeProgress();
  // sessions lie in the future; attendance is marked from their start on
  const clock = movableClock();
  let trainerA: { agent: Agent; id: string; token: string };
  let trainerB: { agent: Agent; id: string; token: string };
  let admin: { agent: Agent; id: string; token: string };
  let juergen: { agent: Agent; id: string; token: string };
  let lena: { id: string };
  let cohort1: { id: string };
  let cohort2: { id: string };

  const login = async (roles: Array<'learner' | 'trainer' | 'admin'>, overrides = {}) => {
    const user = await app.createUser(roles, overrides);
    const agent = app.agent();
    expect((await logIn(agent, user.email, user.password)).status).to.equal(302);
    return { agent, id: user.id, token: await apiToken(agent) };
  };

  before(async () => {
    app = await startTestApp({ clock, standIns: { progress } });
    [trainerA, trainerB, admin] = [await login(['trainer']), await login(['trainer']), await login(['admin'])];
    juergen = await login(['learner'], { name: 'Jürgen Müller', region: 'saarland' });
    lena = { id: (await app.createUser(['learner'], { name: 'Lena Weiß', region: 'rhein-ruhr' })).id };
    await verifyPrerequisites(app, juergen.id);
    progress.set(juergen.id, 'tools-methoden', 'passed', 92);
    progress.set(juergen.id, 'technik', 'in-progress');
    const planning = qualification(app).service.planning;
    cohort1 = await planning.createCohort({ name: 'Durchgang Saar 2026/1', region: 'saarland', trainerIds: [trainerA.id], learnerIds: [juergen.id, lena.id] });
    cohort2 = await planning.createCohort({ name: 'Durchgang Ruhr 2026/1', region: 'rhein-ruhr', trainerIds: [trainerB.id], learnerIds: [lena.id] });
  });
  after(async () => app.stop());
  afterEach(() => clock.reset());

  it('refuses a trainer the roster of another cohort (403), page, CSV and API alike', async () => {
    expect((await trainerA.agent.get(`/trainer/cohorts/${cohort2.id}`)).status).to.equal(403);
    expect((await trainerA.agent.get(`/trainer/cohorts/${cohort2.id}/roster.csv`)).status).to.equal(403);
    expect((await trainerA.agent.get(`/api/qualification/cohorts/${cohort2.id}/roster`)).status).to.equal(403);
    expect((await trainerB.agent.get(`/trainer/cohorts/${cohort2.id}`)).status).to.equal(200);
    expect((await admin.agent.get(`/trainer/cohorts/${cohort2.id}`)).status).to.equal(200);
    expect((await juergen.agent.get(`/trainer/cohorts/${cohort1.id}`)).status, 'learners are no trainers').to.equal(403);
    const overview = await trainerA.agent.get('/trainer');
    expect(overview.text).to.contain('Durchgang Saar 2026/1');
    expect(overview.text).not.to.contain('Durchgang Ruhr 2026/1');
  });

  it('shows the cohort roster with prerequisites, Q1 status and score, filtered by region', async () => {
    const page = await trainerA.agent.get(`/trainer/cohorts/${cohort1.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Jürgen Müller');
    expect(page.text).to.contain('Lena Weiß');
    expect(page.text).to.contain('bestanden (92)');
    const api = await trainerA.agent.get(`/api/qualification/cohorts/${cohort1.id}/roster?region=saarland`);
    expect(api.status).to.equal(200);
    expect(api.body.rows.map((r: { name: string }) => r.name)).to.deep.equal(['Jürgen Müller']);
    expect(api.body.rows[0]).to.deep.include({ authorisation: 'verified', workshop: 'verified' });
    expect(api.body.rows[0].q1).to.deep.equal([
      // no content modules in this app: each module is shown by its slug
      { moduleSlug: 'tools-methoden', title: 'tools-methoden', status: 'passed', score: 92 },
      { moduleSlug: 'technik', title: 'technik', status: 'in-progress' },
      { moduleSlug: 'megatrends', title: 'megatrends', status: 'not-attempted' },
    ]);
    const filtered = await trainerA.agent.get(`/trainer/cohorts/${cohort1.id}?region=rhein-ruhr`);
    expect(filtered.text).to.contain('Lena Weiß');
    expect(filtered.text).not.to.contain('Jürgen Müller');
  });

  it('exports the roster as CSV in UTF-8 with BOM, umlauts intact', async () => {
    const res = await trainerA.agent
      .get(`/trainer/cohorts/${cohort1.id}/roster.csv`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const [header, ...rows] = text.trim().split('\r\n');
    expect(header).to.equal(
      'Name;E-Mail;Organisation;Region;Anmeldung;Autorisierung OM-Berater;Workshop Beratungsverständnis;Q1 tools-methoden Status;Q1 tools-methoden Punkte;Q1 technik Status;Q1 technik Punkte;Q1 megatrends Status;Q1 megatrends Punkte;Q2 Experimentierräume initiieren und moderieren;Q2 Netzwerk- und Community-Bildung;Q2 Reflecting Team',
    );
    expect(rows.find((r) => r.startsWith('Jürgen Müller;'))).to.contain(';bestätigt;bestätigt;bestanden;92;begonnen;;nicht begonnen;');
  });

  it('records attendance as an xAPI statement the LRS returns, and counts it toward the requirements', async () => {
    const s = await createSession(app, { topic: 'reflecting-team', cohortId: cohort1.id, title: 'Reflecting Team – Saar' });
    const reg = await juergen.agent.post(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', juergen.token).send({});
    expect(reg.status).to.equal(201);
    clock.travelTo(s.startsAt);

    expect(
      (
        await trainerB.agent
          .post(`/api/qualification/sessions/${s.id}/attendance`)
          .set('X-CSRF-Token', trainerB.token)
          .send({ learnerId: juergen.id, status: 'attended' })
      ).status,
      'not their session',
    ).to.equal(403);
    const notParticipant = await trainerA.agent
      .post(`/api/qualification/sessions/${s.id}/attendance`)
      .set('X-CSRF-Token', trainerA.token)
      .send({ learnerId: lena.id, status: 'attended' });
    expect(notParticipant.status).to.equal(409);

    const mark = await trainerA.agent
      .post(`/api/qualification/sessions/${s.id}/attendance`)
      .set('X-CSRF-Token', trainerA.token)
      .send({ learnerId: juergen.id, status: 'attended' });
    expect(mark.status).to.equal(201);
    const stored = (await app.running.app.lrs.service.getStatement(mark.body.statementId)) as {
      verb: { id: string };
      object: { id: string; definition: { name: Record<string, string> } };
      actor: { account: { name: string } };
      result: { success: boolean };
    };
    expect(stored, 'the LRS returns the statement').to.be.an('object');
    expect(stored.verb.id).to.equal(ATTENDED_VERB);
    expect(stored.object.id).to.equal(`${app.running.ctx.publicUrl()}/sessions/${s.id}`);
    expect(stored.object.definition.name['de-DE']).to.equal('Reflecting Team – Saar');
    expect(stored.actor.account.name).to.equal(juergen.id);
    expect(stored.result.success).to.equal(true);

    const e = (await juergen.agent.get('/api/qualification/eligibility')).body;
    expect(e.q2.find((t: { topic: string }) => t.topic === 'reflecting-team')).to.deep.include({
      attended: true,
      sessionId: s.id,
      sessionTitle: 'Reflecting Team – Saar',
    });
    expect(e.missing.map((m: { code: string }) => m.code)).to.deep.equal(['q1-incomplete', 'q2-topic-missing', 'q2-topic-missing']);
    const roster = await trainerA.agent.get(`/trainer/sessions/${s.id}`);
    expect(roster.status).to.equal(200);
    expect(roster.text).to.contain('Jürgen Müller');

    // the form: a trainer changes the mark to "excused"; a new statement, the projection follows
    const token = /name="_csrf" value="([^"]+)"/.exec(roster.text)?.[1];
    const form = await trainerA.agent
      .post(`/trainer/sessions/${s.id}/attendance`)
      .type('form')
      .send({ _csrf: token, learnerId: juergen.id, status: 'excused' });
    expect(form.status).to.equal(303);
    const after = (await juergen.agent.get('/api/qualification/eligibility')).body;
    expect(after.q2.find((t: { topic: string }) => t.topic === 'reflecting-team').attended).to.equal(false);
  });

  it('refuses attendance before the session starts (409), API and form alike, and records nothing', async () => {
    const s = await createSession(app, { topic: 'reflecting-team', cohortId: cohort1.id, title: 'Reflecting Team – noch nicht begonnen' });
    await qualification(app).service.registration.register(juergen.id, s.id);
    clock.travelTo(new Date(s.startsAt.getTime() - 60_000));
    const api = await trainerA.agent
      .post(`/api/qualification/sessions/${s.id}/attendance`)
      .set('X-CSRF-Token', trainerA.token)
      .send({ learnerId: juergen.id, status: 'attended' });
    expect(api.status).to.equal(409);
    expect(api.body.error).to.equal('Die Anwesenheit lässt sich erst ab Beginn des Termins erfassen.');
    const form = await trainerA.agent
      .post(`/trainer/sessions/${s.id}/attendance`)
      .type('form')
      .send({ _csrf: trainerA.token, learnerId: juergen.id, status: 'absent' });
    expect(form.status).to.equal(409);
    expect((await qualification(app).service.roster.forSession(s)).rows[0]!.attendance[0]!.status).to.equal(undefined);
    clock.travelTo(s.startsAt);
    const started = await trainerA.agent
      .post(`/api/qualification/sessions/${s.id}/attendance`)
      .set('X-CSRF-Token', trainerA.token)
      .send({ learnerId: juergen.id, status: 'absent' });
    expect(started.status).to.equal(201);
  });

  it('declares a learner eligible once prerequisites, Q1 and every Q2 topic are done', async () => {
    const user = await app.createUser(['learner']);
    await verifyPrerequisites(app, user.id);
    for (const slug of ['tools-methoden', 'technik', 'megatrends']) progress.set(user.id, slug, 'completed');
    const q = qualification(app).service;
    for (const topic of ['experimentierraeume', 'netzwerk-community', 'reflecting-team']) {
      const s = await createSession(app, { topic, trainerIds: [trainerA.id] });
      await q.registration.register(user.id, s.id);
      clock.travelTo(s.startsAt);
      await q.attendance.mark(trainerA.id, s, user.id, 'attended');
      clock.reset();
    }
    const e = await q.eligibility(user.id);
    expect(e.missing).to.deep.equal([]);
    expect(e.eligible).to.equal(true);
  });

  it("lets an admin assign a mentor who then reads the mentee's path, read-only", async () => {
    const mentor = await login(['learner'], { name: 'Erfahrene Lotsin' });
    const stranger = await login(['learner']);
    expect((await mentor.agent.get(`/path/${juergen.id}`)).status).to.equal(403);
    const res = await admin.agent.post('/api/qualification/mentors').set('X-CSRF-Token', admin.token).send({ learnerId: juergen.id, mentorId: mentor.id });
    expect(res.status).to.equal(201);
    const page = await mentor.agent.get(`/path/${juergen.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Nur-Lese-Ansicht: Sie sehen den Weg von Jürgen Müller.');
    expect(page.text).not.to.contain('action="/sessions/');
    expect((await mentor.agent.get('/path')).text).to.contain(`href="/path/${juergen.id}"`);
    expect((await stranger.agent.get(`/path/${juergen.id}`)).status).to.equal(403);
    expect((await mentor.agent.get(`/api/qualification/learners/${juergen.id}/eligibility`)).status).to.equal(200);
  });

  it('shows the learner path with the four stages, their states and next steps', async () => {
    const page = await juergen.agent.get('/path');
    expect(page.status).to.equal(200);
    for (const heading of ['1. Voraussetzungen', '2. Q1 – E-Learning-Module', '3. Q2 – Live-Termine', '4. Zertifikat']) expect(page.text).to.contain(heading);
    expect(page.text).to.contain('Q1-Module bearbeiten');
    expect(page.text).to.contain('href="/dashboard"');
    const fresh = await login(['learner']);
    const freshPage = await fresh.agent.get('/path');
    expect(freshPage.text).to.contain('Voraussetzungen eintragen und Nachweise hochladen');
    expect(freshPage.text).to.contain('href="/path/prerequisites#authorisation"');
  });
});
