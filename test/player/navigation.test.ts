import { expect } from 'chai';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { commit, launch, publishPackage } from './support.ts';

/** GET /player/attempts/:id/nav (contents and next-step links of SCORM 1.2, cmi5 and xAPI modules). */
describe('player: navigation requests without sequencing', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());

  it('a jump that cannot be honoured stays in the player on the item it came from, with the reason', async () => {
    const { module } = await publishPackage(app, scorm12Package({ scos: 2 }), 'nav-verweigert');
    const { agent } = await app.loggedIn();
    const { attemptId } = await launch(agent, module.id, 'resume', 'sco2');
    const unknown = await agent.get(`/player/attempts/${attemptId}/nav?request=choice&from=sco2&target=gibt-es-nicht`);
    expect(unknown.status).to.equal(303);
    expect(unknown.headers.location).to.equal(`/player/attempts/${attemptId}?item=sco2`);
    const page = await agent.get(unknown.headers.location as string);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Diesen Abschnitt gibt es nicht.');
    expect(page.text).to.match(/data-config="[^"]*&quot;itemId&quot;:&quot;sco2&quot;/);

    const end = await agent.get(`/player/attempts/${attemptId}/nav?request=continue&from=sco2`);
    expect(end.headers.location).to.equal(`/player/attempts/${attemptId}?item=sco2`);
    expect((await agent.get(end.headers.location as string)).text).to.contain('Das war der letzte Abschnitt.');

    // leaving is honoured; a request that does not exist is a 400 with a German message
    expect((await agent.get(`/player/attempts/${attemptId}/nav?request=exitAll&from=sco2`)).headers.location).to.equal('/dashboard');
    const bad = await agent.get(`/player/attempts/${attemptId}/nav?request=springen`);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('Die Eingaben sind unvollständig oder ungültig.');
    expect(bad.text).to.not.match(/at \S+\.ts:\d+/);
  });

  it('after a SCO ended itself the page learns the next item not done, and that the module is done at the end', async () => {
    const { module } = await publishPackage(app, scorm12Package({ scos: 3 }), 'nav-danach');
    const { agent } = await app.loggedIn();
    const first = await launch(agent, module.id, 'resume', 'sco1');
    await commit(
      agent,
      first.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:00:10.00' },
      { terminate: true },
    );
    const after1 = await agent.get(`/player/attempts/${first.attemptId}/finished?from=sco1`).set('Accept', 'application/json');
    expect(after1.status).to.equal(200);
    expect(after1.body).to.deep.include({ allDone: false, exitUrl: '/dashboard' });
    expect(after1.body.next).to.deep.equal({ id: 'sco2', title: 'Teil 2', url: `/player/attempts/${first.attemptId}?item=sco2` });
    expect(after1.body.toc.map((e: { status: string; label: string }) => `${e.status}/${e.label}`)).to.deep.equal([
      'completed/erledigt',
      'not-attempted/nicht begonnen',
      'not-attempted/nicht begonnen',
    ]);

    // sco3 done out of order: from sco3 the next one not done is sco2 (from the start again)
    const third = await launch(agent, module.id, 'resume', 'sco3');
    await commit(
      agent,
      third.config,
      1,
      { 'cmi.core.lesson_status': 'passed', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:00:10.00' },
      { terminate: true },
    );
    expect((await agent.get(`/player/attempts/${first.attemptId}/finished?from=sco3`)).body.next?.id).to.equal('sco2');

    const second = await launch(agent, module.id, 'resume', 'sco2');
    await commit(
      agent,
      second.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:00:10.00' },
      { terminate: true },
    );
    const done = await agent.get(`/player/attempts/${first.attemptId}/finished?from=sco2`);
    expect(done.body).to.deep.include({ next: null, allDone: true });
    expect((await app.running.app.player.repo.findAttempt(first.attemptId))?.state).to.equal('ended');
  });
});
