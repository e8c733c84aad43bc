import { expect } from 'chai';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { csrfFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { commit, launch, publishPackage } from './support.ts';

/**
 * Issue #15 item 4: a learner with an open attempt on version 1 never got the author's fixed version 2
 * (only "Fortsetzen"). Now the dashboard offers both, says what each means, and new attempts launch
 * the newest published version.
 */
describe('player: a newer version while an attempt on an older one is open', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
  });
  after(async () => app.stop());

  /** The module's card on the dashboard: its buttons (data-action) and the version note. */
  const cardOf = (html: string, slug: string) => {
    const li = new RegExp(`<li class="module-card" data-module="${slug}">(.*?)</li>`, 's').exec(html)?.[1] ?? '';
    return { actions: [...li.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1]), note: /<p class="version-note"[^>]*>([^<]*)</.exec(li)?.[1] ?? null };
  };

  it('offers "Fortsetzen" on version 1 and "Neue Version starten" on version 2, with what it means for the progress', async () => {
    const slug = 'versionen';
    const v1 = await publishPackage(app, scorm12Package({ scos: 2 }), slug);
    const { agent, user } = await app.loggedIn();
    const first = await launch(agent, v1.module.id, 'resume', 'sco1');
    await commit(
      agent,
      first.config,
      1,
      { 'cmi.core.lesson_status': 'completed', 'cmi.core.exit': '', 'cmi.core.session_time': '0000:01:00.00' },
      { terminate: true },
    );
    const open = await app.running.app.player.repo.findAttempt(first.attemptId);
    expect(open).to.include({ state: 'open', versionId: v1.version.id });
    expect(cardOf((await agent.get('/dashboard')).text, slug)).to.deep.equal({ actions: ['resume'], note: null });

    // the author publishes a fixed version 2
    const v2 = await publishPackage(app, scorm12Package({ scos: 2 }), slug);
    const content = app.running.app.content.service;
    if ((await content.getPublishedVersion(v1.module.id))?.id !== v2.version.id) await content.publish(v1.module.id, v2.version.id);
    expect(v2.version.id).to.not.equal(v1.version.id);

    const dash = await agent.get('/dashboard');
    const card = cardOf(dash.text, slug);
    expect(card.actions).to.deep.equal(['resume', 'new-version']);
    expect(card.note).to.contain('neue Version').and.to.contain('bleibt in Ihrem Stand erhalten');
    expect(dash.text).to.contain('Neue Version starten');

    // "Fortsetzen" stays on version 1, in the same attempt
    const resumed = await launch(agent, v1.module.id, 'resume', 'sco2');
    expect(resumed.attemptId).to.equal(first.attemptId);
    expect((await app.running.app.player.repo.findAttempt(resumed.attemptId))?.versionId).to.equal(v1.version.id);

    // "Neue Version starten": a new attempt on version 2; the old one ends and its progress is kept
    const page = await agent.get('/dashboard');
    const start = await agent
      .post(`/player/modules/${v1.module.id}/start`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), mode: 'new' });
    expect(start.status).to.equal(303);
    const newId = /\/player\/attempts\/([a-f0-9]{24})/.exec(start.headers.location as string)![1]!;
    expect(newId).to.not.equal(first.attemptId);
    const fresh = await app.running.app.player.repo.findAttempt(newId);
    expect(fresh).to.include({ versionId: v2.version.id, number: 2 });
    expect((await app.running.app.player.repo.findAttempt(first.attemptId))?.state).to.equal('ended');
    const p = (await app.running.app.player.service.progressFor(user.id, [slug]))[0]!;
    expect(p.attempts).to.equal(2);
    // the attempt now open is on the published version: no choice any more
    expect(cardOf((await agent.get('/dashboard')).text, slug)).to.deep.equal({ actions: ['resume'], note: null });
  });
});
