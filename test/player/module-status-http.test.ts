import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { scorm12Package, scorm2004Package } from '../fixtures/player/packages.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { commit, launch, publishPackage } from './support.ts';

/**
 * The defects of issue #15 reproduced through the real server (dashboard start, player page, SCORM
 * commits, cmi5 statements at /xapi with the launch's own credentials): a module was "bestanden" once
 * any one item passed. Each test plays part of a module and checks the progress record, the dashboard
 * and the Q1 view of the qualification component, which all read the one result of module-status.ts.
 */

const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const COURSE = 'https://lotse.example.de/cmi5/acht';

/** A cmi5 course of `n` AUs (moveOn CompletedAndPassed), the first four in a block. */
function cmi5Course(n: number): Record<string, string> {
  const au = (i: number) => `
    <au id="${COURSE}/au${i}" moveOn="CompletedAndPassed">
      <title><langstring lang="de-DE">Einheit ${i}</langstring></title>
      <description><langstring lang="de-DE">AU ${i}</langstring></description>
      <url>au/index.html?n=${i}</url>
    </au>`;
  const aus = Array.from({ length: n }, (_, i) => i + 1);
  return {
    'cmi5.xml': `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${COURSE}">
    <title><langstring lang="de-DE">Acht Einheiten</langstring></title>
    <description><langstring lang="de-DE">Test</langstring></description>
  </course>
  <block id="${COURSE}/block1">
    <title><langstring lang="de-DE">Block</langstring></title>
    <description><langstring lang="de-DE">Block</langstring></description>${aus.slice(0, 4).map(au).join('')}
  </block>${aus.slice(4).map(au).join('')}
</courseStructure>`,
    'au/index.html': '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>AU</title></head><body><h1>AU</h1></body></html>',
  };
}

/** The dashboard card of a module: its status and the score it shows. */
async function card(agent: Agent, slug: string): Promise<{ status: string; score: string | null }> {
  const html = (await agent.get('/dashboard')).text;
  const li = new RegExp(`<li class="module-card" data-module="${slug}">(.*?)</li>`, 's').exec(html)?.[1] ?? '';
  return { status: /data-status="([^"]+)"/.exec(li)?.[1] ?? '', score: /<dd class="score">([^<]*)<\/dd>/.exec(li)?.[1] ?? null };
}

