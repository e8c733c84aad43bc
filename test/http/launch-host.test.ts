import { expect } from 'chai';
import request from 'supertest';
import { cmi5, tincan } from '../fixtures/content/packages.ts';
import { configOf, publishPackage } from '../player/support.ts';
import { csrfFrom, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

/**
 * Without PUBLIC_URL the server's public URL is http://localhost:PORT. A learner who opens it as
 * http://127.0.0.1:PORT or under its LAN name must get launch URLs (LRS endpoint, cmi5 fetch URL,
 * returnURL) on the host the browser reached, and the content origin's CSP must allow exactly that
 * (issue #15 item 6). The actor's homePage stays the public URL: the learner's identity must not
 * change with the host name (src/player/progress.ts identityOf).
 */

const port = (url: string) => new URL(url).port;

/** The player page of a new attempt, requested with this Host header (and any further headers). */
async function playerPage(agent: Agent, moduleId: string, headers: Record<string, string>) {
  const dash = await agent.get('/dashboard');
  const start = await agent
    .post(`/player/modules/${moduleId}/start`)
    .type('form')
    .send({ _csrf: csrfFrom(dash.text), mode: 'new' });
  expect(start.status, start.text.slice(0, 200)).to.equal(303);
  const page = agent.get(start.headers.location as string);
  for (const [k, v] of Object.entries(headers)) void page.set(k, v);
  const res = await page;
  expect(res.status, res.text.slice(0, 300)).to.equal(200);
  return configOf(res.text);
}

/** The CSP the content listener sends with a package file, asked under `host`. */
async function contentCsp(app: TestApp, launchUrl: URL, host: string): Promise<string> {
  const res = await request(app.contentOrigin).get(launchUrl.pathname).set('Host', host);
  expect(res.status).to.equal(200);
  return String(res.headers['content-security-policy']);
}

const connectSrc = (csp: string) => (/connect-src ([^;]*)/.exec(csp)?.[1] ?? '').split(' ');
/** Does a CSP source list allow this URL (path prefixes ending in "/", as CSP3 §6.7.2.8 matches them)? */
const allows = (sources: string[], url: string) => sources.some((s) => s.endsWith('/') && url.startsWith(s));

describe('http: launch URLs under the host the browser used (PUBLIC_URL unset)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let cmi5Module: string;
  let tincanModule: string;
  before(async () => {
    app = await startTestApp();
    cmi5Module = (await publishPackage(app, cmi5(), 'host-cmi5')).module.id;
    tincanModule = (await publishPackage(app, tincan(), 'host-tincan')).module.id;
  });
  after(async () => app?.stop());

  for (const hostname of ['127.0.0.1', 'lotse-laptop.fritz.box']) {
    it(`builds the cmi5 endpoint, fetch URL and returnURL on ${hostname}, and the content CSP allows them`, async () => {
      const { agent } = await app.loggedIn();
      const platform = `http://${hostname}:${port(app.url)}`;
      const config = await playerPage(agent, cmi5Module, { Host: `${hostname}:${port(app.url)}` });
      const launch = new URL(config.contentUrl);
      expect(launch.hostname).to.equal(hostname === '127.0.0.1' ? 'localhost' : hostname);
      const endpoint = launch.searchParams.get('endpoint')!;
      const fetchUrl = launch.searchParams.get('fetch')!;
      expect(endpoint).to.equal(`${platform}/xapi`);
      expect(fetchUrl.startsWith(`${platform}/api/player/cmi5/fetch/`), fetchUrl).to.equal(true);
      const actor = JSON.parse(launch.searchParams.get('actor')!) as { account: { homePage: string } };
      expect(actor.account.homePage).to.equal(app.url);

      // what the AU then fetches is allowed by the CSP its own origin sends
      const sources = connectSrc(await contentCsp(app, launch, launch.host));
      expect(allows(sources, `${endpoint}/statements`), sources.join(' ')).to.equal(true);
      expect(allows(sources, fetchUrl), sources.join(' ')).to.equal(true);

      // and it works: the fetch URL answers, and LMS.LaunchData's returnURL leads back to this host
      const fetched = await request(app.url).post(new URL(fetchUrl).pathname).set('Host', new URL(fetchUrl).host).set('Origin', launch.origin);
      expect(fetched.status).to.equal(200);
      const token = (fetched.body as { 'auth-token': string })['auth-token'];
      const state = await request(app.url)
        .get('/xapi/activities/state')
        .query({
          activityId: launch.searchParams.get('activityId')!,
          agent: JSON.stringify(actor),
          registration: launch.searchParams.get('registration')!,
          stateId: 'LMS.LaunchData',
        })
        .set('Authorization', `Basic ${token}`)
        .set('X-Experience-API-Version', '1.0.3');
      expect(state.status).to.equal(200);
      // (the player's page for an exited AU, cmi5 §10.2.6, which moves the player on)
      const returnURL = new URL((JSON.parse(state.text) as { returnURL: string }).returnURL);
      expect(returnURL.origin).to.equal(platform);
      expect(returnURL.pathname).to.match(/^\/player\/attempts\/[a-f0-9]{24}\/returned$/);
    });
  }

  it('builds the tincan launch endpoint on the host the browser used', async () => {
    const { agent } = await app.loggedIn();
    const config = await playerPage(agent, tincanModule, { Host: `127.0.0.1:${port(app.url)}` });
    const launch = new URL(config.contentUrl);
    const endpoint = launch.searchParams.get('endpoint')!;
    expect(endpoint).to.equal(`http://127.0.0.1:${port(app.url)}/xapi/`);
    const sources = connectSrc(await contentCsp(app, launch, launch.host));
    expect(allows(sources, `${endpoint}statements`), sources.join(' ')).to.equal(true);
  });

  it('believes X-Forwarded-Host only from a proxy TRUST_PROXY does not trust: never', async () => {
    const { agent } = await app.loggedIn();
    const config = await playerPage(agent, tincanModule, { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' });
    expect(new URL(config.contentUrl).searchParams.get('endpoint')).to.equal(`${app.url}/xapi/`);
  });
});

describe('http: launch URLs behind a trusted proxy, and with PUBLIC_URL', function () {
  this.timeout(60_000);

  it('follows X-Forwarded-Host and -Proto of a trusted proxy (TRUST_PROXY)', async () => {
    const app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    try {
      const { module } = await publishPackage(app, tincan(), 'proxy-tincan');
      const { agent } = await app.loggedIn();
      const config = await playerPage(agent, module.id, { 'X-Forwarded-Host': 'lotse.example.de', 'X-Forwarded-Proto': 'https' });
      expect(new URL(config.contentUrl).searchParams.get('endpoint')).to.equal('https://lotse.example.de/xapi/');
    } finally {
      await app.stop();
    }
  });

  it('uses PUBLIC_URL whatever Host the request names', async () => {
    const app = await startTestApp({ env: { PUBLIC_URL: 'http://lotse.lan:8080' } });
    try {
      const { module } = await publishPackage(app, cmi5(), 'public-cmi5');
      const { agent } = await app.loggedIn();
      const config = await playerPage(agent, module.id, { Host: `127.0.0.1:${port(app.url)}` });
      const launch = new URL(config.contentUrl);
      expect(launch.searchParams.get('endpoint')).to.equal('http://lotse.lan:8080/xapi');
      expect(launch.searchParams.get('fetch')!.startsWith('http://lotse.lan:8080/api/player/cmi5/fetch/')).to.equal(true);
    } finally {
      await app.stop();
    }
  });
});
