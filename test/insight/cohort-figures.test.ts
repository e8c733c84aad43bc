import { expect } from 'chai';
import type { CohortDashboard } from '../../src/insight/cohort-dashboard.ts';
import { buildCohort, type BuiltCohort } from './helpers.ts';

/** The figures of a cohort built through the app's services (helpers.ts says who did what). */
describe('insight: the figures of a cohort built through the services', function () {
  this.timeout(180_000);
  let c: BuiltCohort;
  let viewer: { id: string; roles: string[] };
  const insight = () => c.app.running.app.insight.service;
  const dashboard = () => insight().dashboard.forCohort(viewer, c.cohort.id);
  before(async () => {
    c = await buildCohort();
    viewer = { id: c.trainer.id, roles: ['trainer'] };
  });
  after(async () => c?.app.stop());

  const tools = (d: CohortDashboard) => d.funnel.find((m) => m.slug === 'tools-methoden')!;

  it('counts each member once per module in the funnel: not started, in progress, completed, passed, failed', async () => {
    const d = await dashboard();
    expect(d.cohort.learners).to.equal(5);
    expect(d.funnel.map((m) => m.slug)).to.deep.equal(['tools-methoden', 'technik', 'megatrends']);
    expect(tools(d).counts).to.deep.equal({ 'not-attempted': 1, 'in-progress': 1, completed: 0, passed: 2, failed: 1 });
    expect(d.funnel[1]!.counts).to.deep.equal({ 'not-attempted': 5, 'in-progress': 0, completed: 0, passed: 0, failed: 0 });
  });

  it('lists who needs attention with the reason: failed twice, inactive for 20 days, nothing started, a rejected prerequisite', async () => {
    const d = await dashboard();
    const items = d.attention.map((a) => [a.name, a.code, a.moduleSlug ?? a.kind ?? '', a.count ?? a.days ?? a.reason ?? '']);
    expect(items).to.deep.equal([
      ['Bernd Bauer', 'failedTwice', 'tools-methoden', 2],
      ['Clara Christ', 'inactive', '', 20],
      ['Dora Dietz', 'prerequisiteRejected', 'authorisation', 'Nummer unleserlich'],
      ['Dora Dietz', 'notStarted', '', ''],
    ]);
  });

  it('takes the inactivity threshold the trainer picks', async () => {
    const d = await insight().dashboard.forCohort(viewer, c.cohort.id, { inactiveDays: 21 });
    expect(d.attention.filter((a) => a.code === 'inactive')).to.deep.equal([]);
    expect(d.inactiveDays).to.equal(21);
  });

  it('gives the minutes per module as median and quartiles of the members who spent time', async () => {
    const d = await dashboard();
    const t = d.timeSpent.find((m) => m.slug === 'tools-methoden')!;
    expect(t.learners).to.equal(4);
    expect(t.minutes).to.deep.equal({ min: 3, q1: 8.3, median: 11, q3: 14, max: 20 });
    expect(d.timeSpent[1]!.minutes).to.equal(null);
  });

  it('counts members done per week, cumulatively: two passed in the last weeks', async () => {
    const d = await dashboard();
    const series = d.weekly.series.find((s) => s.slug === 'tools-methoden')!;
    expect(series.cumulative.at(-1)).to.equal(2);
    expect(series.cumulative[0]).to.equal(0);
    expect(d.weekly.weeks.length).to.be.within(3, 5);
    for (let i = 1; i < series.cumulative.length; i++) expect(series.cumulative[i]).to.be.at.least(series.cumulative[i - 1]!);
  });

  it('shows pending prerequisites with how long they have waited for a check', async () => {
    const d = await dashboard();
    expect(d.pendingPrerequisites.map((p) => [p.name, p.kind, p.waitingDays])).to.deep.equal([['Clara Christ', 'authorisation', 28]]);
  });

  it('shows the Q2 session with seats, waiting list and attendance rate', async () => {
    const d = await dashboard();
    expect(
      d.sessions.map((s) => ({
        id: s.id,
        capacity: s.capacity,
        participants: s.participants,
        waiting: s.waiting,
        attended: s.attended,
        rate: s.attendanceRate,
      })),
    ).to.deep.equal([{ id: c.session.id, capacity: 1, participants: 1, waiting: 1, attended: 1, rate: 1 }]);
  });

  it('gives per question the share correct, the frequent wrong answers and attempts, the hardest first', async () => {
    const { rows } = await insight().questions.forCohort(viewer, c.cohort.id);
    expect(rows.map((r) => [r.text, r.answers, r.learners, r.attemptsPerLearner, r.correctShare, r.wrong])).to.deep.equal([
      [
        'abschlusstest.frage-2',
        4,
        3,
        1.33,
        0.25,
        [
          { response: 'b', count: 2 },
          { response: 'a', count: 1 },
        ],
      ],
      ['abschlusstest.frage-1', 4, 3, 1.33, 0.75, [{ response: 'b', count: 1 }]],
    ]);
    const byAnswers = await insight().questions.forCohort(viewer, c.cohort.id, { sort: 'module', moduleSlug: 'technik' });
    expect(byAnswers.rows).to.deep.equal([]);
  });

  it("keeps a learner's timeline newest first, filterable by module (Q2 attendance outside modules)", async () => {
    const p = await insight().timeline.of(viewer, c.people.Bernd.id);
    expect(p.events.map((e) => [e.kind, e.objectName, e.scorePercent])).to.deep.equal([
      ['failed', 'Teil 1', 60],
      ['started', 'Teil 1', null],
      ['failed', 'Teil 1', 50],
      ['started', 'Teil 1', null],
    ]);
    const anna = await insight().timeline.of(viewer, c.people.Anna.id, { moduleSlug: '' });
    expect(anna.events.map((e) => [e.kind, e.objectName])).to.deep.equal([['attended', c.session.title]]);
  });

  it('keeps every figure when all statements are replayed (a statement is counted once)', async () => {
    const before = {
      d: await dashboard(),
      q: await insight().questions.forCohort(viewer, c.cohort.id),
      t: await insight().timeline.of(viewer, c.people.Bernd.id),
    };
    const result = await c.app.running.app.lrs.service.replayStatements();
    expect(result.failedBatches).to.equal(0);
    const after = {
      d: await dashboard(),
      q: await insight().questions.forCohort(viewer, c.cohort.id),
      t: await insight().timeline.of(viewer, c.people.Bernd.id),
    };
    expect(after).to.deep.equal(before);
  });

  it('rebuilds every figure from the statements when the projections are lost (npm run lrs -- replay)', async () => {
    const figures = async () => ({
      d: await dashboard(),
      q: await insight().questions.forCohort(viewer, c.cohort.id),
      t: await insight().timeline.of(viewer, c.people.Anna.id),
    });
    const before = await figures();
    const db = c.app.running.connection.db!;
    for (const name of ['insight_events', 'insight_module_activity', 'insight_answers', 'insight_questions', 'insight_attendance'])
      await db.collection(name).deleteMany({});
    expect((await figures()).q.rows).to.deep.equal([]);
    await c.app.running.app.lrs.service.replayStatements({ batchSize: 7 });
    expect(await figures()).to.deep.equal(before);
  });

  it('takes a voided statement out again: the timeline and the failed count no longer hold it (xAPI Data §2.3.2)', async () => {
    const events = c.app.running.connection.collection<{ _id: string; learnerId: string; kind: string }>('insight_events');
    const [failed] = await events.find({ learnerId: c.people.Bernd.id, kind: 'failed' }).sort({ at: -1 }).limit(1).toArray();
    const lrs = c.app.running.app.lrs.service;
    await lrs.storeStatements([
      {
        actor: { objectType: 'Agent', name: 'Trainerin', mbox: 'mailto:void-trainer@example.org' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'de-DE': 'verworfen' } },
        object: { objectType: 'StatementRef', id: failed!._id },
      },
    ]);
    const p = await insight().timeline.of(viewer, c.people.Bernd.id);
    expect(p.events.filter((e) => e.kind === 'failed')).to.have.length(1);
    const activity = await c.app.running.connection
      .collection('insight_module_activity')
      .findOne({ learnerId: c.people.Bernd.id, moduleSlug: 'tools-methoden' });
    expect(activity?.failedCount).to.equal(1);
  });
});
