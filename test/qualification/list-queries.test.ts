import { expect } from 'chai';
import { countPageCommands, expectBounded, numbered } from '../support/query-count.ts';
import { login as logIn, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { createSession, qualification, verifyPrerequisites } from './helpers.ts';

/** How often a string occurs in a page. */
const occurrences = (text: string, needle: string | RegExp) => (typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(needle) ?? []).length);

async function loggedIn(app: TestApp, roles: Array<'learner' | 'trainer' | 'admin'>, name?: string): Promise<{ agent: Agent; id: string }> {
  const user = await app.createUser(roles, name ? { name } : {});
  const agent = app.agent();
  expect((await logIn(agent, user.email, user.password)).status).to.equal(302);
  return { agent, id: user.id };
}

/** Learners named "<prefix> 01" … so that a page can be checked for every one of them. */
async function createLearners(app: TestApp, prefix: string, count: number): Promise<Array<{ id: string; email: string }>> {
  const people: Array<{ id: string; email: string }> = [];
  for (let i = 1; i <= count; i++) people.push(await app.createUser(['learner'], { name: numbered(prefix, i) }));
  return people;
}

describe('qualification: trainer lists cost the same number of queries for 50 rows as for one', () => {
  let app: TestApp;
  let trainer: { agent: Agent; id: string };
  let learners: string[];
  before(async () => {
    app = await startTestApp();
    trainer = await loggedIn(app, ['trainer']);
    learners = (await createLearners(app, 'Lernende', 50)).map((p) => p.id);
  });
  after(async () => app.stop());
  const q = () => qualification(app).service;

  it('lists 50 learners on /trainer/verifications with as many queries as for one', async () => {
    const enter = (id: string) =>
      q().prerequisites.saveAuthorisation(id, { number: `OM-${id.slice(-6)}`, date: new Date('2024-05-02'), partner: 'Partner Saar e. V.' });
    // trainers see the pending verifications of their cohorts' learners
    await q().planning.createCohort({ name: 'Durchgang Nachweise', region: 'saarland', trainerIds: [trainer.id], learnerIds: learners });
    await enter(learners[0]!);
    const one = await countPageCommands(app, trainer.agent, '/trainer/verifications');
    for (const id of learners.slice(1)) await enter(id);
    const many = await countPageCommands(app, trainer.agent, '/trainer/verifications');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text, numbered('Lernende', i)).to.include(numbered('Lernende', i));
  });

  it('shows 50 learners in the cohort roster on /trainer/cohorts/:id with as many queries as for one', async () => {
    const planning = q().planning;
    const cohort = await planning.createCohort({ name: 'Durchgang Liste', region: 'saarland', trainerIds: [trainer.id], learnerIds: [learners[0]!] });
    const one = await countPageCommands(app, trainer.agent, `/trainer/cohorts/${cohort.id}`);
    await planning.updateCohort(cohort.id, { learnerIds: learners });
    const many = await countPageCommands(app, trainer.agent, `/trainer/cohorts/${cohort.id}`);
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text, numbered('Lernende', i)).to.include(numbered('Lernende', i));
  });

  it('shows 50 learners in the session roster on /trainer/sessions/:id with as many queries as for one', async () => {
    // 40 seats: the last ten wait, so the roster shows both kinds of rows
    const session = await createSession(app, { title: 'Rostertermin', trainerIds: [trainer.id], capacity: 40 });
    const register = async (id: string) => {
      await verifyPrerequisites(app, id);
      await q().registration.register(id, session.id);
    };
    await register(learners[0]!);
    const one = await countPageCommands(app, trainer.agent, `/trainer/sessions/${session.id}`);
    for (const id of learners.slice(1)) await register(id);
    const many = await countPageCommands(app, trainer.agent, `/trainer/sessions/${session.id}`);
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text, numbered('Lernende', i)).to.include(numbered('Lernende', i));
  });

  it('lists 50 cohorts with their sessions on /trainer with as many queries as for one', async () => {
    const lead = await loggedIn(app, ['trainer']);
    const addCohort = async (i: number) => {
      const c = await q().planning.createCohort({ name: numbered('Kohorte', i), region: 'saarland', trainerIds: [lead.id], learnerIds: [] });
      await createSession(app, { title: numbered('Kohortentermin', i), cohortId: c.id });
    };
    await addCohort(1);
    const one = await countPageCommands(app, lead.agent, '/trainer');
    for (let i = 2; i <= 50; i++) await addCohort(i);
    const many = await countPageCommands(app, lead.agent, '/trainer');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) {
      expect(many.text, numbered('Kohorte', i)).to.include(numbered('Kohorte', i));
      expect(many.text, numbered('Kohortentermin', i)).to.include(numbered('Kohortentermin', i));
    }
  });
});

