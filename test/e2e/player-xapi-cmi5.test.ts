import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildCmi5AuScript } from '../fixtures/player/cmi5-au.ts';
import { cmi5Package, tincanPackage, TINCAN_ACTIVITY } from '../fixtures/player/packages.ts';
import { publishPackage } from '../player/support.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { browserLogin, contentFrame, eventually, pressModuleButton, verbsOf } from './player-support.ts';

type XapiPage = { xapi: { cfg: { registration: string; activity: string; endpoint: string }; send(verb: string, result?: object): Promise<number> } };
type AuPage = {
  au: { complete(): Promise<string>; pass(s: number): Promise<string>; terminate(): Promise<string>; exit(): Promise<string>; launchMode(): string };
};

describe('browser: xAPI (tincan) and cmi5 content in the player', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  before(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: process.env.PLAYER_LOG ?? 'silent' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('xAPI: launches with endpoint, auth, actor, registration and activity_id; resumes the registration; passes', async () => {
    const slug = 'e2e-xapi';
    await publishPackage(app, tincanPackage(), slug);
    const user = await app.createUser();
    const context = await browser.newContext();
    await browserLogin(context, app, user);

    let page = await context.newPage();
    expect(await pressModuleButton(page, app, slug)).to.equal('Starten');
    let frame = await contentFrame(page, /index\.html/);
    const cfg = await frame.evaluate(() => (window as unknown as XapiPage).xapi.cfg);
    expect(cfg.activity).to.equal(TINCAN_ACTIVITY);
    expect(cfg.endpoint).to.equal(`${app.url}/xapi/`);
    expect(await frame.evaluate(() => (window as unknown as XapiPage).xapi.send('progressed'))).to.equal(200);
    await page.close();

    page = await context.newPage();
    expect(await pressModuleButton(page, app, slug)).to.equal('Fortsetzen');
    frame = await contentFrame(page, /index\.html/);
    expect(await frame.evaluate(() => (window as unknown as XapiPage).xapi.cfg.registration)).to.equal(cfg.registration);
    expect(await frame.evaluate(() => (window as unknown as XapiPage).xapi.send('completed', { completion: true }))).to.equal(200);
    expect(await frame.evaluate(() => (window as unknown as XapiPage).xapi.send('passed', { success: true, score: { scaled: 0.85 } }))).to.equal(200);
    expect(await frame.evaluate(() => (window as unknown as XapiPage).xapi.send('terminated', { duration: 'PT4M' }))).to.equal(200);
    const [p] = await app.running.app.player.service.progressFor(user.id, [slug]);
    expect(p).to.deep.include({ status: 'passed', score: 85, attempts: 1 });
    expect(p!.timeSpentSeconds).to.equal(240);
    await page.goto(`${app.url}/dashboard`);
    expect(await page.locator(`li[data-module="${slug}"] [data-status]`).innerText()).to.equal('bestanden');
    expect(await verbsOf(app, cfg.registration)).to.include.members(['progressed', 'completed', 'passed', 'terminated']);
    await context.close();
  });

  it('cmi5: an AU built with @xapi/cmi5 fetches its token, initializes, completes, passes and terminates', async () => {
    const slug = 'e2e-cmi5';
    await publishPackage(app, cmi5Package(await buildCmi5AuScript()), slug);
    const user = await app.createUser();
    const context = await browser.newContext();
    await browserLogin(context, app, user);
    const page = await context.newPage();
    expect(await pressModuleButton(page, app, slug)).to.equal('Starten');
    const frame = await contentFrame(page, /au\/index\.html/);
    expect(await frame.locator('body').getAttribute('data-error')).to.equal(null);
    expect(await frame.evaluate(() => (window as unknown as AuPage).au.launchMode())).to.equal('Normal');
    await frame.evaluate(() => (window as unknown as AuPage).au.complete());
    await frame.evaluate(() => (window as unknown as AuPage).au.pass(0.9));
    await frame.evaluate(() => (window as unknown as AuPage).au.terminate());
    const p = await eventually(async () => {
      const [r] = await app.running.app.player.service.progressFor(user.id, [slug]);
      return r?.status === 'passed' ? r : undefined;
    }, 'cmi5 progress passed');
    expect(p.score).to.equal(90);
    const attemptId = /\/player\/attempts\/([a-f0-9]{24})/.exec(page.url())![1]!;
    const attempt = await app.running.app.player.repo.findAttempt(attemptId);
    const verbs = await verbsOf(app, attempt!.registration);
    expect(verbs).to.include.members(['launched', 'initialized', 'completed', 'passed', 'terminated', 'satisfied']);
    await page.goto(`${app.url}/dashboard`);
    expect(await page.locator(`li[data-module="${slug}"] [data-status]`).innerText()).to.equal('bestanden');
    await context.close();
  });

  it('cmi5: a framed AU that exits to its returnURL moves the player on; our site never shows inside the frame', async () => {
    const slug = 'e2e-cmi5-return';
    await publishPackage(app, cmi5Package(await buildCmi5AuScript()), slug);
    const user = await app.createUser();
    const context = await browser.newContext();
    await browserLogin(context, app, user);
    const page = await context.newPage();
    const inFrame: string[] = [];
    page.on('framenavigated', (f) => {
      if (f !== page.mainFrame()) inFrame.push(f.url());
    });
    expect(await pressModuleButton(page, app, slug)).to.equal('Starten');
    const frame = await contentFrame(page, /au\/index\.html/);
    await frame.evaluate(() => (window as unknown as AuPage).au.complete());
    await frame.evaluate(() => (window as unknown as AuPage).au.pass(0.8));
    await frame.evaluate(() => (window as unknown as AuPage).au.exit());
    // the player page takes over: the frame goes away and the page says what comes next (the only AU is done)
    await page.locator('#player-finished').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.locator('#player-finished .finished-all').isVisible()).to.equal(true);
    expect(await page.locator('#content-frame').isHidden()).to.equal(true);
    await page.locator('#player-finished .finished-exit').click();
    await page.waitForURL(`${app.url}/dashboard`);
    expect(await page.locator(`li[data-module="${slug}"] [data-status]`).innerText()).to.equal('bestanden');
    const paths = inFrame.map((u) => new URL(u).pathname);
    expect(
      paths.some((p) => /^\/player\/attempts\/[a-f0-9]{24}\/returned$/.test(p)),
      paths.join(', '),
    ).to.equal(true);
    expect(
      paths.filter((p) => p === '/dashboard' || p === '/' || (p.startsWith('/player/attempts/') && !p.endsWith('/returned'))),
      'platform pages inside the frame',
    ).to.deep.equal([]);
    await context.close();
  });

  it('cmi5 OwnWindow: the AU opens in a window; when it exits the window closes and the player tab moves on; reopening works', async () => {
    const slug = 'e2e-cmi5-window';
    const files = cmi5Package(await buildCmi5AuScript());
    files['cmi5.xml'] = files['cmi5.xml']!.replace('moveOn="CompletedAndPassed"', 'moveOn="CompletedAndPassed" launchMethod="OwnWindow"');
    await publishPackage(app, files, slug);
    const user = await app.createUser();
    const context = await browser.newContext();
    await browserLogin(context, app, user);
    const page = await context.newPage();
    const [first] = await Promise.all([context.waitForEvent('page'), pressModuleButton(page, app, slug)]);
    await first.waitForSelector('body[data-ready="true"]');
    await first.close();
    // "Inhalt öffnen" again: a new launch, so the AU gets its token (the first window's fetch URL is used up)
    const [again] = await Promise.all([context.waitForEvent('page'), page.click('#open-window')]);
    await again.waitForSelector('body[data-ready="true"], body[data-error]');
    expect(await again.locator('body').getAttribute('data-error')).to.equal(null);
    await again.evaluate(() => (window as unknown as AuPage).au.complete());
    await again.evaluate(() => (window as unknown as AuPage).au.pass(0.8));
    await Promise.all([
      page.waitForURL(`${app.url}/dashboard`, { timeout: 15_000 }),
      again.waitForEvent('close', { timeout: 15_000 }),
      again.evaluate(() => (window as unknown as AuPage).au.exit()),
    ]);
    expect(await page.locator(`li[data-module="${slug}"] [data-status]`).innerText()).to.equal('bestanden');
    await context.close();
  });
});
