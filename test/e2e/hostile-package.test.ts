import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { hostileScorm12Package } from '../fixtures/player/hostile-package.ts';
import { publishPackage } from '../player/support.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { browserLogin, contentFrame, eventually, pressModuleButton } from './player-support.ts';

type Report = Record<string, string | number>;

/**
 * The audit's attack (standards.md "Content isolation"): a SCORM package that tries to act as the
 * learner who launches it and as the admin who previews it. It runs on the content origin, framed
 * with a sandbox, and reaches the platform only through the SCORM API: everything else must fail.
 */
/** Per mode: the frame's sandbox, and what the package's requests to its own origin's other paths get. */
const MODES = {
  // a content origin of its own: it has no platform routes (404)
  origin: { sandbox: 'allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads', ownOriginPaths: /^status:404:len\d+$/ },
  // the fallback on our origin: an opaque origin whose CSP allows only package files, LRS and fetch URLs
  sandbox: { sandbox: 'allow-scripts allow-forms allow-popups allow-modals allow-downloads', ownOriginPaths: /^blocked:TypeError$/ },
} as const;

for (const [isolation, mode] of Object.entries(MODES))
  describe(`browser: a hostile SCORM package gains nothing from its viewer, launched or previewed (CONTENT_ISOLATION=${isolation})`, function () {
    this.timeout(180_000);
    let app: TestApp;
    let browser: Browser;
    let author: Awaited<ReturnType<TestApp['createUser']>>;
    let versionId: string;
    const lrsClients = () => app.running.connection.db!.collection('lrs_clients').countDocuments();

    before(async () => {
      app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent', CONTENT_ISOLATION: isolation } });
      browser = await launchBrowser();
      author = await app.createUser(['author']);
      ({
        version: { id: versionId },
      } = await publishPackage(app, hostileScorm12Package({ platform: app.url, authorId: author.id }), 'harmlos'));
    });
    after(async () => {
      await browser?.close();
      await app?.stop();
    });

    /** Waits for the package's report to reach the server (its commit through the cross-frame API). */
    async function reportOf(page: Page): Promise<Report> {
      await contentFrame(page, /\/index\.html/);
      const attemptId = /\/player\/attempts\/([a-f0-9]{24})/.exec(page.url())![1]!;
      const json = await eventually(async () => {
        const item = await app.running.app.player.repo.findItem(attemptId, 'sco1');
        return item?.cmi.find((p) => p.k === 'cmi.suspend_data')?.v;
      }, 'the hostile report in the stored CMI data');
      return JSON.parse(json) as Report;
    }

    async function expectNothingGained(page: Page, report: Report, viewer: { email: string }) {
      const logged: string[] = [];
      page.on('console', (m) => logged.push(m.text()));
      const playerUrl = page.url();
      // the package ran, loaded its own files and reached the server through the SCORM API
      expect(report.ownFile).to.match(/^status:200:len\d+$/);
      // the content's own origin: no platform routes there, or (sandbox) none it may reach
      expect(report.contentOriginProfile).to.match(mode.ownOriginPaths);
      expect(report.contentOriginAdmin).to.match(mode.ownOriginPaths);
      // the platform's pages: refused before they are sent (CSP) and unreadable if they were (CORS)
      for (const k of ['adminUsers', 'profile', 'path', 'certificates', 'dashboard', 'lrsClients']) expect(report[k], k).to.equal('blocked:TypeError');
      expect(report['csp:connect-src']).to.be.at.least(6);
      // the LRS is reachable (xAPI content needs it), but a cookie is no credential there
      expect(report.xapiStatements).to.match(/^(status:401:len\d+|blocked:TypeError)$/);
      // the player page: another origin
      for (const k of ['parentDocument', 'topDocument', 'topLocation', 'topPlayerApi']) expect(report[k], k).to.equal('blocked:SecurityError');
      expect(report.csrfScraped).to.equal('blocked:none');
      // the role change and the LRS client, by fetch and by form: refused by the content CSP
      expect(report.roleChange).to.equal('blocked:TypeError');
      expect(report.lrsClient).to.equal('blocked:TypeError');
      expect(report['csp:form-action']).to.equal(2);
      expect(report.popup).to.match(/^blocked:/);
      expect(JSON.stringify(report)).not.to.contain(viewer.email);
      expect(JSON.stringify(report)).not.to.contain(':email');
      // nothing changed on the server
      expect((await app.running.app.accounts.service.findUser(author.id))?.roles).to.deep.equal(['author']);
      expect(await lrsClients()).to.equal(0);
      // and the player page is still the player page (no top navigation from the sandbox)
      await page.waitForTimeout(500);
      expect(page.url()).to.equal(playerUrl);
      expect(await page.locator('#content-frame').getAttribute('sandbox')).to.equal(mode.sandbox);
      // a popup opened by a click shows the platform page in a window of its own that the package has
      // no hold on: no handle (null) or one the platform's Cross-Origin-Opener-Policy cut off (closed),
      // and were it not, the other origin would stop it (SecurityError)
      const frame = await contentFrame(page, /\/index\.html/);
      const [popup] = await Promise.all([page.context().waitForEvent('page'), frame.locator('#open').click()]);
      await eventually(async () => logged.find((l) => l.startsWith('HOSTILE popup ')), 'the popup attempt');
      expect(logged.find((l) => l.startsWith('HOSTILE popup '))).to.match(/^HOSTILE popup blocked:(null|closed|SecurityError)$/);
      await popup.close();
    }

    it('launched by a learner: reads none of their pages, e-mail, prerequisites or certificates', async () => {
      const learner = await app.createUser();
      const context = await browser.newContext();
      await browserLogin(context, app, learner);
      const page = await context.newPage();
      await pressModuleButton(page, app, 'harmlos');
      const report = await reportOf(page);
      await expectNothingGained(page, report, learner);
      await context.close();
    });

    it('previewed by an admin: no admin page, no CSRF token, no role change, no LRS client', async () => {
      const admin = await app.createUser(['admin']);
      const context = await browser.newContext();
      await browserLogin(context, app, admin);
      const page = await context.newPage();
      await page.goto(`${app.url}/author/versions/${versionId}`);
      await Promise.all([page.waitForURL(/\/player\/attempts\//), page.getByRole('button', { name: 'Vorschau starten' }).click()]);
      expect(await page.locator('.player-preview').count()).to.equal(1);
      const report = await reportOf(page);
      await expectNothingGained(page, report, admin);
      await context.close();
    });
  });
