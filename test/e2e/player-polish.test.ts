import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { publishPackage } from '../player/support.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { browserLogin, contentFrame, eventually, pressModuleButton } from './player-support.ts';

type Sco = { sco: { complete(s?: string): void; finish(): string; progress(l: string, d: string): void } };

/**
 * Issue #15 items 4 and 8 in a real browser: the contents one item per line with its status, the page
 * after a SCORM 1.2 SCO's own LMSFinish, a refused jump that stays in the player, and the dashboard's
 * choice between an attempt on an older version and the newly published one.
 */
// both isolations: the SCO on a content origin of its own, and the sandbox fallback (the frame is remade with its name)
for (const isolation of ['origin', 'sandbox'] as const)
  describe(`browser: player contents, end of a SCO session, refused jumps, new versions (CONTENT_ISOLATION=${isolation})`, function () {
    this.timeout(120_000);
    let app: TestApp;
    let browser: Browser;
    before(async () => {
      app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent', CONTENT_ISOLATION: isolation } });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await app?.stop();
    });

    it("SCORM 1.2: the contents list one item per line with its status; after the SCO's own LMSFinish the page offers the next item", async () => {
      const slug = 'e2e-polish-12';
      await publishPackage(app, scorm12Package({ scos: 3 }), slug);
      const user = await app.createUser();
      const context = await browser.newContext();
      await browserLogin(context, app, user);
      const page = await context.newPage();
      await pressModuleButton(page, app, slug);
      const rows = page.locator('#player-toc li');
      expect(await rows.count()).to.equal(3);
      expect(await rows.allInnerTexts()).to.deep.equal(['Teil 1 – nicht begonnen', 'Teil 2 – nicht begonnen', 'Teil 3 – nicht begonnen']);
      // one per line: every row starts below the one before, at the same left edge
      const boxes = await Promise.all([0, 1, 2].map(async (i) => (await rows.nth(i).boundingBox())!));
      expect(boxes[1]!.y).to.be.greaterThan(boxes[0]!.y + boxes[0]!.height - 1);
      expect(boxes[2]!.y).to.be.greaterThan(boxes[1]!.y + boxes[1]!.height - 1);
      expect(boxes[1]!.x).to.equal(boxes[0]!.x);

      const frame = await contentFrame(page, /sco1\.html/);
      const finished = page.locator('#player-finished');
      expect(await finished.isVisible()).to.equal(false);
      await frame.evaluate(() => {
        const w = window as unknown as Sco;
        w.sco.complete();
        w.sco.finish();
      });
      await finished.waitFor({ state: 'visible' });
      expect(await finished.locator('h2').innerText()).to.equal('Dieser Abschnitt ist beendet.');
      expect(await page.locator('#content-frame').isVisible()).to.equal(false);
      const next = finished.locator('a.finished-next');
      expect(await next.innerText()).to.equal('Weiter mit „Teil 2“');
      expect(await finished.locator('a.finished-exit').getAttribute('href')).to.equal('/dashboard');
      expect(await rows.nth(0).innerText()).to.equal('Teil 1 – erledigt');

      await Promise.all([page.waitForURL(/\?item=sco2$/), next.click()]);
      await contentFrame(page, /sco2\.html/);
      expect(await page.locator('#player-toc li.current').innerText()).to.equal('Teil 2 – nicht begonnen');
      await context.close();
    });

    it('a jump that cannot be honoured stays in the player with a message instead of going to the dashboard', async () => {
      const slug = 'e2e-polish-jump';
      await publishPackage(app, scorm12Package({ scos: 2 }), slug);
      const user = await app.createUser();
      const context = await browser.newContext();
      await browserLogin(context, app, user);
      const page = await context.newPage();
      await pressModuleButton(page, app, slug);
      const attemptId = /\/player\/attempts\/([a-f0-9]{24})/.exec(page.url())![1]!;
      await contentFrame(page, /sco1\.html/);
      await page.goto(`${app.url}/player/attempts/${attemptId}/nav?request=choice&from=sco2&target=gibt-es-nicht`);
      expect(new URL(page.url()).pathname).to.equal(`/player/attempts/${attemptId}`);
      expect(await page.locator('.flash').innerText()).to.contain('Diesen Abschnitt gibt es nicht.');
      await contentFrame(page, /sco2\.html/);
      // "continue" after the last item: stays too, and says so
      await page.goto(`${app.url}/player/attempts/${attemptId}/nav?request=continue&from=sco2`);
      expect(new URL(page.url()).pathname).to.equal(`/player/attempts/${attemptId}`);
      expect(await page.locator('.flash').innerText()).to.contain('Das war der letzte Abschnitt.');
      await context.close();
    });

    it('dashboard: with an open attempt on version 1 and version 2 published, offers both and starts version 2 on request', async () => {
      const slug = 'e2e-polish-versions';
      const v1 = await publishPackage(app, scorm12Package({ scos: 2 }), slug);
      const user = await app.createUser();
      const context = await browser.newContext();
      await browserLogin(context, app, user);
      const page = await context.newPage();
      await pressModuleButton(page, app, slug);
      const firstId = /\/player\/attempts\/([a-f0-9]{24})/.exec(page.url())![1]!;
      const frame = await contentFrame(page, /sco1\.html/);
      await frame.evaluate(() => (window as unknown as Sco).sco.progress('seite-2', 'x=1'));
      await page.goto(`${app.url}/dashboard`);
      const player = app.running.app.player;
      await eventually(async () => (await player.repo.findItem(firstId, 'sco1'))?.launchCount, 'the first launch');

      const v2 = await publishPackage(app, scorm12Package({ scos: 2 }), slug);
      const content = app.running.app.content.service;
      if ((await content.getPublishedVersion(v1.module.id))?.id !== v2.version.id) await content.publish(v1.module.id, v2.version.id);

      await page.goto(`${app.url}/dashboard`);
      const card = page.locator(`li[data-module="${slug}"]`);
      expect(await card.locator('button').allInnerTexts()).to.deep.equal(['Fortsetzen', 'Neue Version starten']);
      expect(await card.locator('.version-note').innerText()).to.contain('neue Version erschienen');
      await Promise.all([page.waitForURL(/\/player\/attempts\//), card.getByRole('button', { name: 'Neue Version starten' }).click()]);
      const newId = /\/player\/attempts\/([a-f0-9]{24})/.exec(page.url())![1]!;
      expect(newId).to.not.equal(firstId);
      expect((await player.repo.findAttempt(newId))?.versionId).to.equal(v2.version.id);
      await contentFrame(page, /sco1\.html/);
      await page.goto(`${app.url}/dashboard`);
      expect(await card.locator('button').allInnerTexts()).to.deep.equal(['Fortsetzen']);
      await context.close();
    });
  });
