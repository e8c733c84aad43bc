import { login, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { movableClock } from '../support/clock.ts';
import { commit, launch } from '../player/support.ts';
import { createSession, DAY, publishQ1Modules, qualification, verifyPrerequisites } from '../qualification/helpers.ts';

export interface Answer {
  id: string;
  response: string;
  correct: string;
}

/**
 * One sitting of a Q1 module as scorm-again reports it (SCORM 1.2, mastery score 80): the answers as
 * cmi.interactions, then the terminating commit with the score (or "incomplete" without one).
 */
export async function sitting(agent: Agent, moduleId: string, s: { answers?: Answer[]; score?: number; minutes: number }) {
  const { config } = await launch(agent, moduleId);
  const cmi: Record<string, string> = {};
  (s.answers ?? []).forEach((a, n) => {
    const p = `cmi.interactions.${n}.`;
    Object.assign(cmi, {
      [`${p}id`]: a.id,
      [`${p}type`]: 'choice',
      [`${p}student_response`]: a.response,
      [`${p}correct_responses.0.pattern`]: a.correct,
      [`${p}result`]: a.response === a.correct ? 'correct' : 'wrong',
    });
  });
  const status: Record<string, string> =
    s.score === undefined ? { 'cmi.core.lesson_status': 'incomplete' } : { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': String(s.score) };
  const res = await commit(
    agent,
    config,
    1,
    { ...cmi, ...status, 'cmi.core.session_time': `0000:${String(s.minutes).padStart(2, '0')}:00.00`, 'cmi.core.exit': '' },
    { terminate: true },
  );
  if (res.status !== 200) throw new Error(`commit ${res.status}: ${res.text.slice(0, 200)}`);
}

export const FRAGE_1 = (response: string): Answer => ({ id: 'abschlusstest.frage-1', response, correct: 'a' });
export const FRAGE_2 = (response: string): Answer => ({ id: 'abschlusstest.frage-2', response, correct: 'c' });

/**
 * A cohort of five, built through the app's services and real HTTP, 30 days long (the clock moves):
 *  - Anna: Tools + Methoden passed (90) on day 25, frage-1 a ✓, frage-2 b ✗, 10 min; attended the Q2 session
 *  - Bernd: failed twice (50 on day 24, 60 on day 26): frage-1 b ✗ then a ✓, frage-2 b ✗ then a ✗; 5 + 7 min
 *  - Clara: started on day 10 (incomplete, 3 min), nothing since; authorisation entered on day 2, unchecked
 *  - Dora: nothing started; authorisation rejected ("Nummer unleserlich")
 *  - Emil: passed (100) on day 26, frage-1 a ✓, frage-2 c ✓, 20 min; on the waiting list of the session
 * The Q2 session (Reflecting Team, one seat) starts on day 20; it is now day 30.
 */
export async function buildCohort() {
  const clock = movableClock();
  const app = await startTestApp({ clock });
  const now = new Date();
  const day = (n: number) => new Date(now.getTime() - (30 - n) * DAY);
  clock.travelTo(day(0));
  const modules = await publishQ1Modules(app);
  const tools = modules.get('tools-methoden')!;
  const q = qualification(app).service;
  const trainer = await app.createUser(['trainer'], { name: 'Tina Trainerin' });
  const people: Record<string, { id: string; email: string; password: string; agent: Agent }> = {};
  for (const name of ['Anna Arendt', 'Bernd Bauer', 'Clara Christ', 'Dora Dietz', 'Emil Ernst']) {
    const u = await app.createUser(['learner'], { name });
    const agent = app.agent();
    await login(agent, u.email, u.password);
    people[name.split(' ')[0]!] = { id: u.id, email: u.email, password: u.password, agent };
  }
  const { Anna, Bernd, Clara, Dora, Emil } = people as Record<
    'Anna' | 'Bernd' | 'Clara' | 'Dora' | 'Emil',
    { id: string; email: string; password: string; agent: Agent }
  >;
  const cohort = await q.planning.createCohort({
    name: 'Saar 2026',
    region: 'saarland',
    trainerIds: [trainer.id],
    learnerIds: [Anna.id, Bernd.id, Clara.id, Dora.id, Emil.id],
  });
  const session = await createSession(app, {
    topic: 'reflecting-team',
    cohortId: cohort.id,
    capacity: 1,
    startsAt: day(20),
    endsAt: new Date(day(20).getTime() + 3 * 3600_000),
    registrationDeadline: day(10),
    cancellationDeadline: day(15),
  });

  clock.travelTo(day(2));
  await q.prerequisites.saveAuthorisation(Clara.id, { number: 'OM-1', date: new Date('2024-05-02'), partner: 'Partner Saar e. V.' });
  await q.prerequisites.saveAuthorisation(Dora.id, { number: 'OM-2', date: new Date('2024-05-02'), partner: 'Partner Saar e. V.' });
  await q.prerequisites.decide({ id: trainer.id, roles: ['trainer'] }, Dora.id, 'authorisation', 'rejected', 'Nummer unleserlich');
  await verifyPrerequisites(app, Anna.id);
  await verifyPrerequisites(app, Emil.id);
  clock.travelTo(day(5));
  await q.registration.register(Anna.id, session.id);
  await q.registration.register(Emil.id, session.id);

  clock.travelTo(day(10));
  await sitting(Clara.agent, tools, { minutes: 3 });
  clock.travelTo(day(21));
  await q.attendance.mark(trainer.id, await q.planning.sessionOr404(session.id), Anna.id, 'attended');
  clock.travelTo(day(24));
  await sitting(Bernd.agent, tools, { answers: [FRAGE_1('b'), FRAGE_2('b')], score: 50, minutes: 5 });
  clock.travelTo(day(25));
  await sitting(Anna.agent, tools, { answers: [FRAGE_1('a'), FRAGE_2('b')], score: 90, minutes: 10 });
  clock.travelTo(day(26));
  await sitting(Bernd.agent, tools, { answers: [FRAGE_1('a'), FRAGE_2('a')], score: 60, minutes: 7 });
  await sitting(Emil.agent, tools, { answers: [FRAGE_1('a'), FRAGE_2('c')], score: 100, minutes: 20 });
  // an hour into day 30: whole days since each step, whatever the steps above took
  clock.travelTo(new Date(day(30).getTime() + 3600_000));
  return { app, clock, trainer, people: { Anna, Bernd, Clara, Dora, Emil }, cohort, session, modules, day };
}
export type BuiltCohort = Awaited<ReturnType<typeof buildCohort>>;
export { startTestApp, type TestApp };
