import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { isLanguagePreference } from '../../src/player/cmi5-document-rules.ts';
import { cmi5Package } from '../fixtures/player/packages.ts';
import { SEED, SEED_AUTH, q } from '../lrs/support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { launch, publishPackage } from './support.ts';

interface Launched {
  auth: string;
  actor: Record<string, unknown>;
  registration: string;
  activityId: string;
}

describe('player: cmi5 document rules (LMS.LaunchData §10.2.1, learner preferences §11)', () => {
  let app: TestApp;
  let l: Launched;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent', LRS_SEED_KEY: SEED.key, LRS_SEED_SECRET: SEED.secret } });
    const { module } = await publishPackage(app, cmi5Package('/* no script needed */'), 'cmi5-dokumente');
    const { agent } = await app.loggedIn();
    const { config } = await launch(agent, module.id);
    const params = new URL(config.contentUrl, app.url).searchParams;
    const res = await app.agent().post(new URL(params.get('fetch')!).pathname);
    l = {
      auth: `Basic ${res.body['auth-token'] as string}`,
      actor: JSON.parse(params.get('actor')!) as Record<string, unknown>,
      registration: params.get('registration')!,
      activityId: params.get('activityId')!,
    };
  });
  after(async () => app.stop());

  const xapi = (method: 'get' | 'put' | 'post' | 'delete', path: string, auth = l.auth) =>
    app.agent()[method](`/xapi${path}`).set('Authorization', auth).set('X-Experience-API-Version', '1.0.3');
  const state = (stateId?: string) =>
    `/activities/state${q({ activityId: l.activityId, agent: l.actor, registration: l.registration, ...(stateId ? { stateId } : {}) })}`;
  const launchData = async () => (await xapi('get', state('LMS.LaunchData'))).body as Record<string, unknown>;

  it('refuses PUT, POST and DELETE of LMS.LaunchData with the launch credentials (403) and keeps it', async () => {
    const before = await launchData();
    expect(before).to.include({ launchMode: 'Normal' });
    expect((await xapi('put', state('LMS.LaunchData')).send({ test: true })).status).to.equal(403);
    expect((await xapi('post', state('LMS.LaunchData')).send({ launchMode: 'Browse' })).status).to.equal(403);
    expect((await xapi('delete', state('LMS.LaunchData'))).status).to.equal(403);
    // deleting every state of the registration would remove it too
    expect((await xapi('delete', state())).status).to.equal(403);
    expect(await launchData()).to.deep.equal(before);
  });

  it('lets the AU write and delete its other states', async () => {
    expect((await xapi('put', state('bookmark')).send({ page: 3 })).status).to.equal(204);
    expect((await xapi('get', state('bookmark'))).body).to.deep.equal({ page: 3 });
    expect((await xapi('delete', state('bookmark'))).status).to.equal(204);
  });

  it('leaves LMS.LaunchData alone for credentials that are not a cmi5 launch', async () => {
    const actor = { objectType: 'Agent' as const, account: { homePage: 'https://lotse.example.de', name: 'xapi-lerner' } };
    const registration = randomUUID();
    const minted = await app.running.app.lrs.mintCredentials({ actor, registration, ttlSeconds: 600 });
    const path = `/activities/state${q({ activityId: 'http://example.org/tincan', agent: actor, registration, stateId: 'LMS.LaunchData' })}`;
    expect((await xapi('put', path, minted.authorization).send({ a: 1 })).status).to.equal(204);
  });

  describe('cmi5LearnerPreferences', () => {
    const prefs = (agent: unknown = l.actor) =>
      `/agents/profile${q(agent === undefined ? { profileId: 'cmi5LearnerPreferences' } : { agent, profileId: 'cmi5LearnerPreferences' })}`;
    const valid = { languagePreference: 'en-US,fr-FR,fr-BE', audioPreference: 'on' };
    const putJson = (body: unknown, auth = l.auth) => xapi('put', prefs(), auth).set('Content-Type', 'application/json').send(JSON.stringify(body));

    it('answers 400 without an agent (xAPI) and 403 for another agent', async () => {
      expect((await xapi('put', prefs(undefined)).set('Content-Type', 'application/json').send(JSON.stringify(valid))).status).to.equal(400);
      expect(
        (
          await xapi('put', prefs({ mbox: 'mailto:catapult@example.com' }))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(valid))
        ).status,
      ).to.equal(403);
    });

    it('refuses bodies that are not the cmi5 document with 403', async () => {
      expect((await xapi('put', prefs()).set('Content-Type', 'text/plain').send(JSON.stringify(valid))).status, 'text/plain JSON').to.equal(403);
      expect((await xapi('put', prefs()).set('Content-Type', 'text/plain').send('just some text')).status, 'text').to.equal(403);
      expect((await xapi('put', prefs()).set('Content-Type', 'application/json').send('{kaputt')).status, 'broken JSON').to.equal(403);
      expect((await putJson(['en-US'])).status, 'array').to.equal(403);
      expect((await putJson({ audioPreference: 'on' })).status, 'no languagePreference').to.equal(403);
      expect((await putJson({ languagePreference: 'de-DE' })).status, 'no audioPreference').to.equal(403);
      expect((await putJson({ ...valid, languagePreference: 'not comma separated' })).status, 'invalid tags').to.equal(403);
      expect((await putJson({ ...valid, languagePreference: '' })).status, 'empty').to.equal(403);
      expect((await putJson({ ...valid, audioPreference: 'laut' })).status, 'audio').to.equal(403);
      expect(
        (
          await xapi('post', prefs())
            .set('Content-Type', 'application/json')
            .send(JSON.stringify({ audioPreference: 'off' }))
        ).status,
        'partial POST',
      ).to.equal(403);
      // the document's shape is cmi5's for every writer, not only for launches
      expect((await putJson({ audioPreference: 'on' }, SEED_AUTH).set('If-None-Match', '*')).status, 'seed client').to.equal(403);
      expect((await xapi('get', prefs())).status).to.equal(404);
    });

    it('stores a conforming document (xAPI preconditions still apply)', async () => {
      expect((await putJson(valid)).status, 'no precondition on a new profile').to.equal(400);
      expect((await putJson(valid).set('If-None-Match', '*')).status).to.equal(204);
      expect(
        (
          await xapi('post', prefs())
            .set('Content-Type', 'application/json; charset=utf-8')
            .send(JSON.stringify({ languagePreference: 'de-DE', audioPreference: 'off' }))
        ).status,
      ).to.equal(204);
      expect((await xapi('get', prefs())).body).to.deep.equal({ languagePreference: 'de-DE', audioPreference: 'off' });
      expect((await xapi('delete', prefs())).status).to.equal(204);
    });

    it('reads languagePreference as comma-separated RFC 5646 tags', () => {
      for (const ok of ['de', 'en-US,fr-FR,fr-BE', 'zh-Hant-TW', 'es-419', 'de-DE-1996', 'en-US, de-CH', 'x-klingon', 'sl-rozaj-biske'])
        expect(isLanguagePreference(ok), ok).to.equal(true);
      for (const bad of ['', ' ', 'not comma separated', 'en-US,', 'en_US', 'deutsch-land-x', 'a', 'en-US;q=0.8'])
        expect(isLanguagePreference(bad), bad).to.equal(false);
    });
  });
});
