import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { writePackage } from '../fixtures/content/packages.ts';
import { cmi5Package, scorm12Package, tincanPackage } from '../fixtures/player/packages.ts';
import { csrfFrom, csrfToken, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { commit, configOf, launch, publishPackage } from './support.ts';

const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';

/** Imports a package as a new, unpublished version of a module. */
async function importUnpublished(app: TestApp, files: Record<string, string | Buffer>, slug: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'player-preview-'));
  const file = await writePackage(dir, slug, files);
  return app.running.app.content.service.importPackage(file, { moduleTitle: slug, moduleSlug: slug, publish: false });
}

/** Presses "Vorschau starten" on the author's version page; returns the attempt and the player page. */
async function preview(agent: Agent, versionId: string) {
  const page = await agent.get(`/author/versions/${versionId}`);
  expect(page.status).to.equal(200);
  expect(page.text).to.contain(`action="/player/preview/${versionId}"`);
  expect(page.text).to.contain('Vorschau starten');
  const start = await agent
    .post(`/player/preview/${versionId}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text) });
  expect(start.status, start.text.slice(0, 300)).to.equal(303);
  const attemptId = /\/player\/attempts\/([a-f0-9]{24})$/.exec(start.headers.location as string)![1]!;
  const player = await agent.get(`/player/attempts/${attemptId}`);
  expect(player.status, player.text.slice(0, 300)).to.equal(200);
  return { attemptId, html: player.text, config: configOf(player.text) };
}

describe('player: author preview of any version', () => {
  let app: TestApp;
  let author: Agent;
  let authorId: string;
  let learner: Agent;
  let learnerId: string;
  const progressRecords = () => app.running.connection.db!.collection('player_progress').countDocuments();

  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    ({
      agent: author,
      user: { id: authorId },
    } = await app.loggedIn(['author']));
    ({
      agent: learner,
      user: { id: learnerId },
    } = await app.loggedIn());
  });
  after(async () => app.stop());

  it('previews an unpublished SCORM 1.2 version; commits count for nobody and the version stays deletable', async () => {
    const { module, version } = await importUnpublished(app, scorm12Package({ masteryScore: 80 }), 'vorschau-scorm');
    const { attemptId, html, config } = await preview(author, version.id);
    expect(html).to.contain('Vorschau – zählt nicht als Lernversuch');
    expect(html).to.contain(`href="/author/versions/${version.id}"`);
    expect(config.scorm?.version).to.equal('1.2');
    // the preview opens a launch token on the content origin, not a session URL on ours
    expect(config.contentUrl).to.match(new RegExp(`^${app.contentOrigin}/content/t/[A-Za-z0-9_-]+/${version.id}/sco1\\.html$`));
    expect(config.frameUrl.startsWith(`${app.contentOrigin}/frame/scorm?`)).to.equal(true);
    const tokenPath = new URL(config.contentUrl).pathname;
    expect((await author.get(tokenPath)).status).to.equal(404);
    expect((await author.get(`/content/${version.id}/sco1.html`)).status).to.equal(404);
    const file = await app.contentAgent().get(tokenPath);
    expect(file.status).to.equal(200);
    expect(file.text).to.contain('data-scorm="1.2"');

    const res = await commit(
      author,
      config,
      1,
      { 'cmi.core.lesson_status': 'passed', 'cmi.core.score.raw': '90', 'cmi.core.session_time': '0000:01:00.00', 'cmi.core.exit': '' },
      { terminate: true },
    );
    expect(res.body).to.deep.equal({ result: true, errorCode: 0 });
    const attempt = await app.running.app.player.repo.findAttempt(attemptId);
    expect(attempt).to.deep.include({ preview: true, learnerId: authorId, versionId: version.id, success: 'passed' });

    expect(await progressRecords()).to.equal(0);
    for (const id of [learnerId, authorId]) {
      const [p] = await app.running.app.player.service.progressFor(id, ['vorschau-scorm']);
      expect(p).to.deep.include({ status: 'not-attempted', attempts: 0 });
    }
    expect((await app.running.app.content.service.getVersion(version.id))?.launchedAt).to.equal(null);
    const modulePage = await author.get(`/author/modules/${module.id}`);
    expect(modulePage.text).to.contain(`action="/player/preview/${version.id}"`);
    expect(modulePage.text).to.contain(`action="/author/versions/${version.id}/delete"`);
    const del = await author
      .post(`/author/versions/${version.id}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(modulePage.text) });
    expect(del.status).to.equal(303);
    expect(await app.running.app.content.service.getVersion(version.id)).to.equal(undefined);
  });

  it('previews an unpublished cmi5 AU through fetch URL and the LRS; no progress, no "launched" mark', async () => {
    const { version } = await importUnpublished(app, cmi5Package('/* preview */'), 'vorschau-cmi5');
    const { attemptId, config } = await preview(author, version.id);
    const url = new URL(config.contentUrl, app.url);
    expect(url.pathname).to.match(new RegExp(`^/content/t/[A-Za-z0-9_-]+/${version.id}/au/index\\.html$`));
    expect(url.origin).to.equal(app.contentOrigin);
    expect((await app.contentAgent().get(url.pathname)).status).to.equal(200);
    const params = url.searchParams;
    const fetched = await app.agent().post(new URL(params.get('fetch')!).pathname);
    const auth = `Basic ${fetched.body['auth-token'] as string}`;
    const actor = JSON.parse(params.get('actor')!) as Record<string, unknown>;
    const registration = params.get('registration')!;
    const activityId = params.get('activityId')!;
    const doc = await app.running.app.lrs.service.getDocument({ activityId, agent: actor, registration, stateId: 'LMS.LaunchData' });
    const launchData = JSON.parse(doc!.content.toString('utf8')) as { returnURL: string; contextTemplate: { extensions: Record<string, string> } };
    // the AU returns to our page, which leads a preview back to the author's page of the version
    const returnURL = new URL(launchData.returnURL);
    expect(returnURL.pathname).to.equal(`/player/attempts/${attemptId}/returned`);
    const next = /data-next="([^"]+)"/.exec((await author.get(returnURL.pathname + returnURL.search)).text)![1]!;
    expect(next).to.equal(`/author/versions/${version.id}`);
    const sessionId = launchData.contextTemplate.extensions[SESSION]!;
    // as every cmi5 AU does on startup (cmi5 §11, 11.0.0.0-3)
    const prefs = await app
      .agent()
      .get('/xapi/agents/profile')
      .query({ agent: JSON.stringify(actor), profileId: 'cmi5LearnerPreferences' })
      .set('Authorization', auth)
      .set('X-Experience-API-Version', '1.0.3');
    expect(prefs.status).to.equal(404);
    const send = (verb: string, result?: object) =>
      app
        .agent()
        .post('/xapi/statements')
        .set('Authorization', auth)
        .set('X-Experience-API-Version', '1.0.3')
        .send({
          id: randomUUID(),
          actor,
          verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
          object: { objectType: 'Activity', id: activityId },
          // a conforming AU (cmi5 §9): judgements carry the moveOn category and the launch's mastery score
          context: {
            registration,
            contextActivities: {
              category: [
                { id: CMI5 },
                ...(['completed', 'passed', 'failed'].includes(verb) ? [{ id: 'https://w3id.org/xapi/cmi5/context/categories/moveon' }] : []),
              ],
            },
            extensions: { [SESSION]: sessionId, ...(verb === 'passed' ? { 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore': 0.6 } : {}) },
          },
          ...(result ? { result } : {}),
          timestamp: new Date().toISOString(),
        });
    expect((await send('initialized')).status).to.equal(200);
    expect((await send('passed', { success: true, score: { scaled: 0.9 }, duration: 'PT1M' })).status).to.equal(200);
    expect((await send('completed', { completion: true, duration: 'PT2M' })).status).to.equal(200);
    expect((await send('terminated', { duration: 'PT2M' })).status).to.equal(200);
    const attempt = await app.running.app.player.repo.findAttempt(attemptId);
    expect(attempt).to.deep.include({ preview: true, satisfied: true });

    expect(await progressRecords()).to.equal(0);
    const [p] = await app.running.app.player.service.progressFor(learnerId, ['vorschau-cmi5']);
    expect(p).to.deep.include({ status: 'not-attempted', attempts: 0 });
    const del = await author
      .post(`/author/versions/${version.id}/delete`)
      .type('form')
      .send({ _csrf: await csrfToken(author, '/author/modules') });
    expect(del.status).to.equal(303);
  });

  it('previews the published version without touching the learner-facing state', async () => {
    const { module, version } = await publishPackage(app, tincanPackage(), 'vorschau-xapi');
    const { config } = await preview(author, version.id);
    expect(new URL(config.contentUrl, app.url).searchParams.get('endpoint')).to.equal(`${app.url}/xapi/`);
    // the author's dashboard still says "Starten": the preview is not an attempt to resume
    const rows = await app.running.app.player.service.dashboard(authorId);
    expect(rows.find((r) => r.moduleId === module.id)).to.deep.include({ status: 'not-attempted', action: 'start', attempts: 0 });
    expect((await app.running.app.content.service.getVersion(version.id))?.launchedAt).to.equal(null);
    // the author's own real attempt afterwards is attempt 1 of their progress; the preview is not counted
    const real = await launch(author, module.id);
    expect((await app.running.app.player.repo.findAttempt(real.attemptId))?.preview).to.equal(false);
    const [p] = await app.running.app.player.service.progressFor(authorId, ['vorschau-xapi']);
    expect(p).to.deep.include({ status: 'in-progress', attempts: 1 });
    expect((await app.running.app.content.service.getVersion(version.id))?.launchedAt).to.be.instanceOf(Date);
  });

  it('refuses the preview to learners (403) and to visitors', async () => {
    const { version } = await importUnpublished(app, scorm12Package(), 'vorschau-verboten');
    const res = await learner
      .post(`/player/preview/${version.id}`)
      .type('form')
      .send({ _csrf: await csrfToken(learner, '/dashboard') });
    expect(res.status).to.equal(403);
    const visitor = app.agent();
    const anon = await visitor
      .post(`/player/preview/${version.id}`)
      .type('form')
      .send({ _csrf: await csrfToken(visitor, '/login') });
    // the login redirect, or the CSRF check first when the anonymous session kept no token
    expect([302, 401, 403]).to.include(anon.status);
    if (anon.status === 302) expect(anon.headers.location).to.match(/^\/login/);
    expect(await app.running.connection.db!.collection('player_attempts').countDocuments({ versionId: version.id })).to.equal(0);
  });
});
