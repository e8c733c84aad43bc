import { expect } from 'chai';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { startLrsApp, statement, xapi } from '../lrs/support.ts';
import type { TestApp } from '../support/test-app.ts';
import { launch, publishPackage } from './support.ts';

/** The progress projection finds the attempt by registration, and counts only its learner's own statements. */
describe('player: whose statement counts for progress', () => {
  let app: TestApp;
  before(async () => {
    app = await startLrsApp();
  });
  after(async () => app.stop());

  it('ignores statements of a registration whose actor is a group, another learner, or names the learner only as instructor', async () => {
    const { module } = await publishPackage(app, scorm12Package({ masteryScore: 80 }), 'whose-statement');
    const { agent, user } = await app.loggedIn();
    const other = await app.createUser();
    const { attemptId } = await launch(agent, module.id);
    const player = app.running.app.player;
    const { registration } = (await player.repo.findAttempt(attemptId))!;
    const { activityId } = (await player.repo.latestLaunch(attemptId))!;
    const homePage = app.running.ctx.publicUrl();
    const learner = { objectType: 'Agent', name: user.name, account: { homePage, name: user.id } };
    const stranger = { objectType: 'Agent', name: other.name, account: { homePage, name: other.id } };
    const passed = (actor: object, context: object = {}) =>
      statement({
        actor,
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
        object: { objectType: 'Activity', id: activityId },
        result: { score: { scaled: 0.95 } },
        context: { registration, ...context },
      });
    const status = async () => (await player.service.progressFor(user.id, ['whose-statement']))[0]!.status;
    const before = await status();
    expect(before).not.to.equal('passed');

    for (const s of [
      passed({ objectType: 'Group', account: learner.account, member: [stranger] }),
      passed({ objectType: 'Group', member: [learner] }),
      passed(stranger),
      passed(stranger, { instructor: learner }),
      passed(stranger, { team: { objectType: 'Group', member: [learner] } }),
    ]) {
      await xapi(app).post('/statements').send(s).expect(200);
      expect(await status(), JSON.stringify(s.actor)).to.equal(before);
    }
    await xapi(app).post('/statements').send(passed(learner)).expect(200);
    expect(await status()).to.equal('passed');
  });
});
