import { expect } from 'chai';
import type { SessionUser } from '../../src/accounts/roles.ts';
import { csrfToken, login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { DAY, apiToken, createSession, fakeProgress, outbox, qualification } from './helpers.ts';

const STAFF = { id: 'test-admin', roles: ['admin'] };

describe('qualification: gated registration (API and form)', () => {
  let app: TestApp;
  const progress = fakeProgress();
  before(async () => {
    app = await startTestApp({ standIns: { progress } });
  });
  after(async () => app.stop());

  /** A learner whose prerequisites are entered and verified as listed. */
  async function learnerWith(state: {
    authorisation?: 'entered' | 'verified';
    workshop?: 'entered' | 'verified';
    q1?: boolean;
  }): Promise<{ agent: Agent; user: SessionUser }> {
    const user = await app.createUser(['learner']);
    const p = qualification(app).service.prerequisites;
    if (state.authorisation) await p.saveAuthorisation(user.id, { number: 'OM-2024-117', date: new Date('2024-05-02'), partner: 'Partner Saar e. V.' });
    if (state.workshop) await p.saveWorkshop(user.id, { date: new Date('2024-06-10'), place: 'Saarbrücken' });
    if (state.authorisation === 'verified') await p.decide(STAFF, user.id, 'authorisation', 'verified', undefined);
    if (state.workshop === 'verified') await p.decide(STAFF, user.id, 'workshop', 'verified', undefined);
    if (state.q1) for (const slug of ['tools-methoden', 'technik', 'megatrends']) progress.set(user.id, slug, 'passed', 90);
    const agent = app.agent();
    expect((await login(agent, user.email, user.password)).status).to.equal(302);
    return { agent, user };
  }

  async function viaApi(agent: Agent, sessionId: string) {
    return agent
      .post(`/api/qualification/sessions/${sessionId}/registration`)
      .set('X-CSRF-Token', await apiToken(agent))
      .send({});
  }
  async function viaForm(agent: Agent, sessionId: string) {
    const token = await csrfToken(agent, `/sessions/${sessionId}`);
    return agent.post(`/sessions/${sessionId}/register`).type('form').send({ _csrf: token });
  }

  /** Both channels refuse with exactly these reasons, each with its message and the link to fix it. */
  async function expectRefused(agent: Agent, sessionId: string, codes: string[], status: number, fixUrl: string, words: string) {
    const api = await viaApi(agent, sessionId);
    expect(api.status, JSON.stringify(api.body)).to.equal(status);
    expect(api.body.error).to.equal('Die Anmeldung ist nicht möglich.');
    expect(api.body.reasons.map((r: { code: string }) => r.code)).to.deep.equal(codes);
    expect(api.body.reasons[0].fixUrl).to.equal(fixUrl);
    expect(api.body.reasons[0].message).to.contain(words);

    const form = await viaForm(agent, sessionId);
    expect(form.status).to.equal(status);
    for (const code of codes) expect(form.text).to.contain(`data-code="${code}"`);
    expect(form.text).to.contain(`href="${fixUrl.replace(/&/g, '&amp;')}"`);
    expect(form.text).to.contain(words.replace(/„/g, '„'));
    const before = await agent.get(`/sessions/${sessionId}`);
    if (codes[0] !== 'already-registered')
      expect(before.text, 'the page names the gap before the attempt').to.contain(`href="${fixUrl.replace(/&/g, '&amp;')}"`);
    const state = await agent.get(`/api/qualification/sessions/${sessionId}`);
    expect(state.body.registration.status, 'nothing was registered').to.equal('none');
  }

  it('refuses without the authorisation: "authorisation-missing", with a link to enter it', async () => {
    const s = await createSession(app);
    const { agent } = await learnerWith({ workshop: 'verified' });
    await expectRefused(
      agent,
      s.id,
      ['authorisation-missing'],
      403,
      '/path/prerequisites#authorisation',
      'Autorisierung als OM-Beraterin bzw. OM-Berater fehlt',
    );
  });

  it('refuses with an unverified authorisation: "authorisation-not-verified"', async () => {
    const s = await createSession(app);
    const { agent } = await learnerWith({ authorisation: 'entered', workshop: 'verified' });
    await expectRefused(agent, s.id, ['authorisation-not-verified'], 403, '/path/prerequisites#authorisation', 'noch nicht bestätigt');
  });

  it('refuses without the workshop: "workshop-missing"', async () => {
    const s = await createSession(app);
    const { agent } = await learnerWith({ authorisation: 'verified' });
    await expectRefused(agent, s.id, ['workshop-missing'], 403, '/path/prerequisites#workshop', 'Workshop „Gemeinsames Beratungsverständnis“ fehlt');
  });

  it('refuses with an unverified workshop: "workshop-not-verified"', async () => {
    const s = await createSession(app);
    const { agent } = await learnerWith({ authorisation: 'verified', workshop: 'entered' });
    await expectRefused(agent, s.id, ['workshop-not-verified'], 403, '/path/prerequisites#workshop', 'noch nicht bestätigt');
  });

  it('names every missing prerequisite at once', async () => {
    const s = await createSession(app);
    const { agent } = await learnerWith({});
    const res = await viaApi(agent, s.id);
    expect(res.status).to.equal(403);
    expect(res.body.reasons.map((r: { code: string }) => r.code)).to.deep.equal(['authorisation-missing', 'workshop-missing']);
  });

  it('refuses a session type that requires Q1 while Q1 is incomplete: "q1-incomplete", naming the open modules', async () => {
    const s = await createSession(app, { topic: 'experimentierraeume' });
    const { agent, user } = await learnerWith({ authorisation: 'verified', workshop: 'verified' });
    progress.set(user.id, 'tools-methoden', 'passed', 80);
    await expectRefused(agent, s.id, ['q1-incomplete'], 403, '/dashboard', 'Noch offen: technik, megatrends');
  });

  it('does not ask for Q1 where the session type does not require it', async () => {
    const s = await createSession(app, { topic: 'reflecting-team' });
    const { agent } = await learnerWith({ authorisation: 'verified', workshop: 'verified' });
    const res = await viaApi(agent, s.id);
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.equal({ status: 'registered', seatNumber: 1 });
  });

  it('refuses after the registration deadline: "registration-closed"', async () => {
    const s = await createSession(app, { registrationDeadline: new Date(Date.now() - DAY) });
    const { agent } = await learnerWith({ authorisation: 'verified', workshop: 'verified', q1: true });
    await expectRefused(agent, s.id, ['registration-closed'], 409, '/sessions', 'Anmeldefrist für diesen Termin ist am');
  });

  it('refuses a second registration: "already-registered"', async () => {
    const s = await createSession(app);
    const { agent } = await learnerWith({ authorisation: 'verified', workshop: 'verified', q1: true });
    expect((await viaApi(agent, s.id)).status).to.equal(201);
    const api = await viaApi(agent, s.id);
    expect(api.status).to.equal(409);
    expect(api.body.reasons.map((r: { code: string }) => r.code)).to.deep.equal(['already-registered']);
    expect(api.body.reasons[0].fixUrl).to.equal(`/sessions/${s.id}`);
    const form = await viaForm(agent, s.id);
    expect(form.status).to.equal(409);
    expect(form.text).to.contain('data-code="already-registered"');
    expect(form.text).to.contain('Sie sind für diesen Termin bereits angemeldet.');
  });

  it('registers through the form when everything is satisfied, and mails a confirmation', async () => {
    const s = await createSession(app, { topic: 'experimentierraeume' });
    const { agent, user } = await learnerWith({ authorisation: 'verified', workshop: 'verified', q1: true });
    const res = await viaForm(agent, s.id);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/sessions/${s.id}`);
    const page = await agent.get(`/sessions/${s.id}`);
    expect(page.text).to.contain('Sie sind angemeldet.');
    expect(page.text).to.contain('https://meet.example.org/q2-geheim-4711');
    const mails = (await outbox(app)).filter((m) => m.to === user.email);
    expect(mails.map((m) => m.subject)).to.include(`GeZu Lotse Academy: Anmeldung bestätigt – ${s.title}`);
  });

  it('keeps the meeting link out of the page and the API for a learner who is not registered', async () => {
    const s = await createSession(app, { meetingLink: 'https://meet.example.org/nur-fuer-angemeldete-9931' });
    const { agent } = await learnerWith({ authorisation: 'verified', workshop: 'verified' });
    const page = await agent.get(`/sessions/${s.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(s.title);
    expect(page.text).not.to.contain('nur-fuer-angemeldete-9931');
    expect(page.text).to.contain('Der Zugangslink wird angemeldeten Teilnehmenden angezeigt.');
    const api = await agent.get(`/api/qualification/sessions/${s.id}`);
    expect(api.status).to.equal(200);
    expect(JSON.stringify(api.body)).not.to.contain('nur-fuer-angemeldete-9931');
    const list = await agent.get('/sessions');
    expect(list.text).not.to.contain('nur-fuer-angemeldete-9931');
    expect((await agent.get(`/sessions/${s.id}/calendar.ics`)).status).to.equal(403);
  });

  it('gives a registered participant the calendar file with the link', async () => {
    const s = await createSession(app, { title: 'Netzwerk, Community; Bildung', meetingLink: 'https://meet.example.org/ics-1234' });
    const { agent } = await learnerWith({ authorisation: 'verified', workshop: 'verified' });
    expect((await viaApi(agent, s.id)).status).to.equal(201);
    const ics = await agent
      .get(`/sessions/${s.id}/calendar.ics`)
      .buffer(true)
      .parse((res, cb) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => cb(null, data));
      });
    expect(ics.status).to.equal(200);
    expect(ics.headers['content-type']).to.match(/^text\/calendar/);
    const text = ics.body as string;
    expect(text).to.match(/^BEGIN:VCALENDAR\r\n/);
    expect(text).to.contain('SUMMARY:Netzwerk\\, Community\\; Bildung');
    expect(text).to.contain(
      `DTSTART:${s.startsAt
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')}`,
    );
    expect(text).to.contain('https://meet.example.org/ics-1234');
  });
});
