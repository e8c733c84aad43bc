import { expect } from 'chai';
import { login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { apiToken, createSession, outbox, qualification, verifyPrerequisites } from './helpers.ts';

interface Learner {
  id: string;
  email: string;
  agent: Agent;
  token: string;
}

describe('qualification: capacity, waiting list and promotion under simultaneous registrations', function () {
  this.timeout(180_000);
  let app: TestApp;
  let learners: Learner[] = [];

  before(async () => {
    app = await startTestApp();
    // 50 learners with verified prerequisites, each logged in with its own session cookie
    const made: Learner[] = [];
    for (let batch = 0; batch < 5; batch++) {
      made.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async () => {
            const user = await app.createUser(['learner']);
            await verifyPrerequisites(app, user.id);
            const agent = app.agent();
            expect((await login(agent, user.email, user.password)).status).to.equal(302);
            return { id: user.id, email: user.email, agent, token: await apiToken(agent) };
          }),
        )),
      );
    }
    learners = made;
  });
  after(async () => app.stop());

  async function rush(sessionId: string) {
    const started = Date.now();
    const responses = await Promise.all(
      learners.map((l) => l.agent.post(`/api/qualification/sessions/${sessionId}/registration`).set('X-CSRF-Token', l.token).send({})),
    );
    return { responses, ms: Date.now() - started };
  }

  for (const round of [1, 2]) {
    it(`gives 50 simultaneous registrations for 10 seats exactly 10 participants and 40 waiting (round ${round}, ${process.env.TEST_DATABASE_SOURCE ?? 'database'})`, async () => {
      const s = await createSession(app, { capacity: 10, title: `Reflecting Team – Durchlauf ${round}` });
      const { responses, ms } = await rush(s.id);
      expect(responses.map((r) => r.status)).to.deep.equal(new Array(50).fill(201));
      const registered = responses.filter((r) => r.body.status === 'registered');
      const waiting = responses.filter((r) => r.body.status === 'waiting');
      expect(registered).to.have.length(10);
      expect(waiting).to.have.length(40);
      expect(registered.map((r) => r.body.seatNumber).sort((a: number, b: number) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

      // what is stored, read back: seats, waiting list, counts
      const q = qualification(app).service;
      expect(await q.registration.counts(s.id)).to.deep.equal({ participants: 10, waiting: 40 });
      const roster = await q.roster.forSession(s);
      expect(roster.rows.filter((r) => r.registration === 'registered')).to.have.length(10);
      const ranks = roster.rows.filter((r) => r.registration === 'waiting').map((r) => r.waitingRank);
      expect(ranks).to.have.length(40);
      expect(new Set(roster.rows.map((r) => r.learnerId)).size, 'nobody twice').to.equal(50);
      console.log(`      race on ${process.env.TEST_DATABASE_SOURCE}: 50 registrations for 10 seats answered in ${ms} ms`);
    });
  }

  it('promotes the first waiting learner when a participant cancels, and mails them', async () => {
    const s = await createSession(app, { capacity: 2, title: 'Reflecting Team – Nachrücken' });
    const [a, b, c, d] = learners as [Learner, Learner, Learner, Learner];
    const register = async (l: Learner) => (await l.agent.post(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', l.token).send({})).body;
    expect(await register(a)).to.deep.include({ status: 'registered' });
    expect(await register(b)).to.deep.include({ status: 'registered' });
    expect(await register(c)).to.deep.equal({ status: 'waiting', position: 1 });
    expect(await register(d)).to.deep.equal({ status: 'waiting', position: 2 });

    const cancel = await a.agent.delete(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', a.token);
    expect(cancel.status).to.equal(200);
    expect(cancel.body.promoted).to.deep.equal([c.id]);

    const stateOf = async (l: Learner) => (await l.agent.get(`/api/qualification/sessions/${s.id}`)).body;
    expect((await stateOf(c)).registration).to.deep.equal({ status: 'registered' });
    expect((await stateOf(c)).meetingLink, 'the promoted learner now sees the link').to.be.a('string');
    expect((await stateOf(d)).registration).to.deep.equal({ status: 'waiting', position: 1 });
    expect((await stateOf(a)).registration).to.deep.equal({ status: 'none' });
    expect(await qualification(app).service.registration.counts(s.id)).to.deep.equal({ participants: 2, waiting: 1 });
    const mails = (await outbox(app)).filter((m) => m.to === c.email);
    expect(mails.map((m) => m.subject)).to.include(`GeZu Lotse Academy: Sie sind nachgerückt – ${s.title}`);
  });

  it('refuses a cancellation after the cancellation deadline but lets a waiting learner leave the list', async () => {
    const now = Date.now();
    const s = await createSession(app, { capacity: 1, cancellationDeadline: new Date(now - 1000), registrationDeadline: new Date(now + 86_400_000) });
    const [a, b] = learners.slice(10) as [Learner, Learner];
    await a.agent.post(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', a.token).send({});
    await b.agent.post(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', b.token).send({});
    const late = await a.agent.delete(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', a.token);
    expect(late.status).to.equal(409);
    expect(late.body.error).to.contain('Abmeldefrist');
    const leave = await b.agent.delete(`/api/qualification/sessions/${s.id}/registration`).set('X-CSRF-Token', b.token);
    expect(leave.status).to.equal(200);
    expect(await qualification(app).service.registration.counts(s.id)).to.deep.equal({ participants: 1, waiting: 0 });
  });
});
