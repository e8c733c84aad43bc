import { expect } from 'chai';
import { csrfFrom, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { scorm12Package, scorm2004Package } from '../fixtures/player/packages.ts';
import { constrainedChoicePackage } from '../fixtures/player/sequencing-packages.ts';
import { commit, configOf, launch, publishPackage } from './support.ts';

/** Statements of one registration, oldest first, as verb names. */
async function verbsOf(app: TestApp, registration: string): Promise<string[]> {
  const page = (await app.running.app.lrs.service.getStatements({ registration, ascending: true, limit: 500 })) as unknown as {
    statements: Array<{ verb: { id: string } }>;
  };
  return page.statements.map((s) => s.verb.id.split('/').pop()!);
}
const attemptOf = (app: TestApp, id: string) => app.running.app.player.repo.findAttempt(id);
const progressOf = async (app: TestApp, learnerId: string, slug: string) => (await app.running.app.player.service.progressFor(learnerId, [slug]))[0]!;
const cmiOf = async (app: TestApp, attemptId: string, itemId: string) => {
  const item = await app.running.app.player.repo.findItem(attemptId, itemId);
  return Object.fromEntries((item?.cmi ?? []).map((p) => [p.k, p.v]));
};

describe('player: SCORM runtime on the server', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());

  describe('SCORM 1.2', () => {
    let agent: Agent;
    let learnerId: string;
    let moduleId: string;
    before(async () => {
      const { module } = await publishPackage(app, scorm12Package({ masteryScore: 80, dataFromLms: 'kapitel=2' }), 'scorm12-regeln');
      moduleId = module.id;
      const session = await app.loggedIn();
      agent = session.agent;
      learnerId = session.user.id;
    });

    it('preloads learner, entry, launch_data and mastery score before the SCO starts', async () => {
      const { config } = await launch(agent, moduleId);
      expect(config.scorm?.version).to.equal('1.2');
      const cmi = config.scorm!.cmi;
      expect(cmi['cmi.core.student_id']).to.equal(learnerId);
      expect(cmi['cmi.core.entry']).to.equal('ab-initio');
      expect(cmi['cmi.launch_data']).to.equal('kapitel=2');
      expect(cmi['cmi.student_data.mastery_score']).to.equal('80');
      expect(cmi['cmi.core.total_time']).to.equal('0000:00:00.00');
      expect(config.contentUrl.startsWith(`${app.contentOrigin}/`)).to.equal(true);
      expect(new URL(config.contentUrl).pathname).to.match(/^\/content\/t\/[A-Za-z0-9_-]+\/[a-f0-9]{24}\/sco1\.html$/);
      const file = await app.contentAgent().get(new URL(config.contentUrl).pathname);
      expect(file.status).to.equal(200);
      expect(file.text).to.contain('data-scorm="1.2"');
    });

    it('judges the score against adlcp:masteryscore: 70 of 80 is failed although the SCO says completed', async () => {
      const { attemptId, config } = await launch(agent, moduleId, 'new');
      const res = await commit(
        agent,
        config,
        1,
        { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '70', 'cmi.core.session_time': '0000:00:30.00', 'cmi.core.exit': '' },
        { terminate: true },
      );
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ result: true, errorCode: 0 });
      expect((await cmiOf(app, attemptId, 'sco1'))['cmi.core.lesson_status']).to.equal('failed');
      const attempt = await attemptOf(app, attemptId);
      expect(attempt?.state).to.equal('ended');
      expect(attempt?.success).to.equal('failed');
      const verbs = await verbsOf(app, attempt!.registration);
      expect(verbs).to.include.members(['initialized', 'scored', 'failed', 'terminated']);
      expect((await progressOf(app, learnerId, 'scorm12-regeln')).status).to.equal('failed');
    });

    it('resumes after exit=suspend at the same location and suspend_data, and adds session_time to total_time', async () => {
      const first = await launch(agent, moduleId, 'new');
      await commit(agent, first.config, 1, { 'cmi.core.lesson_location': 'seite-3', 'cmi.suspend_data': 'a=1;b=2', 'cmi.core.lesson_status': 'incomplete' });
      const beacon = await commit(
        agent,
        first.config,
        2,
        {
          'cmi.core.lesson_location': 'seite-3',
          'cmi.suspend_data': 'a=1;b=2',
          'cmi.core.lesson_status': 'incomplete',
          'cmi.core.exit': 'suspend',
          'cmi.core.session_time': '0000:01:30.00',
        },
        { terminate: true, beacon: true },
      );
      expect(beacon.status).to.equal(200);
      expect((await attemptOf(app, first.attemptId))?.state).to.equal('suspended');
      const dash = await agent.get('/dashboard');
      expect(dash.text).to.contain('Fortsetzen');

      const second = await launch(agent, moduleId, 'resume');
      expect(second.attemptId).to.equal(first.attemptId);
      const cmi = second.config.scorm!.cmi;
      expect(cmi['cmi.core.entry']).to.equal('resume');
      expect(cmi['cmi.core.lesson_location']).to.equal('seite-3');
      expect(cmi['cmi.suspend_data']).to.equal('a=1;b=2');
      expect(cmi['cmi.core.total_time']).to.equal('0000:01:30.00');
      expect(cmi).not.to.have.property('cmi.core.exit');

      await commit(
        agent,
        second.config,
        1,
        { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '90', 'cmi.core.session_time': '0000:00:45.00', 'cmi.core.exit': '' },
        { terminate: true },
      );
      const stored = await cmiOf(app, first.attemptId, 'sco1');
      expect(stored['cmi.core.total_time']).to.equal('0000:02:15.00');
      expect(stored['cmi.core.lesson_status']).to.equal('passed');
      const attempt = await attemptOf(app, first.attemptId);
      expect(attempt?.state).to.equal('ended');
      const verbs = await verbsOf(app, attempt!.registration);
      expect(verbs).to.include.members(['initialized', 'suspended', 'resumed', 'scored', 'passed', 'completed', 'terminated']);
      const p = await progressOf(app, learnerId, 'scorm12-regeln');
      expect(p.status).to.equal('passed');
      expect(p.score).to.equal(90);
      expect(p.attempts).to.equal(3);
      expect(p.timeSpentSeconds).to.be.at.least(135);
      const page = await agent.get('/dashboard');
      expect(page.text).to.contain('bestanden');
      expect(page.text).to.contain('Wiederholen');
    });

    it('keeps the answers of a suspended session: the resumed SCO appends, each answer becomes one "answered" statement in xAPI syntax', async () => {
      const first = await launch(agent, moduleId, 'new');
      await commit(
        agent,
        first.config,
        1,
        {
          'cmi.core.lesson_status': 'incomplete',
          'cmi.core.exit': 'suspend',
          'cmi.interactions.0.id': 'frage-1',
          'cmi.interactions.0.type': 'choice',
          'cmi.interactions.0.student_response': 'a,c',
          'cmi.interactions.0.correct_responses.0.pattern': 'a,c',
          'cmi.interactions.0.result': 'correct',
          'cmi.interactions.0.latency': '0000:00:12.00',
        },
        { terminate: true },
      );
      const second = await launch(agent, moduleId, 'resume');
      expect(second.attemptId).to.equal(first.attemptId);
      expect(second.config.scorm!.cmi['cmi.interactions.0.id']).to.equal('frage-1');
      await commit(agent, second.config, 1, {
        'cmi.core.lesson_status': 'incomplete',
        'cmi.interactions.0.id': 'frage-1',
        'cmi.interactions.0.type': 'choice',
        'cmi.interactions.0.student_response': 'a,c',
        'cmi.interactions.0.result': 'correct',
        'cmi.interactions.1.id': 'frage-2',
        'cmi.interactions.1.type': 'true-false',
        'cmi.interactions.1.student_response': 't',
        'cmi.interactions.1.result': 'wrong',
      });
      const cmi = await cmiOf(app, first.attemptId, 'sco1');
      expect([cmi['cmi.interactions.0.id'], cmi['cmi.interactions.1.id']]).to.deep.equal(['frage-1', 'frage-2']);
      const attempt = await attemptOf(app, first.attemptId);
      const page = (await app.running.app.lrs.service.getStatements({
        registration: attempt!.registration,
        verb: 'http://adlnet.gov/expapi/verbs/answered',
        ascending: true,
        limit: 50,
      })) as unknown as {
        statements: Array<{
          object: { id: string; definition: { correctResponsesPattern?: string[] } };
          result: { response: string; success?: boolean; duration?: string };
        }>;
      };
      expect(page.statements.map((st) => st.object.id.split('/').pop())).to.deep.equal(['frage-1', 'frage-2']);
      expect(page.statements[0]!.result).to.deep.include({ response: 'a[,]c', success: true, duration: 'PT12S' });
      expect(page.statements[0]!.object.definition.correctResponsesPattern).to.deep.equal(['a[,]c']);
      expect(page.statements[1]!.result).to.deep.include({ response: 'true', success: false });
    });

    it('ignores a repeated commit and a late one: newer data is never overwritten', async () => {
      const { attemptId, config } = await launch(agent, moduleId, 'new');
      expect((await commit(agent, config, 2, { 'cmi.core.lesson_location': 'neu' })).body).to.deep.equal({ result: true, errorCode: 0 });
      expect((await commit(agent, config, 1, { 'cmi.core.lesson_location': 'alt' })).body).to.deep.equal({ result: true, errorCode: 0 });
      expect((await commit(agent, config, 2, { 'cmi.core.lesson_location': 'doppelt' })).status).to.equal(200);
      expect((await cmiOf(app, attemptId, 'sco1'))['cmi.core.lesson_location']).to.equal('neu');
      // a commit of an earlier launch that arrives after the relaunch is late too
      await commit(agent, config, 3, { 'cmi.core.lesson_location': 'weiter', 'cmi.core.exit': 'suspend' }, { terminate: true });
      const again = await launch(agent, moduleId, 'resume');
      expect(again.attemptId).to.equal(attemptId);
      await commit(agent, config, 9, { 'cmi.core.lesson_location': 'verspätet' }, { beacon: true });
      expect((await cmiOf(app, attemptId, 'sco1'))['cmi.core.lesson_location']).to.equal('weiter');
    });

    it('refuses a commit with an unknown launch token and a body that is not JSON', async () => {
      const bad = await app
        .agent()
        .post('/api/player/scorm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/commit')
        .set('Content-Type', 'application/json')
        .send('{"seq":1,"cmi":{}}');
      expect(bad.status).to.equal(401);
      const { config } = await launch(agent, moduleId, 'resume');
      const garbage = await agent.post(config.scorm!.commitUrl).set('Content-Type', 'text/plain').send('kein json');
      expect(garbage.status).to.equal(400);
    });
  });

  describe('SCORM 2004', () => {
    let agent: Agent;
    let learnerId: string;
    before(async () => {
      const session = await app.loggedIn();
      agent = session.agent;
      learnerId = session.user.id;
    });

    it('decides completion by completion_threshold and success by scaled_passing_score', async () => {
      const { module } = await publishPackage(app, scorm2004Package({ completionThreshold: 0.8, scaledPassingScore: 0.7 }), 'scorm2004-regeln');
      const { attemptId, config } = await launch(agent, module.id);
      expect(config.scorm?.version).to.equal('2004');
      expect(config.scorm!.cmi['cmi.completion_threshold']).to.equal('0.8');
      expect(config.scorm!.cmi['cmi.scaled_passing_score']).to.equal('0.7');
      expect(config.scorm!.cmi['cmi.entry']).to.equal('ab-initio');

      await commit(agent, config, 1, {
        'cmi.progress_measure': '0.5',
        'cmi.completion_status': 'completed',
        'cmi.score.scaled': '0.75',
        'cmi.success_status': 'failed',
      });
      let cmi = await cmiOf(app, attemptId, 'sco1');
      expect(cmi['cmi.completion_status']).to.equal('incomplete');
      expect(cmi['cmi.success_status']).to.equal('passed');

      await commit(
        agent,
        config,
        2,
        { 'cmi.progress_measure': '0.9', 'cmi.completion_status': 'incomplete', 'cmi.score.scaled': '0.75', 'cmi.session_time': 'PT2M', 'cmi.exit': 'normal' },
        { terminate: true },
      );
      cmi = await cmiOf(app, attemptId, 'sco1');
      expect(cmi['cmi.completion_status']).to.equal('completed');
      expect(cmi['cmi.total_time']).to.equal('PT2M');
      const p = await progressOf(app, learnerId, 'scorm2004-regeln');
      expect(p.status).to.equal('passed');
      expect(p.score).to.equal(75);
      expect(p.timeSpentSeconds).to.equal(120);
    });

    it('starts a new attempt after a normal exit and keeps the attempt after suspend', async () => {
      const { module } = await publishPackage(app, scorm2004Package(), 'scorm2004-versuche');
      const one = await launch(agent, module.id);
      await commit(agent, one.config, 1, { 'cmi.location': 'x', 'cmi.exit': 'suspend', 'cmi.session_time': 'PT10S' }, { terminate: true });
      const two = await launch(agent, module.id);
      expect(two.attemptId).to.equal(one.attemptId);
      expect(two.config.scorm!.cmi['cmi.entry']).to.equal('resume');
      expect(two.config.scorm!.cmi['cmi.total_time']).to.equal('PT10S');
      await commit(agent, two.config, 1, { 'cmi.location': 'y', 'cmi.exit': 'normal', 'cmi.session_time': 'PT5S' }, { terminate: true });
      const three = await launch(agent, module.id);
      expect(three.attemptId).not.to.equal(one.attemptId);
      expect(three.config.scorm!.cmi['cmi.entry']).to.equal('ab-initio');
      expect(three.config.scorm!.cmi).not.to.have.property('cmi.location');
      expect((await attemptOf(app, three.attemptId))?.number).to.equal(2);
    });

    it('lets the sequencing engine decide: a refused choice leaves the SCO running, continue after Terminate delivers the next SCO', async () => {
      const { module } = await publishPackage(app, scorm2004Package({ scos: 2, choice: false }), 'scorm2004-multi');
      const first = await launch(agent, module.id);
      expect(first.config.itemId).to.equal('sco1');
      expect(first.html).to.contain('Teil 2');
      expect(first.html).not.to.match(/<button[^>]*name="target" value="sco2"/);
      const csrf = csrfFrom(first.html);
      const url = `/player/attempts/${first.attemptId}/sequencing`;

      // controlMode choice="false": the engine refuses the choice and sco1 stays the running activity
      const refused = await agent.post(url).type('form').send({ _csrf: csrf, request: 'choice', target: 'sco2' });
      expect(refused.status).to.equal(303);
      expect(refused.headers.location).to.equal(`/player/attempts/${first.attemptId}`);
      const again = await agent.get(refused.headers.location as string);
      expect(again.text).to.contain('Dieser Schritt ist nach den Regeln des Moduls gerade nicht möglich.');
      const rerun = configOf(again.text);
      expect(rerun.itemId).to.equal('sco1');

      // the SCO's own adl.nav.request, acted on at its Terminate
      await commit(
        agent,
        rerun,
        1,
        { 'cmi.completion_status': 'completed', 'cmi.exit': 'normal', 'adl.nav.request': 'continue', 'cmi.session_time': 'PT1M' },
        { terminate: true },
      );
      expect((await attemptOf(app, first.attemptId))?.state).to.equal('open');
      const state = await agent.get(url).set('Accept', 'application/json');
      expect(state.status).to.equal(200);
      expect(state.body.next).to.equal(`/player/attempts/${first.attemptId}`);
      expect((await progressOf(app, learnerId, 'scorm2004-multi')).status).to.equal('in-progress');
      const second = await agent.get(state.body.next as string);
      const cfg = configOf(second.text);
      expect(cfg.itemId).to.equal('sco2');

      await commit(agent, cfg, 1, { 'cmi.completion_status': 'completed', 'cmi.exit': 'normal', 'cmi.session_time': 'PT1M' }, { terminate: true });
      let attempt = await attemptOf(app, first.attemptId);
      expect(attempt?.completion).to.equal(true);
      // SN UP.4 End Attempt: content that reports no success status has its objective satisfied by the LMS
      expect((await progressOf(app, learnerId, 'scorm2004-multi')).status).to.equal('passed');
      const after = await agent.get(url).set('Accept', 'application/json');
      expect(after.body.next).to.equal(null);
      expect(after.body.html).to.contain('Beenden');

      const exit = await agent.post(url).type('form').send({ _csrf: csrf, request: 'exitAll' });
      expect(exit.status).to.equal(303);
      expect(exit.headers.location).to.equal('/dashboard');
      attempt = await attemptOf(app, first.attemptId);
      expect(attempt?.state).to.equal('ended');
      const p = await progressOf(app, learnerId, 'scorm2004-multi');
      expect(p.status).to.equal('passed');
      expect(p.timeSpentSeconds).to.equal(120);
    });

    it("names the SCO's place in the activity tree in its statements: its cluster as parent, the course in grouping", async () => {
      const { module } = await publishPackage(app, constrainedChoicePackage(), 'scorm2004-baum');
      const { attemptId, config } = await launch(agent, module.id);
      expect(config.itemId).to.equal('a1');
      await commit(agent, config, 1, { 'cmi.completion_status': 'completed', 'cmi.exit': 'normal', 'cmi.session_time': 'PT10S' }, { terminate: true });
      const attempt = await attemptOf(app, attemptId);
      const page = (await app.running.app.lrs.service.getStatements({ registration: attempt!.registration, ascending: true, limit: 50 })) as unknown as {
        statements: Array<{
          verb: { id: string };
          object: { id: string };
          context: { contextActivities: { parent?: Array<{ id: string }>; grouping: Array<{ id: string }> } };
        }>;
      };
      const completed = page.statements.find((st) => st.verb.id.endsWith('/completed'))!;
      expect(completed.object.id).to.match(/\/activities\/modules\/scorm2004-baum\/items\/a1$/);
      expect(completed.context.contextActivities.parent?.map((a) => a.id.split('/').pop())).to.deep.equal(['teilA']);
      expect(completed.context.contextActivities.grouping.map((a) => a.id)).to.deep.equal([completed.object.id.replace(/\/items\/a1$/, '')]);
    });
  });
});
