import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cmi5Package } from '../fixtures/player/packages.ts';
import { csrfToken, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { launch, publishPackage } from './support.ts';

const AU = 'https://lotse.example.de/cmi5/player-test/au1';
const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const SESSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';

interface Launched {
  attemptId: string;
  params: URLSearchParams;
  auth: string;
  sessionId: string;
  actor: Record<string, unknown>;
  registration: string;
  activityId: string;
}

describe('player: cmi5 launch and session rules', () => {
  let app: TestApp;
  let agent: Agent;
  let learnerId: string;
  let moduleId: string;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    const { module } = await publishPackage(app, cmi5Package('/* no script needed */'), 'cmi5-regeln');
    moduleId = module.id;
    const s = await app.loggedIn();
    agent = s.agent;
    learnerId = s.user.id;
  });
  after(async () => app.stop());

  /** What every cmi5 AU does on startup (cmi5 §11, 11.0.0.0-3): ask for the learner preferences, found or not. */
  const readPreferences = (l: Launched) =>
    app
      .agent()
      .get('/xapi/agents/profile')
      .query({ agent: JSON.stringify(l.actor), profileId: 'cmi5LearnerPreferences' })
      .set('Authorization', l.auth)
      .set('X-Experience-API-Version', '1.0.3');

  async function start(mode: 'resume' | 'new' = 'resume', fetchIt = true, preferences = true): Promise<Launched> {
    const { attemptId, config } = await launch(agent, moduleId, mode);
    const params = new URL(config.contentUrl, app.url).searchParams;
    const actor = JSON.parse(params.get('actor')!) as Record<string, unknown>;
    const registration = params.get('registration')!;
    const activityId = params.get('activityId')!;
    let auth = '';
    if (fetchIt) {
      const res = await app.agent().post(new URL(params.get('fetch')!).pathname);
      expect(res.status).to.equal(200);
      auth = `Basic ${res.body['auth-token'] as string}`;
    }
    const doc = await app.running.app.lrs.service.getDocument({ activityId, agent: actor, registration, stateId: 'LMS.LaunchData' });
    const data = JSON.parse(doc!.content.toString('utf8')) as { contextTemplate: { extensions: Record<string, string> } };
    const launched = { attemptId, params, auth, sessionId: data.contextTemplate.extensions[SESSION]!, actor, registration, activityId };
    if (fetchIt && preferences) expect((await readPreferences(launched)).status).to.be.oneOf([200, 404]);
    return launched;
  }

  /** A cmi5 defined statement as a conforming AU sends it (§9): judgements with the moveOn category and the launch's mastery score. */
  function send(l: Launched, verb: string, extra: Record<string, unknown> = {}, session = l.sessionId) {
    const judgement = ['completed', 'passed', 'failed'].includes(verb);
    const statement = {
      id: randomUUID(),
      actor: l.actor,
      verb: { id: verb.startsWith('http') ? verb : `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
      object: { objectType: 'Activity', id: l.activityId },
      context: {
        registration: l.registration,
        contextActivities: { category: [{ id: CMI5 }, ...(judgement ? [{ id: MOVEON }] : [])] },
        extensions: { [SESSION]: session, ...(verb === 'passed' || verb === 'failed' ? { [MASTERY]: 0.6 } : {}) },
      },
      timestamp: new Date().toISOString(),
      ...extra,
    };
    return app.agent().post('/xapi/statements').set('Authorization', l.auth).set('X-Experience-API-Version', '1.0.3').send(statement);
  }
  const verbsOf = async (registration: string) => {
    const page = (await app.running.app.lrs.service.getStatements({ registration, ascending: true, limit: 500 })) as unknown as {
      statements: Array<{ verb: { id: string }; object: { id: string }; result?: { extensions?: Record<string, unknown> } }>;
    };
    return page.statements;
  };

  it('launches with endpoint, fetch, actor, registration and activityId; writes LMS.LaunchData and "launched"', async () => {
    const l = await start('resume', false);
    expect(l.params.get('endpoint')).to.equal(`${app.url}/xapi`);
    // §8.1.5: the activityId is made by the LMS, never the AU's publisher id
    expect(l.activityId).to.equal(`${app.url}/activities/modules/cmi5-regeln/items/${encodeURIComponent(AU)}`);
    expect(l.actor).to.deep.include({ objectType: 'Agent', account: { homePage: app.url, name: learnerId } });
    const doc = await app.running.app.lrs.service.getDocument({
      activityId: l.activityId,
      agent: l.actor,
      registration: l.registration,
      stateId: 'LMS.LaunchData',
    });
    const data = JSON.parse(doc!.content.toString('utf8')) as Record<string, unknown> & {
      contextTemplate: { contextActivities: { grouping: Array<{ id: string }> } };
    };
    expect(data.contextTemplate.contextActivities.grouping[0]!.id).to.equal(AU);
    expect(data).to.include({
      launchMode: 'Normal',
      moveOn: 'CompletedAndPassed',
      masteryScore: 0.6,
      returnURL: `${app.url}/player/attempts/${l.attemptId}/returned?item=${encodeURIComponent(AU)}`,
    });
    expect(l.sessionId).to.match(/^[0-9a-f-]{36}$/);
    const statements = await verbsOf(l.registration);
    expect(statements.map((s) => s.verb.id)).to.include('http://adlnet.gov/expapi/verbs/launched');
    // the fetch URL works once; the second call gets cmi5 error code 1
    const fetchPath = new URL(l.params.get('fetch')!).pathname;
    const first = await app.agent().post(fetchPath);
    expect(first.status).to.equal(200);
    expect(first.body['auth-token']).to.be.a('string');
    const second = await app.agent().post(fetchPath);
    expect(second.body['error-code']).to.equal('1');
    const unknown = await app.agent().post('/api/player/cmi5/fetch/gibt-es-nicht-1234567890');
    expect(unknown.body['error-code']).to.equal('2');
  });

  it('refuses statements that break the session rules and judges moveOn, with satisfied for block and course', async () => {
    const l = await start('resume');
    expect((await send(l, 'completed')).status, 'completed before initialized').to.equal(403);
    expect((await send(l, 'initialized')).status).to.equal(200);
    expect((await send(l, 'initialized')).status, 'second initialized').to.equal(403);
    const [initializedId] = (await verbsOf(l.registration)).filter((x) => x.verb.id.endsWith('/initialized')).map((x) => (x as unknown as { id: string }).id);
    expect((await send(l, 'voided', { object: { objectType: 'StatementRef', id: initializedId } })).status, 'AU voiding').to.equal(403);
    expect((await send(l, 'passed', { result: { success: true, score: { scaled: 0.5 }, duration: 'PT1M' } })).status, 'passed below mastery').to.equal(403);
    expect((await send(l, 'passed', { result: { success: true, score: { scaled: 0.8 }, duration: 'PT1M' } })).status).to.equal(200);
    expect((await send(l, 'failed', { result: { success: false, score: { scaled: 0.1 }, duration: 'PT1M' } })).status, 'failed after passed').to.equal(403);
    expect((await send(l, 'completed', { result: { completion: true, duration: 'PT2M' } })).status).to.equal(200);
    expect((await send(l, 'completed', { result: { completion: true, duration: 'PT2M' } })).status, 'second completed').to.equal(403);
    expect((await send(l, 'terminated', { result: { duration: 'PT3M' } })).status).to.equal(200);
    expect(
      (await send(l, 'http://adlnet.gov/expapi/verbs/experienced', { context: { registration: l.registration, extensions: { [SESSION]: l.sessionId } } }))
        .status,
      'after terminated',
    ).to.equal(403);

    const statements = await verbsOf(l.registration);
    const satisfied = statements.filter((s) => s.verb.id === 'https://w3id.org/xapi/adl/verbs/satisfied').map((s) => s.object.id);
    const course = `${app.url}/activities/modules/cmi5-regeln`;
    expect(satisfied).to.have.members([`${course}/blocks/${encodeURIComponent('https://lotse.example.de/cmi5/player-test/block1')}`, course]);
    const [p] = await app.running.app.player.service.progressFor(learnerId, ['cmi5-regeln']);
    expect(p).to.deep.include({ status: 'passed', score: 80, attempts: 1 });
    // 3 minutes of this session plus the seconds of the first launch, abandoned when this one started
    expect(p!.timeSpentSeconds).to.be.within(180, 200);
  });

  it('refuses "initialized" until the AU has asked for cmi5LearnerPreferences (cmi5 11.0.0.0-3)', async () => {
    const l = await start('new', true, false);
    const early = await send(l, 'initialized');
    expect(early.status).to.equal(403);
    expect(early.body.reason).to.contain('cmi5LearnerPreferences');
    // the document need not exist: asking is what counts
    expect((await readPreferences(l)).status).to.equal(404);
    expect((await send(l, 'initialized')).status).to.equal(200);
  });

  it('refuses AU statements that break the statement rules of cmi5 §9, each for its reason', async () => {
    const l = await start('new');
    expect((await send(l, 'initialized')).status).to.equal(200);
    const put = (statement: Record<string, unknown>) =>
      app
        .agent()
        .put('/xapi/statements')
        .query({ statementId: randomUUID() })
        .set('Authorization', l.auth)
        .set('X-Experience-API-Version', '1.0.3')
        .send(statement);
    const base = { actor: l.actor, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, object: { objectType: 'Activity', id: l.activityId } };
    const ctx = (cats: string[], ext: Record<string, unknown> = { [MASTERY]: 0.6 }) => ({
      registration: l.registration,
      contextActivities: { category: cats.map((id) => ({ id })) },
      extensions: { [SESSION]: l.sessionId, ...ext },
    });
    const ok = {
      ...base,
      context: ctx([CMI5, MOVEON]),
      result: { success: true, score: { scaled: 0.9 }, duration: 'PT1M' },
      timestamp: new Date().toISOString(),
    };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['9.7.0.0-1', { ...ok, timestamp: undefined }],
      ['9.7.0.0-2', { ...ok, timestamp: '2026-01-01T10:00:00-06:00' }],
      ['9.4.0.0-1', { ...ok, object: { objectType: 'Activity', id: 'http://example.com/not/the/lms/id' } }],
      ['9.5.4.1', { ...ok, result: { success: true, score: { scaled: 0.9 } } }],
      ['9.5.3.0-2', { ...ok, result: { success: true, completion: true, duration: 'PT1M' } }],
      ['9.5.2.0-1', { ...ok, result: { success: false, duration: 'PT1M' } }],
      ['9.5.1.0-3', { ...ok, result: { success: true, score: { raw: 9, scaled: 0.9 }, duration: 'PT1M' } }],
      ['9.6.2.2-1', { ...ok, context: ctx([CMI5]) }],
      ['9.6.2.2-2', { ...ok, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, context: ctx([MOVEON]) }],
      ['9.6.3.2-2', { ...ok, context: ctx([CMI5, MOVEON], { [MASTERY]: 0.8 }) }],
      ['9.5.3.0-1', { ...ok, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, result: { completion: false, duration: 'PT1M' } }],
      [
        '9.5.1.0-2',
        { ...ok, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, result: { completion: true, score: { scaled: 0.5 }, duration: 'PT1M' } },
      ],
    ];
    for (const [rule, statement] of cases) {
      const res = await put(JSON.parse(JSON.stringify(statement)) as Record<string, unknown>);
      expect(res.status, rule).to.equal(403);
      expect(res.body.reason, rule).to.contain(rule);
    }
    // 9.1.0.0-1: without an id (a POST; the LRS would make one up)
    const noId = await app.agent().post('/xapi/statements').set('Authorization', l.auth).set('X-Experience-API-Version', '1.0.3').send(ok);
    expect(noId.status).to.equal(403);
    expect(noId.body.reason).to.contain('9.1.0.0-1');
    // the refused ones left the session's one judgement free
    expect((await put(ok)).status).to.equal(204);
  });

  it('returns an exited AU to a page of ours that moves the player on, never to the dashboard inside the frame (cmi5 §10.2.6)', async () => {
    const l = await start('new');
    const doc = await app.running.app.lrs.service.getDocument({
      activityId: l.activityId,
      agent: l.actor,
      registration: l.registration,
      stateId: 'LMS.LaunchData',
    });
    const returnURL = new URL((JSON.parse(doc!.content.toString('utf8')) as { returnURL: string }).returnURL);
    // what the AU's frame loads: no login needed, no cache, the way on and the script that hands over
    const page = await app.agent().get(returnURL.pathname + returnURL.search);
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.text).to.contain('data-next="/dashboard"').and.to.contain('/static/player/cmi5-return.js');
    // a page of its own: nothing of the site (header, navigation) shows inside the AU's frame
    expect(page.text).not.to.contain('site-header');
    // for the learner (a window of its own): the next AU not yet done; this course has only the one, so the overview
    const mine = await agent.get(returnURL.pathname + returnURL.search);
    expect(mine.text).to.contain(`data-attempt="${l.attemptId}"`).and.to.contain('data-next="/dashboard"');
    expect((await app.agent().get(`/player/attempts/zzz/returned`)).status, 'a malformed attempt id').to.equal(400);
  });

  it('OwnWindow: every "Inhalt öffnen" mints a new launch with a fetch URL of its own', async () => {
    const files = cmi5Package('/* no script needed */');
    files['cmi5.xml'] = files['cmi5.xml']!.replace('moveOn="CompletedAndPassed"', 'moveOn="CompletedAndPassed" launchMethod="OwnWindow"');
    const { module } = await publishPackage(app, files, 'cmi5-fenster');
    const { attemptId, config, html } = await launch(agent, module.id, 'new');
    expect(config.ownWindow).to.equal(true);
    const button = /id="open-window" href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    expect(button).to.equal(`/player/attempts/${attemptId}/window?item=${encodeURIComponent(AU)}`);
    // the page's own launch is used up by the first window
    const firstFetch = new URL(new URL(config.frameUrl).searchParams.get('fetch')!).pathname;
    expect((await app.agent().post(firstFetch)).body['auth-token']).to.be.a('string');
    const fetchUrls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const opened = await agent.get(button);
      expect(opened.status).to.equal(303);
      const url = new URL(opened.headers.location as string);
      expect(url.origin).to.equal(app.contentOrigin);
      fetchUrls.push(new URL(url.searchParams.get('fetch')!).pathname);
    }
    expect(new Set([firstFetch, ...fetchUrls]).size).to.equal(3);
    // the newest launch fetches its token; the one before was abandoned when it started
    expect((await app.agent().post(fetchUrls[1]!)).body['auth-token']).to.be.a('string');
    expect((await app.agent().post(fetchUrls[0]!)).body['error-code']).to.equal('2');
    expect((await app.agent().get(button)).status, 'only the learner opens it').to.equal(302);
  });

  it('launches an AU of a bare cmi5.xml on its own server, in a window of its own, with the launch parameters after its query', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cmi5-bare-'));
    const file = path.join(dir, 'cmi5.xml');
    const text = (tag: string) => `<${tag}><langstring lang="de-DE">Extern</langstring></${tag}>`;
    await writeFile(
      file,
      `<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"><course id="https://lotse.example.de/extern">${text('title')}${text('description')}</course><au id="https://lotse.example.de/extern/au" moveOn="Completed">${text('title')}${text('description')}<url>https://au.example.org/start.html?lang=de#anfang</url></au></courseStructure>`,
    );
    const { module } = await app.running.app.content.service.importPackage(file, {
      originalName: 'cmi5.xml',
      moduleTitle: 'Extern',
      moduleSlug: 'cmi5-extern',
      publish: true,
    });
    const { config } = await launch(agent, module.id, 'new');
    // 8.1.0.0-3: with AnyWindow the LMS chooses; the player's frame admits only the content origin
    expect(config.ownWindow).to.equal(true);
    const url = new URL(config.frameUrl);
    expect(`${url.origin}${url.pathname}`).to.equal('https://au.example.org/start.html');
    expect(url.hash).to.equal('#anfang');
    expect(url.searchParams.get('lang')).to.equal('de');
    expect(url.searchParams.get('endpoint')).to.equal(`${app.url}/xapi`);
    expect(url.searchParams.get('fetch')).to.match(/\/api\/player\/cmi5\/fetch\//);
  });

  it('opens a course whose AUs are all "NotApplicable" (satisfied at registration, §9.6.1.1): the learner starts it and opens it again', async () => {
    const files = cmi5Package('/* no script needed */');
    files['cmi5.xml'] = files['cmi5.xml']!.replace(' moveOn="CompletedAndPassed" masteryScore="0.6"', '')
      .replace('/player-test', '/player-test-na')
      .replace(/player-test\//g, 'player-test-na/');
    const { module } = await publishPackage(app, files, 'cmi5-ohne-moveon');
    const { attemptId, config } = await launch(agent, module.id);
    expect(config.contentUrl).to.contain('fetch=');
    expect((await app.running.app.player.repo.findAttempt(attemptId))?.state).to.not.equal('ended');
    const again = await agent.get(`/player/attempts/${attemptId}`);
    expect(again.status).to.equal(200);
  });

  it('abandons a session left open when a new one starts and refuses its statements afterwards', async () => {
    const a = await start('new');
    expect((await send(a, 'initialized')).status).to.equal(200);
    const b = await start('resume');
    expect(b.registration).to.equal(a.registration);
    expect(b.sessionId).not.to.equal(a.sessionId);
    const statements = await verbsOf(a.registration);
    const abandoned = statements.filter((s) => s.verb.id === 'https://w3id.org/xapi/adl/verbs/abandoned');
    expect(abandoned).to.have.length(1);
    expect((await send(a, 'completed')).status, 'statement of the abandoned session').to.equal(403);
    expect((await send(b, 'initialized')).status).to.equal(200);
  });

  it('lets an admin waive an AU with a reason; the waiver satisfies the course', async () => {
    const l = await start('new');
    const { agent: admin } = await app.loggedIn(['admin']);
    const token = await csrfToken(admin, '/dashboard');
    const noReason = await admin
      .post('/admin/player/waive')
      .type('form')
      .set('Accept', 'application/json')
      .send({ _csrf: token, attemptId: l.attemptId, itemId: AU, reason: '' });
    expect(noReason.status).to.equal(400);
    const learnerTry = await agent
      .post('/admin/player/waive')
      .type('form')
      .send({ _csrf: await csrfToken(agent, '/dashboard'), attemptId: l.attemptId, itemId: AU, reason: 'Vorkenntnisse' });
    expect(learnerTry.status).to.equal(403);
    const res = await admin
      .post('/admin/player/waive')
      .type('form')
      .send({ _csrf: token, attemptId: l.attemptId, itemId: AU, reason: 'Anerkannte Vorkenntnisse (IHK-Zertifikat)' });
    expect(res.status).to.equal(303);
    const statements = await verbsOf(l.registration);
    const waived = statements.find((s) => s.verb.id === 'https://w3id.org/xapi/adl/verbs/waived');
    expect(waived?.result?.extensions?.['https://w3id.org/xapi/cmi5/result/extensions/reason']).to.equal('Anerkannte Vorkenntnisse (IHK-Zertifikat)');
    expect(
      statements.some((s) => s.verb.id === 'https://w3id.org/xapi/adl/verbs/satisfied' && s.object.id === `${app.url}/activities/modules/cmi5-regeln`),
    ).to.equal(true);
    const attempt = await app.running.app.player.repo.findAttempt(l.attemptId);
    expect(attempt?.satisfied).to.equal(true);
  });
});
