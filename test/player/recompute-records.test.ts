import { expect } from 'chai';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { commit, launch, publishPackage } from './support.ts';

/** Records written under the earlier rule ("passed once any item passed") are put right once. */
describe('player: progress records recomputed under the current rule', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());

  it('recomputes a record the old rule left "passed" after one of two SCOs, once per database', async () => {
    const { module } = await publishPackage(app, scorm12Package({ scos: 2, masteryScore: 80 }), 'scorm12-alte-regel');
    const { agent, user } = await app.loggedIn();
    const { attemptId, config } = await launch(agent, module.id);
    await commit(agent, config, 1, { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '90', 'cmi.core.exit': '' }, { terminate: true });
    const player = app.running.app.player;
    expect((await player.service.progressFor(user.id, ['scorm12-alte-regel']))[0]!.status).to.equal('in-progress');

    // what the earlier rule wrote: the attempt and the record passed
    await player.repo.updateAttempt(attemptId, { success: 'passed', completion: true, satisfied: true });
    const before = (await player.repo.progressFor(user.id, ['scorm12-alte-regel']))[0]!;
    await player.repo.upsertProgress({ ...before, status: 'passed', scorePercent: 90 });
    await app.running.connection.collection('player_meta').deleteMany({});
    expect((await player.service.progressFor(user.id, ['scorm12-alte-regel']))[0]!.status).to.equal('passed');

    expect(await player.recomputeRecords()).to.be.greaterThan(0);
    expect((await player.service.progressFor(user.id, ['scorm12-alte-regel']))[0]!.status).to.equal('in-progress');
    expect((await player.repo.findAttempt(attemptId))?.success).to.not.equal('passed');
    // done once: a second call finds the marker and does nothing
    expect(await player.recomputeRecords()).to.equal(0);
  });
});
