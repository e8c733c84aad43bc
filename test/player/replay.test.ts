import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { commit, launch, publishPackage } from './support.ts';

const run = promisify(execFile);

/** The architecture's flow 4: a command rebuilds the projections by replaying the stored statements. */
describe('player: rebuilding progress by replaying statements (npm run lrs -- replay)', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  const db = () => app.running.connection.db!;
  const progress = async (learnerId: string) => (await app.running.app.player.service.progressFor(learnerId, ['replay-scorm']))[0]!;

  it('restores a lost progress record and attempt result, and sends no statement twice', async () => {
    const { module } = await publishPackage(app, scorm12Package({ masteryScore: 80 }), 'replay-scorm');
    const { agent, user } = await app.loggedIn();
    const { attemptId, config } = await launch(agent, module.id);
    const res = await commit(
      agent,
      config,
      1,
      { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '90', 'cmi.core.session_time': '0000:01:00.00', 'cmi.core.exit': '' },
      { terminate: true },
    );
    expect(res.status).to.equal(200);
    const before = await progress(user.id);
    expect(before).to.include({ status: 'passed', score: 90, attempts: 1 });
    const statementCount = await db().collection('lrs_statements').countDocuments();
    expect(statementCount).to.be.greaterThan(0);

    // what a hook that failed (or a projection bug) leaves behind
    await db().collection('player_progress').deleteMany({ learnerId: user.id });
    await db()
      .collection('player_attempts')
      .updateOne({ _id: new Types.ObjectId(attemptId) }, { $set: { success: null, scoreScaled: null } });
    expect((await progress(user.id)).status).to.equal('not-attempted');

    const { stdout } = await run('node', ['--import', 'tsx', 'scripts/lrs-cli.ts', 'replay'], {
      env: { ...process.env, MONGODB_URI: process.env.TEST_MONGODB_URI, MONGODB_DB: app.running.connection.name, DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' },
    });
    expect(stdout).to.match(new RegExp(`^${statementCount} Anweisungen erneut verarbeitet in `));
    expect(await progress(user.id)).to.deep.equal(before);
    const attempt = (await app.running.app.player.repo.findAttempt(attemptId))!;
    expect(attempt).to.include({ success: 'passed', scoreScaled: 0.9 });
    expect(await db().collection('lrs_statements').countDocuments()).to.equal(statementCount);

    // where nothing is missing, a replay changes nothing
    const again = await app.running.app.lrs.service.replayStatements({ batchSize: 2 });
    expect(again).to.deep.equal({ statements: statementCount, failedBatches: 0 });
    expect(await progress(user.id)).to.deep.equal(before);
    expect(await db().collection('lrs_statements').countDocuments()).to.equal(statementCount);
  });
});
