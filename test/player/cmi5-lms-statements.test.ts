import { expect } from 'chai';
import { createCmi5 } from '../../src/player/cmi5.ts';
import type { LrsPort } from '../../src/player/ports.ts';
import { createProgressProjection } from '../../src/player/progress.ts';
import { cmi5Package } from '../fixtures/player/packages.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { publishPackage } from './support.ts';

/** cmi5.ts issues "satisfied" and "abandoned" statements itself; when the LRS fails, the state they announce waits for them. */
describe('player: cmi5 statements of the LMS when the LRS fails', () => {
  let app: TestApp;
  let down = false;
  let projection: ReturnType<typeof createProgressProjection>;
  let cmi5: ReturnType<typeof createCmi5>;
  const AU = 'https://lotse.example.de/cmi5/player-test/au1';
  let moduleId: string;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    moduleId = (await publishPackage(app, cmi5Package(''), 'cmi5-lrs-weg')).module.id;
    const { repo } = app.running.app.player;
    const lrs = app.running.app.lrs.service;
    const flaky: LrsPort = {
      ...lrs,
      storeStatements: (statements, authority) => (down ? Promise.reject(new Error('LRS unavailable')) : lrs.storeStatements(statements, authority)),
    };
    const { clock, logger, publicUrl } = app.running.ctx;
    const content = app.running.app.content.service;
    projection = createProgressProjection({ repo, content, clock, logger });
    cmi5 = createCmi5({ repo, content, lrs: flaky, clock, logger, publicUrl, projection });
  });
  after(async () => app.stop());
  afterEach(() => {
    down = false;
  });

  it('issues the course "satisfied" on the next recomputation when the LRS could not store it', async () => {
    const l = { id: 'lernende-satisfied', name: 'Lernende' };
    const { repo } = app.running.app.player;
    const attempt = await app.running.app.player.service.startModule(l, moduleId, 'resume');
    await repo.setItem(attempt.id, AU, { completion: true, success: 'passed', updatedAt: new Date() });
    down = true;
    await refusalOrError(projection.refresh(attempt));
    expect((await repo.findItem(attempt.id, 'course'))?.satisfied ?? false).to.equal(false);
    down = false;
    await projection.refresh(attempt);
    expect((await repo.findItem(attempt.id, 'course'))?.satisfied).to.equal(true);
    const page = (await app.running.app.lrs.service.getStatements({ registration: attempt.registration, limit: 50 })) as unknown as {
      statements: Array<{ verb: { id: string } }>;
    };
    expect(page.statements.filter((s) => s.verb.id.endsWith('/satisfied'))).to.have.length(2);
  });

  it('leaves a session open when its "abandoned" could not be stored', async () => {
    const l = { id: 'lernende-abandoned', name: 'Lernende' };
    const service = app.running.app.player.service;
    const attempt = await service.startModule(l, moduleId, 'resume');
    await service.openItem(l, attempt.id, undefined, app.url, app.contentOrigin);
    const [open] = await app.running.app.player.repo.openLaunches(attempt.registration);
    down = true;
    await refusalOrError(cmi5.abandonSession(open!.sessionId));
    expect((await app.running.app.player.repo.findLaunchBySessionId(open!.sessionId))?.state).to.equal('open');
    down = false;
    await cmi5.abandonSession(open!.sessionId);
    expect((await app.running.app.player.repo.findLaunchBySessionId(open!.sessionId))?.state).to.equal('abandoned');
  });
});

/** Any failure of `act` (the LRS's error passes through unchanged). */
async function refusalOrError(act: Promise<unknown>): Promise<void> {
  const err = await act.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a failure').to.be.instanceOf(Error);
}
