import { expect } from 'chai';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outbox } from '../qualification/helpers.ts';
import { movableClock } from '../support/clock.ts';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';
import { privacyOf } from './support.ts';

const DAY = 24 * 3600_000;
const YEAR = 365 * DAY;

describe('privacy: the retention schedule', function () {
  this.timeout(60_000);
  let app: TestApp;
  const clock = movableClock();
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(async () => app.stop());
  afterEach(() => clock.reset());

  it('announces inactive learner accounts by mail, erases them after the grace period, and spares the ones seen again', async () => {
    const privacy = await privacyOf(app);
    const gone = await app.createUser(['learner'], { name: 'Inge Inaktiv' });
    const back = await app.createUser(['learner'], { name: 'Rolf Rückkehr' });
    const trainer = await app.createUser(['trainer'], { name: 'Tanja Trainerin' });

    clock.advance(3 * YEAR + 10 * DAY);
    expect(await privacy.retention.run()).to.deep.equal({ announced: 2, erasuresStarted: 0 });
    const notices = (await outbox(app)).filter((m) => m.subject.includes('wird gelöscht'));
    expect(notices.map((m) => m.to).sort()).to.deep.equal([gone.email, back.email].sort());
    expect(notices.find((m) => m.to === gone.email)?.text).to.contain('seit mehr als 3 Jahren');
    expect(await privacy.retention.run(), 'announced once').to.deep.equal({ announced: 0, erasuresStarted: 0 });

    expect((await login(app.agent(), back.email, back.password)).status, 'signing in again').to.equal(302);
    clock.advance(61 * DAY);
    expect(await privacy.retention.run()).to.deep.equal({ announced: 0, erasuresStarted: 1 });
    await privacy.service.erasures.settle();
    const accounts = app.running.app.accounts.service;
    expect(await accounts.findUser(gone.id), 'erased').to.equal(undefined);
    expect(await accounts.findUser(back.id), 'seen again: kept').to.not.equal(undefined);
    expect(await accounts.findUser(trainer.id), 'staff are never erased for inactivity').to.not.equal(undefined);
    const [erasure] = await privacy.service.erasures.list();
    expect(erasure).to.include({ state: 'done', cause: 'retention', subject: null });
  });

  it('deletes held-back mails, old audit entries and spent export files on schedule', async () => {
    const privacy = await privacyOf(app);
    const dir = path.join(app.dataDir, 'outbox');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'alt.json'), '{}');
    await privacy.audit.record({ actorId: 'a1', action: 'role-change', targetId: 't1' });
    clock.advance(3 * YEAR + DAY);
    await privacy.audit.record({ actorId: 'a2', action: 'role-change', targetId: 't2' });
    await privacy.retention.run();
    expect(await readdir(dir)).not.to.include('alt.json');
    expect((await privacy.audit.list({})).map((e) => e.actorId).filter((a) => a.startsWith('a'))).to.deep.equal(['a2']);
  });
});