describe("qualification: the learner's session list and path cost the same number of queries for 50 sessions as for one", () => {
  let app: TestApp;
  let learner: { agent: Agent; id: string };
  let other: string;
  let cohortId: string;
  before(async () => {
    app = await startTestApp();
    learner = await loggedIn(app, ['learner']);
    other = (await app.createUser(['learner'])).id;
    await verifyPrerequisites(app, learner.id);
    await verifyPrerequisites(app, other);
    // a cohort the learner does not train: the API asks for each session whether its link may be shown
    cohortId = (await qualification(app).service.planning.createCohort({ name: 'Fremder Durchgang', region: 'saarland', trainerIds: [], learnerIds: [] })).id;
  });
  after(async () => app.stop());

  /** Session i: the learner waits (i % 3 = 1, someone else holds the one seat), is registered (2), or neither (0). */
  async function addSession(i: number) {
    const s = await createSession(app, { title: numbered('Listentermin', i), capacity: 1, cohortId });
    const registration = qualification(app).service.registration;
    if (i % 3 === 1) {
      await registration.register(other, s.id);
      await registration.register(learner.id, s.id);
    }
    if (i % 3 === 2) await registration.register(learner.id, s.id);
  }

  const measure = async () => {
    const sessions = await countPageCommands(app, learner.agent, '/sessions');
    const api = await countPageCommands(app, learner.agent, '/api/qualification/sessions');
    const path = await countPageCommands(app, learner.agent, '/path');
    return { sessions, api, path };
  };

  it('lists 50 sessions on /sessions, GET /api/qualification/sessions and /path with as many queries as for one', async () => {
    await addSession(1);
    const one = await measure();
    for (let i = 2; i <= 50; i++) await addSession(i);
    const many = await measure();
    expectBounded(one.sessions.commands, many.sessions.commands);
    expectBounded(one.api.commands, many.api.commands);
    expectBounded(one.path.commands, many.path.commands);

    for (let i = 1; i <= 50; i++) expect(many.sessions.text, numbered('Listentermin', i)).to.include(numbered('Listentermin', i));
    const listed = JSON.parse(many.api.text) as Array<{
      title: string;
      registration: { status: string; position?: number };
      participants: number;
      waiting: number;
      meetingLink?: string;
    }>;
    expect(listed).to.have.length(50);
    for (const s of listed) {
      const i = Number(s.title.slice(-2));
      const expected = i % 3 === 1 ? { status: 'waiting', position: 1 } : i % 3 === 2 ? { status: 'registered' } : { status: 'none' };
      expect(s.registration, s.title).to.deep.equal(expected);
      expect(s.participants, s.title).to.equal(i % 3 === 0 ? 0 : 1);
      expect(s.waiting, s.title).to.equal(i % 3 === 1 ? 1 : 0);
      // the meeting link only for participants
      expect(Boolean(s.meetingLink), s.title).to.equal(i % 3 === 2);
    }
    // the path lists the sessions the learner holds a seat in or waits for
    for (let i = 1; i <= 50; i++) {
      expect(occurrences(many.path.text, numbered('Listentermin', i)), numbered('Listentermin', i)).to.equal(i % 3 === 0 ? 0 : 1);
    }
  });
});

describe("qualification: the admin's overview costs the same number of queries for 50 sessions, cohorts and mentorships as for one", () => {
  let app: TestApp;
  let admin: { agent: Agent; id: string };
  let mentees: Array<{ id: string; email: string }>;
  let learners: string[];
  let mentor: string;
  before(async () => {
    app = await startTestApp();
    admin = await loggedIn(app, ['admin']);
    mentees = await createLearners(app, 'Mentee', 50);
    learners = mentees.map((p) => p.id);
    mentor = (await app.createUser(['learner'], { name: 'Erfahrene Lotsin' })).id;
  });
  after(async () => app.stop());

  it('lists 50 sessions, 50 cohorts and 50 mentorships on /admin/qualification with as many queries as for one', async () => {
    const planning = qualification(app).service.planning;
    const add = async (i: number) => {
      await createSession(app, { title: numbered('Admintermin', i) });
      await planning.createCohort({ name: numbered('Admindurchgang', i), region: 'saarland', trainerIds: [], learnerIds: [learners[i - 1]!] });
      await planning.assignMentor(admin.id, learners[i - 1]!, mentor);
    };
    await add(1);
    const one = await countPageCommands(app, admin.agent, '/admin/qualification');
    for (let i = 2; i <= 50; i++) await add(i);
    const many = await countPageCommands(app, admin.agent, '/admin/qualification');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) {
      expect(many.text).to.include(numbered('Admintermin', i));
      expect(many.text).to.include(numbered('Admindurchgang', i));
      expect(many.text).to.include(`${numbered('Mentee', i)} ← Erfahrene Lotsin`);
    }
  });

  it('shows 50 rows of a CSV import on /admin/qualification/import/:id with as many queries as for one', async () => {
    const csvOf = (people: Array<{ email: string }>) =>
      [
        'E-Mail;Nummer;Datum;Partnerorganisation',
        ...people.map((p, i) => `${p.email.toUpperCase()};OM-LISTE-${String(i + 1).padStart(3, '0')};01.03.2024;Partner Saar e. V.`),
      ].join('\r\n');
    const upload = (people: Array<{ email: string }>) => qualification(app).service.csvImport.upload(admin.id, csvOf(people), 'partner.csv');
    const small = await upload(mentees.slice(0, 1));
    const one = await countPageCommands(app, admin.agent, `/admin/qualification/import/${small.importId}`);
    const large = await upload([...mentees, { email: 'niemand@example.org' }]);
    const many = await countPageCommands(app, admin.agent, `/admin/qualification/import/${large.importId}`);
    expectBounded(one.commands, many.commands);
    expect(large.errorCount).to.equal(1);
    expect(large.rows.slice(0, 50).map((r) => r.learnerId)).to.deep.equal(learners);
    for (let i = 1; i <= 50; i++)
      expect(many.text)
        .to.include(numbered('Mentee', i))
        .and.to.include(`OM-LISTE-${String(i).padStart(3, '0')}`);
    expect(many.text).to.include('Zu „niemand@example.org“ gibt es kein Konto.');
  });
});