describe('player: module status through the server (issue #15)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());
  const progressOf = async (learnerId: string, slug: string) => (await app.running.app.player.service.progressFor(learnerId, [slug]))[0]!;

  it('SCORM 2004 with 5 SCOs is not passed after SCO 1 passed: the root activity has not rolled up', async () => {
    const { module } = await publishPackage(app, scorm2004Package({ scos: 5 }), 'fuenf-scos');
    const { agent, user } = await app.loggedIn();
    const { attemptId, config } = await launch(agent, module.id, 'resume', 'sco1');
    expect(config.itemId).to.equal('sco1');
    const res = await commit(
      agent,
      config,
      1,
      { 'cmi.completion_status': 'completed', 'cmi.success_status': 'passed', 'cmi.score.scaled': '1', 'cmi.exit': 'normal', 'cmi.session_time': 'PT1M' },
      { terminate: true },
    );
    expect(res.status).to.equal(200);
    const attempt = await app.running.app.player.repo.findAttempt(attemptId);
    expect(attempt?.sequencingState, 'the engine ran').to.be.a('string');
    expect(attempt?.success).to.not.equal('passed');
    expect((await progressOf(user.id, 'fuenf-scos')).status).to.equal('in-progress');
    expect((await card(agent, 'fuenf-scos')).status).to.equal('in-progress');
  });

  it('SCORM 1.2: a failed post-test, then one content SCO in a new attempt is "in Bearbeitung", not "bestanden 75 %"', async () => {
    // sco1 is the post-test (adlcp:masteryscore 80), sco2 and sco3 are content that reports "passed"
    const { module } = await publishPackage(app, scorm12Package({ scos: 3, masteryScore: 80 }), 'nachtest-12');
    const { agent, user } = await app.loggedIn();
    const first = await launch(agent, module.id, 'resume', 'sco1');
    await commit(
      agent,
      first.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '75', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    expect((await progressOf(user.id, 'nachtest-12')).status).to.equal('failed');

    const second = await launch(agent, module.id, 'new', 'sco2');
    expect(second.attemptId).to.not.equal(first.attemptId);
    await commit(
      agent,
      second.config,
      1,
      { 'cmi.core.lesson_status': 'passed', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    const p = await progressOf(user.id, 'nachtest-12');
    expect(p.status).to.equal('in-progress');
    expect(p.score, "the score of the attempt that decides (none yet), not the failed one's 75").to.equal(undefined);
    expect(await card(agent, 'nachtest-12')).to.deep.equal({ status: 'in-progress', score: null });

    // the rest of the new attempt: the post-test passed, the other content SCO completed → passed by this attempt
    const test = await launch(agent, module.id, 'resume', 'sco1');
    expect(test.attemptId).to.equal(second.attemptId);
    await commit(
      agent,
      test.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '90', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    const last = await launch(agent, module.id, 'resume', 'sco3');
    await commit(
      agent,
      last.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    const done = await progressOf(user.id, 'nachtest-12');
    expect(done.status).to.equal('passed');
    expect(done.score, 'the mean of the scored SCOs of the passing attempt').to.equal(90);
    expect((await card(agent, 'nachtest-12')).status).to.equal('passed');

    // a third attempt that stops after one SCO never lowers the passed module
    const third = await launch(agent, module.id, 'new', 'sco1');
    await commit(
      agent,
      third.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '10', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    const kept = await progressOf(user.id, 'nachtest-12');
    expect(kept.status).to.equal('passed');
    expect(kept.score).to.equal(done.score);
    expect(kept.attempts).to.equal(3);
  });

  it("/path and the certificate's eligibility read the same result: one passed SCO of a Q1 module does not meet Q1", async () => {
    // the Q1 requirement names the module by slug; 'technik' is one of the default Q1 modules
    const { module } = await publishPackage(app, scorm12Package({ scos: 2 }), 'technik');
    const { agent, user } = await app.loggedIn();
    const { config } = await launch(agent, module.id, 'resume', 'sco1');
    await commit(
      agent,
      config,
      1,
      { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '95', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    const e = await app.running.app.qualification.service.eligibility(user.id);
    expect(e.q1.find((m) => m.moduleSlug === 'technik')?.status).to.equal('in-progress');
    expect(e.missing.map((m) => m.code)).to.include('q1-incomplete');
    const path = await agent.get('/path');
    expect(path.status).to.equal(200);
    expect(path.text).to.not.match(/<span class="badge ok">bestanden<\/span>/);
    expect(path.text).to.match(/<span class="badge">begonnen<\/span>/);
  });

  it('cmi5 with 8 AUs is not passed after 2 AUs passed; it is once the LMS issued the course "satisfied"', async () => {
    const { module } = await publishPackage(app, cmi5Course(8), 'acht-aus');
    const { agent, user } = await app.loggedIn();
    const player = app.running.app.player;

    /** One AU's session as the AU runs it: fetch, initialized, completed, passed, terminated. */
    async function play(au: number): Promise<string> {
      const { attemptId, config } = await launch(agent, module.id, 'resume', `${COURSE}/au${au}`);
      const params = new URL(config.contentUrl, app.url).searchParams;
      const fetched = await app.agent().post(new URL(params.get('fetch')!).pathname);
      expect(fetched.status).to.equal(200);
      const auth = `Basic ${fetched.body['auth-token'] as string}`;
      const sessionId = (await player.repo.latestLaunch(attemptId))!.sessionId;
      // an AU reads the learner preferences before "initialized" (cmi5 11.0.0.0-3)
      const prefs = await app
        .agent()
        .get('/xapi/agents/profile')
        .query({ agent: params.get('actor')!, profileId: 'cmi5LearnerPreferences' })
        .set('Authorization', auth)
        .set('X-Experience-API-Version', '1.0.3');
      expect(prefs.status).to.equal(404);
      // judgements with the moveOn category and every statement the AU's duration where §9.5.4.1 asks for it
      for (const [verb, result] of [
        ['initialized'],
        ['completed', { completion: true, duration: 'PT1M' }],
        ['passed', { success: true, score: { scaled: 0.9 }, duration: 'PT1M' }],
        ['terminated', { duration: 'PT2M' }],
      ] as const) {
        const res = await app
          .agent()
          .post('/xapi/statements')
          .set('Authorization', auth)
          .set('X-Experience-API-Version', '1.0.3')
          .send({
            id: randomUUID(),
            actor: JSON.parse(params.get('actor')!),
            verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
            object: { objectType: 'Activity', id: params.get('activityId') },
            ...(result ? { result } : {}),
            context: {
              registration: params.get('registration'),
              contextActivities: { category: [{ id: CMI5 }, ...(verb === 'completed' || verb === 'passed' ? [{ id: MOVEON }] : [])] },
              extensions: { [SESSION]: sessionId },
            },
            timestamp: new Date().toISOString(),
          });
        expect(res.status, `${verb}: ${res.text}`).to.equal(200);
      }
      return attemptId;
    }
    const attemptId = await play(1);
    await play(2);
    expect((await player.repo.findItem(attemptId, 'course'))?.satisfied ?? false).to.equal(false);
    expect((await progressOf(user.id, 'acht-aus')).status).to.equal('in-progress');
    expect((await card(agent, 'acht-aus')).status).to.equal('in-progress');

    for (let au = 3; au <= 7; au++) await play(au);
    // the eighth is waived (§9.3.7): it counts as satisfied, so the LMS now issues the course "satisfied"
    await player.service.waiveAttemptItem({ id: 'admin' }, attemptId, `${COURSE}/au8`, 'Vorkenntnisse anerkannt');
    expect((await player.repo.findItem(attemptId, 'course'))?.satisfied).to.equal(true);
    // a satisfied cmi5 registration is finished: the next start is a new attempt
    expect((await player.repo.findAttempt(attemptId))?.state).to.equal('ended');
    const p = await progressOf(user.id, 'acht-aus');
    expect(p.status).to.equal('passed');
    expect((await card(agent, 'acht-aus')).status).to.equal('passed');
  });
});
