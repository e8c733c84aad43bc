import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { buildAllPackages } from '../../scripts/build-content/index.ts';
import { CONTENT_DIR, seedQ1Modules } from '../../src/curriculum/seed-q1-modules.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

interface PoolQuestion {
  question: string;
  options: Array<{ text: string; correct: boolean }>;
}

/**
 * The Q1 content's own runtime in each of its package formats: cmi5 (what the platform seeds and
 * launches) and the SCORM 2004 and 1.2 builds made for other LMSs, run here through the player's
 * scorm-again, so their tracking adapters are exercised in a real browser too.
 */
describe('browser: the demo learner passes the Megatrends quiz', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  let pool: PoolQuestion[];
  let learner: { email: string; password: string };
  let buildDir: string;

  before(async () => {
    app = await startTestApp();
    const demo = await app.running.app.accounts.service.createDemoAccounts();
    learner = demo!.find((a) => a.roles.includes('learner'))!;
    await seedQ1Modules(app.running.app.content.service, app.running.ctx.logger);
    buildDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-q1-scorm-'));
    const built = await buildAllPackages({ contentDir: CONTENT_DIR, outDir: buildDir });
    for (const format of ['scorm2004', 'scorm12'] as const) {
      const pkg = built.find((b) => b.module === 'megatrends' && b.format === format)!;
      await app.running.app.content.service.importPackage(pkg.path, { moduleSlug: `megatrends-${format}`, moduleTitle: `Megatrends (${format})`, publish: true });
    }
    pool = (parseYaml(await readFile(path.join(CONTENT_DIR, 'megatrends', 'quiz.yaml'), 'utf8')) as { pool: PoolQuestion[] }).pool;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  for (const [format, slug] of [['cmi5', 'megatrends'], ['SCORM 2004', 'megatrends-scorm2004'], ['SCORM 1.2', 'megatrends-scorm12']] as const) {
    it(`answers the drawn questions, sees "bestanden" and the module as passed (${format})`, () => passQuiz(slug));
  }

  async function passQuiz(slug: string): Promise<void> {
    const page = await browser.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(learner.email);
    await page.getByLabel('Passwort').fill(learner.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(`${app.url}/`);

    await page.goto(`${app.url}/dashboard`);
    await page.locator(`li.module-card[data-module="${slug}"] button[type="submit"]`).click();
    await page.waitForURL(/\/player\/attempts\//);
    // SCORM 2004's contents are the sequencing engine's choice requests (buttons), the others links
    await page.getByRole(slug === 'megatrends-scorm2004' ? 'button' : 'link', { name: /Abschlusstest/ }).click();
    await page.waitForURL(/\/player\/attempts\//);

    // a SCO runs inside the SCORM adapter page on the content origin; the cmi5 AU is the frame itself
    const outer = page.frameLocator('#content-frame');
    const quiz = slug === 'megatrends' ? outer : outer.frameLocator('iframe');
    const questions = quiz.locator('fieldset.question');
    await questions.first().waitFor();
    const count = await questions.count();
    expect(count).to.equal(10);
    for (let i = 0; i < count; i++) {
      const fieldset = questions.nth(i);
      // the legend is "<span class=question-number>Frage n von 10</span> question text"
      const legend = await fieldset
        .locator('legend')
        .evaluate((el) => Array.from(el.childNodes).filter((n) => !(n instanceof Element && n.classList.contains('question-number'))).map((n) => n.textContent ?? '').join('').trim());
      const source = pool.find((q) => q.question.trim() === legend);
      expect(source, `question not in pool: ${legend}`).to.not.equal(undefined);
      for (const option of source!.options.filter((o) => o.correct)) {
        // keyboard only: focus the option and select it with the space bar
        await fieldset.getByLabel(option.text, { exact: true }).focus();
        await page.keyboard.press('Space');
      }
    }
    await quiz.getByRole('button', { name: 'Antworten auswerten' }).click();
    const result = quiz.locator('#quiz-result');
    await result.waitFor();
    expect(await result.innerText()).to.match(/\bbestanden\b/);
    expect(await result.innerText()).not.to.match(/nicht bestanden/);
    // SCORM 2004 rolls a SCO's result up when its attempt ends (SN End Attempt): the learner leaves
    if (slug === 'megatrends-scorm2004') await Promise.all([page.waitForURL(`${app.url}/dashboard`), page.locator('#player-exit').click()]);

    // the AU's statements reach the LRS and the progress record asynchronously
    const users = await app.running.app.accounts.service.searchUsers({ q: learner.email, page: 1 });
    const learnerId = users.users[0]!.id;
    let status = '';
    for (let i = 0; i < 40 && status !== 'passed'; i++) {
      status = (await app.running.app.player.service.progressFor(learnerId, [slug]))[0]?.status ?? '';
      if (status !== 'passed') await page.waitForTimeout(250);
    }
    expect(status).to.equal('passed');

    await page.goto(`${app.url}/dashboard`);
    const card = page.locator(`li.module-card[data-module="${slug}"]`);
    expect(await card.locator('[data-status]').getAttribute('data-status')).to.equal('passed');
    expect(await card.innerText()).to.contain('bestanden');
    await page.close();
  }
});
