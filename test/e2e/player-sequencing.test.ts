import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { forcedSequentialPackage, remediationPackage } from '../fixtures/player/sequencing-packages.ts';
import { publishPackage } from '../player/support.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { browserLogin, contentFrame, eventually, inSco, pressModuleButton } from './player-support.ts';

type Sco = { sco: { set(k: string, v: string | number): string; complete(s?: string): void; score(raw: number, scaled: number): void } };

/**
 * Two classic SCORM 2004 sequencing patterns played in Chromium with the player's own controls
 * only ("Weiter", the table of contents): the SCOs report their results, the server's sequencing
 * engine decides every delivery, and the module's status follows the root activity's rollup.
 */
describe("browser: SCORM 2004 sequencing with the player's navigation controls", function () {
  this.timeout(180_000);
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

  const statusOf = async (userId: string, slug: string) => (await app.running.app.player.service.progressFor(userId, [slug]))[0]!.status;
  /** Presses "Weiter"; the caller waits for what comes next (the next SCO's frame, or the dashboard). */
  async function pressContinue(page: Page) {
    await page.getByRole('button', { name: 'Weiter' }).click();
  }

  /** One step of a browser test: fails with its name after 30 s instead of holding the test to its timeout (a hang says where it hung). */
  async function step<T>(name: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`step "${name}" did not finish within 30 s`)), 30_000);
    });
    try {
      return await Promise.race([work, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Publishes the package, logs a new learner in and presses the module's button on the dashboard. */
  async function startModule(files: Record<string, string>, slug: string) {
    await publishPackage(app, files, slug);
    const user = await app.createUser();
    const context = await browser.newContext();
    await browserLogin(context, app, user);
    const page = await context.newPage();
    // a step that cannot happen fails with its name instead of holding the test to its timeout
    page.setDefaultTimeout(20_000);
    await pressModuleButton(page, app, slug);
    return { user, context, page };
  }

  it('forced sequential order: only "Weiter" leads on, nothing can be chosen or skipped, the module passes with its last SCO', async () => {
    const slug = 'e2e-seq-forced';
    const { user, context, page } = await startModule(forcedSequentialPackage(), slug);

    await contentFrame(page, /grundlagen\.html/);
    // choice="false", forwardOnly="true": no going back, no entry of the contents to pick
    expect(await page.locator('#player-nav .toc-link').count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Zurück' }).isDisabled()).to.equal(true);
    expect(await page.getByRole('button', { name: 'Weiter' }).isEnabled()).to.equal(true);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);

    await inSco(page, /grundlagen\.html/, () => (window as unknown as Sco).sco.complete('passed'));
    await pressContinue(page);
    await contentFrame(page, /vertiefung\.html/);
    expect(await statusOf(user.id, slug)).to.equal('in-progress');
    expect(await page.locator('li[data-activity="grundlagen"]').getAttribute('data-status')).to.equal('passed');

    await inSco(page, /vertiefung\.html/, () => (window as unknown as Sco).sco.complete('passed'));
    await pressContinue(page);
    await contentFrame(page, /abschluss\.html/);
    expect(await statusOf(user.id, slug)).to.equal('in-progress');

    await inSco(page, /abschluss\.html/, () => (window as unknown as Sco).sco.complete('passed'));
    // "Weiter" after the last SCO ends the course (SN: continue past the last activity ends the session)
    await Promise.all([page.waitForURL(`${app.url}/dashboard`), pressContinue(page)]);
    expect(await eventually(async () => ((await statusOf(user.id, slug)) === 'passed' ? 'passed' : undefined), 'module passed')).to.equal('passed');
    await context.close();
  });

  it('simple remediation: a failed test offers again only the chapter behind the failed objective, then the test', async () => {
    const slug = 'e2e-seq-remediation';
    const { user, context, page } = await step('0: start the module', startModule(remediationPackage(), slug));

    await step('1: frame kapitel1.html', contentFrame(page, /kapitel1\.html/));
    await inSco(page, /kapitel1\.html/, () => (window as unknown as Sco).sco.complete());
    await step('2: pressContinue', pressContinue(page));
    await step('3: frame kapitel2.html', contentFrame(page, /kapitel2\.html/));
    await inSco(page, /kapitel2\.html/, () => (window as unknown as Sco).sco.complete());
    await step('4: pressContinue', pressContinue(page));
    await step('5: frame test.html', contentFrame(page, /test\.html/));
    // chapter 1 mastered, chapter 2 not; 50 % fails the test (minNormalizedMeasure 0.8)
    await inSco(page, /test\.html/, () => {
      const s = (window as unknown as Sco).sco;
      s.set('cmi.objectives.1.success_status', 'passed');
      s.set('cmi.objectives.2.success_status', 'failed');
      s.score(50, 0.5);
      s.complete();
    });
    await step('6: pressContinue', pressContinue(page));
    // the test's post condition (retryAll): chapter 1 is skipped, chapter 2 comes again
    await step('7: frame kapitel2.html', contentFrame(page, /kapitel2\.html/));
    // retryAll began a new attempt on the root: the course is under way again, and not passed
    expect(await step('status after the failed test', statusOf(user.id, slug))).to.equal('in-progress');
    await inSco(page, /kapitel2\.html/, () => (window as unknown as Sco).sco.complete());
    await step('8: pressContinue', pressContinue(page));
    await step('9: frame test.html', contentFrame(page, /test\.html/));
    await inSco(page, /test\.html/, () => {
      const s = (window as unknown as Sco).sco;
      s.set('cmi.objectives.1.success_status', 'passed');
      s.set('cmi.objectives.2.success_status', 'passed');
      s.score(90, 0.9);
      s.complete();
    });
    // "Weiter" after the passed test ends the course: the dashboard, as after the forced order's last SCO
    await step('10: pressContinue to the dashboard', Promise.all([page.waitForURL(`${app.url}/dashboard`), pressContinue(page)]));
    expect(
      await step(
        '11: module passed',
        eventually(async () => ((await statusOf(user.id, slug)) === 'passed' ? 'passed' : undefined), 'module passed after remediation'),
      ),
    ).to.equal('passed');
    await step('12: close the browser context', context.close());
  });
});
