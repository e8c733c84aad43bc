import { expect } from 'chai';
import { createHeldStatements } from '../../src/player/held-statements.ts';
import type { LrsPort } from '../../src/player/ports.ts';
import { createProgressProjection } from '../../src/player/progress.ts';
import { createScormCommits } from '../../src/player/scorm-commit.ts';
import { createSequencedNavigation } from '../../src/player/sequencing/navigation.ts';
import { createSequencer } from '../../src/player/sequencing/sequencer.ts';
import { DomainError } from '../../src/shared/errors.ts';
import { createKeyedQueue } from '../../src/shared/keyed-queue.ts';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { countCommands } from '../support/query-count.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { commit, launch, publishPackage } from './support.ts';

/** Statements of one registration, oldest first, as verb names. */
async function verbsOf(app: TestApp, registration: string): Promise<string[]> {
  const page = (await app.running.app.lrs.service.getStatements({ registration, ascending: true, limit: 500 })) as unknown as {
    statements: Array<{ verb: { id: string } }>;
  };
  return page.statements.map((s) => s.verb.id.split('/').pop()!);
}

const tokenOf = (commitUrl: string) => /\/api\/player\/scorm\/([^/]+)\/commit$/.exec(commitUrl)![1]!;

describe('player: a SCORM commit and its statements', () => {
  let app: TestApp;
  let agent: Agent;
  let moduleId: string;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    moduleId = (await publishPackage(app, scorm12Package({ scos: 2 }), 'scorm12-einmal')).module.id;
    agent = (await app.loggedIn()).agent;
  });
  after(async () => app.stop());

  it('projects the attempt and the progress record once per commit, though its statements pass the LRS hook', async () => {
    const { attemptId, config } = await launch(agent, moduleId);
    const { result, commands } = await countCommands(app, () =>
      commit(agent, config, 1, { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '90', 'cmi.core.session_time': '0000:01:00.00' }),
    );
    expect(result.status).to.equal(200);
    const registration = (await app.running.app.player.repo.findAttempt(attemptId))!.registration;
    expect(await verbsOf(app, registration)).to.include.members(['initialized', 'scored', 'completed']);
    // one refreshProgress writes the record once; the statements were applied to the item all the same
    expect(commands.byTarget['update player_progress'], JSON.stringify(commands.byTarget)).to.equal(1);
    expect((await app.running.app.player.repo.findItem(attemptId, 'sco1'))?.completion).to.equal(true);
  });

  it('projects once a commit without statements too', async () => {
    const { config } = await launch(agent, moduleId, 'new');
    await commit(agent, config, 1, { 'cmi.core.lesson_status': 'incomplete' });
    const { result, commands } = await countCommands(app, () => commit(agent, config, 2, { 'cmi.suspend_data': 'seite=3' }));
    expect(result.status).to.equal(200);
    expect(commands.byTarget['update player_progress'], JSON.stringify(commands.byTarget)).to.equal(1);
  });

  it('refuses a commit body that is not JSON (400) and one without its sequence number', async () => {
    const { config } = await launch(agent, moduleId, 'new');
    const broken = await agent.post(config.scorm!.commitUrl).set('Content-Type', 'text/plain;charset=UTF-8').send('{"seq": 1, ');
    expect(broken.status).to.equal(400);
    expect(broken.body.error)
      .to.be.a('string')
      .and.not.match(/player:errors/);
    expect((await agent.post(config.scorm!.commitUrl).set('Content-Type', 'application/json').send('{"cmi": {}}')).status).to.equal(400);
  });

  describe('when the LRS fails', () => {
    // the real LRS behind a switch: while `down`, storing fails as a database outage would
    let down = false;
    let scormCommit: ReturnType<typeof createScormCommits>;
    let singleSco: string;
    before(async () => {
      singleSco = (await publishPackage(app, scorm12Package(), 'scorm12-lrs-weg')).module.id;
      const { repo } = app.running.app.player;
      const lrs = app.running.app.lrs.service;
      const flaky: LrsPort = {
        ...lrs,
        storeStatements: (statements, authority) => (down ? Promise.reject(new Error('LRS unavailable')) : lrs.storeStatements(statements, authority)),
      };
      const { clock, logger } = app.running.ctx;
      const content = app.running.app.content.service;
      const projection = createProgressProjection({ repo, content, clock, logger });
      scormCommit = createScormCommits({
        repo,
        content,
        held: createHeldStatements({ repo, lrs: flaky, projection, logger }),
        clock,
        logger,
        publicUrl: app.running.ctx.publicUrl,
        projection,
        sequenced: createSequencedNavigation({ repo, clock, sequencer: createSequencer({ repo, clock }) }),
        attemptQueue: createKeyedQueue(),
      });
    });
    afterEach(() => {
      down = false;
    });

    it('answers with an error, keeps the CMI data and holds the statements; the repeated commit delivers them once', async () => {
      const { attemptId, config } = await launch(agent, singleSco);
      const token = tokenOf(config.scorm!.commitUrl);
      const registration = (await app.running.app.player.repo.findAttempt(attemptId))!.registration;
      down = true;
      const failed = await scormCommit(token, { seq: 1, terminate: false, cmi: { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '85' } }).catch(
        (err: unknown) => err,
      );
      expect(failed).to.be.instanceOf(DomainError);
      expect((failed as DomainError).kind).to.equal('unavailable');
      expect((failed as DomainError).message).to.equal('player:errors.statementsHeld');
      const item = await app.running.app.player.repo.findItem(attemptId, 'sco1');
      expect(Object.fromEntries(item!.cmi.map((p) => [p.k, p.v]))['cmi.core.lesson_status']).to.equal('completed');
      expect(item!.heldStatements).to.have.length(3);
      expect(await verbsOf(app, registration)).to.deep.equal([]);

      down = false;
      // scorm-again sends the same commit again (or the page repeats the terminating one): not newer, but it brings the statements
      expect(await scormCommit(token, { seq: 1, terminate: false, cmi: { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '85' } })).to.deep.equal({
        result: true,
        errorCode: 0,
        applied: false,
      });
      // each once (a batch's statements share their stored time, so their order among themselves is the LRS's)
      expect((await verbsOf(app, registration)).sort()).to.deep.equal(['completed', 'initialized', 'scored']);
      const after = await app.running.app.player.repo.findItem(attemptId, 'sco1');
      expect(after!.heldStatements).to.deep.equal([]);
      expect(after!.completion).to.equal(true);
      // and the attempt and the record follow them
      const attempt = await app.running.app.player.repo.findAttempt(attemptId);
      expect(attempt?.completion).to.equal(true);
      expect((await app.running.app.player.service.progressFor(attempt!.learnerId, ['scorm12-lrs-weg']))[0]?.status).to.equal('completed');
    });

    it('sends held statements with the next newer commit, before its own', async () => {
      const { attemptId, config } = await launch(agent, moduleId, 'new');
      const token = tokenOf(config.scorm!.commitUrl);
      const registration = (await app.running.app.player.repo.findAttempt(attemptId))!.registration;
      down = true;
      await scormCommit(token, { seq: 1, terminate: false, cmi: { 'cmi.core.lesson_status': 'incomplete', 'cmi.core.score.raw': '40' } }).catch(
        () => undefined,
      );
      down = false;
      await scormCommit(token, { seq: 2, terminate: false, cmi: { 'cmi.core.lesson_status': 'completed', 'cmi.core.score.raw': '40' } });
      // each once (a batch's statements share their stored time, so their order among themselves is the LRS's)
      expect((await verbsOf(app, registration)).sort()).to.deep.equal(['completed', 'initialized', 'scored']);
      expect((await app.running.app.player.repo.findItem(attemptId, 'sco1'))!.heldStatements).to.deep.equal([]);
    });
  });
});
