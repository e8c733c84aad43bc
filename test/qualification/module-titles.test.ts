import { expect } from 'chai';
import type { ProgressPort } from '../../src/qualification/ports.ts';
import { login as logIn, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { createSession, fakeProgress, publishQ1Modules, qualification, Q1_MODULES, verifyPrerequisites } from './helpers.ts';

/** Positions of the strings in a text; -1 where missing. */
const positions = (text: string, needles: readonly string[]) => needles.map((n) => text.indexOf(n));
const ascending = (xs: number[]) => xs.every((x, i) => x >= 0 && (i === 0 || x > xs[i - 1]!));

describe('qualification: Q1 modules by title, in the order of the requirements', () => {
  let app: TestApp;
  const fake = fakeProgress();
  // the player's records may come back in any order: the qualification orders them itself
  const shuffled: ProgressPort = { progressFor: async (learnerId, slugs) => (await fake.progressFor(learnerId, slugs)).reverse() };
  let learner: { agent: Agent; id: string };
  let trainer: { agent: Agent; id: string };
  let cohortId: string;
  const titles = Q1_MODULES.map((m) => m.title);

  const login = async (roles: Array<'learner' | 'trainer'>, overrides = {}) => {
    const user = await app.createUser(roles, overrides);
    const agent = app.agent();
    expect((await logIn(agent, user.email, user.password)).status).to.equal(302);
    return { agent, id: user.id };
  };

  before(async () => {
    app = await startTestApp({ standIns: { progress: shuffled } });
    await publishQ1Modules(app);
    learner = await login(['learner'], { name: 'Jürgen Müller' });
    trainer = await login(['trainer']);
    await verifyPrerequisites(app, learner.id);
    fake.set(learner.id, 'tools-methoden', 'passed', 92);
    cohortId = (
      await qualification(app).service.planning.createCohort({
        name: 'Durchgang Titel',
        region: 'saarland',
        trainerIds: [trainer.id],
        learnerIds: [learner.id],
      })
    ).id;
  });
  after(async () => app.stop());

  it('gives every Q1 entry of eligibility its content title, in the required order', async () => {
    const e = await qualification(app).service.eligibility(learner.id);
    expect(e.q1).to.deep.equal([
      { moduleSlug: 'tools-methoden', title: 'Q1 · Tools + Methoden', status: 'passed', score: 92 },
      { moduleSlug: 'technik', title: 'Q1 · Technik', status: 'not-attempted' },
      { moduleSlug: 'megatrends', title: 'Q1 · Megatrends', status: 'not-attempted' },
    ]);
    const missing = e.missing.find((m) => m.code === 'q1-incomplete');
    expect(missing?.message).to.equal('Noch nicht abgeschlossene Q1-Module: Q1 · Technik, Q1 · Megatrends.');
    const api = await learner.agent.get('/api/qualification/eligibility');
    expect(api.body.q1.map((m: { title: string }) => m.title)).to.deep.equal(titles);
  });

  it('shows the titles on the learner path page, in the required order, not the slugs', async () => {
    const page = await learner.agent.get('/path');
    expect(page.status).to.equal(200);
    expect(ascending(positions(page.text, titles)), 'titles in order tools-methoden, technik, megatrends').to.equal(true);
    expect(page.text).to.contain('<td>Q1 · Tools + Methoden</td>');
    expect(page.text).not.to.contain('<td>tools-methoden</td>');
  });

  it('heads the roster columns with the titles, page and CSV', async () => {
    const page = await trainer.agent.get(`/trainer/cohorts/${cohortId}`);
    expect(page.status).to.equal(200);
    expect(
      ascending(
        positions(
          page.text,
          titles.map((t) => `<th scope="col">${t}</th>`),
        ),
      ),
    ).to.equal(true);

    const csv = await trainer.agent
      .get(`/trainer/cohorts/${cohortId}/roster.csv`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(csv.status).to.equal(200);
    const [header, ...rows] = (csv.body as Buffer).toString('utf8').slice(1).trim().split('\r\n');
    expect(header).to.contain(
      ';Q1 · Tools + Methoden Status;Q1 · Tools + Methoden Punkte;Q1 · Technik Status;Q1 · Technik Punkte;Q1 · Megatrends Status;Q1 · Megatrends Punkte;',
    );
    expect(rows.find((r) => r.startsWith('Jürgen Müller;'))).to.contain(';bestanden;92;nicht begonnen;;nicht begonnen;;');
  });

  it('names the open modules by title when a Q2 session needs Q1 first', async () => {
    const s = await createSession(app, { topic: 'experimentierraeume', trainerIds: [trainer.id] });
    const reasons = await qualification(app).service.registration.gate(learner.id, s.id);
    expect(reasons.map((r) => r.message)).to.include(
      'Für diesen Termin müssen Sie zuerst alle Q1-Module abschließen. Noch offen: Q1 · Technik, Q1 · Megatrends.',
    );
  });
});
