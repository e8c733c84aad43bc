import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { buildAllPackages } from '../../scripts/build-content/index.ts';
import { CONTENT_DIR } from '../../src/curriculum/built-packages.ts';
import { seedQ1Modules } from '../../src/curriculum/seed-q1-modules.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { buildRooms, post, roomWithGuests, type Person, type RoomsWorld } from '../rooms/helpers.ts';
import { eventually, verbsOf } from './player-support.ts';

/**
 * Issue #21 "published modules as optional self-study": a company participant (a guest) starts the
 * Q1 module their Lotse listed, from the room's materials page, and the real cmi5 package (built from
 * content/ as `npm start` seeds it) runs and reports to the LRS as the guest's own attempt.
 */
describe('browser: a guest starts a self-study module from the room’s materials', function () {
  this.timeout(240_000);
  let w: RoomsWorld;
  let browser: Browser;
  let buildDir: string;
  let roomId: string;
  let bauer: Person;

  before(async () => {
    w = await buildRooms();
    buildDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-q1-rooms-'));
    await buildAllPackages({ contentDir: CONTENT_DIR, outDir: buildDir });
    await seedQ1Modules(w.app.running.app.content.service, w.app.running.ctx.logger, buildDir);
    ({ roomId, bauer } = await roomWithGuests(w));
    const added = await post(w.lotse, `/experimentierraeume/${roomId}/materialien/module`, { slug: 'megatrends' });
    expect(added.status, added.text.slice(0, 300)).to.equal(303);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await w?.app.stop();
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it('launches the module from the materials page; the content loads and its statements are the guest’s', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // a guest lands on their rooms
    await page.goto(`${w.app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(bauer.email);
    await page.getByLabel('Passwort').fill(bauer.password);
    await Promise.all([page.waitForURL(`${w.app.url}/experimentierraeume`), page.keyboard.press('Enter')]);
    await page.goto(`${w.app.url}/experimentierraeume/${roomId}/materialien`);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
    await Promise.all([page.waitForURL(/\/player\/attempts\/[a-f0-9]{24}/), page.getByRole('button', { name: /Megatrends.*starten/ }).click()]);
    const attemptId = /\/player\/attempts\/([a-f0-9]{24})/.exec(page.url())![1]!;
    // the AU itself is the frame (cmi5); its first lesson's heading shows once it has run
    await page.frameLocator('#content-frame').locator('main h1, h1').first().waitFor({ timeout: 30_000 });
    const attempt = (await w.app.running.app.player.repo.findAttempt(attemptId))!;
    expect([attempt.learnerId, attempt.moduleSlug, attempt.format]).to.deep.equal([bauer.id, 'megatrends', 'cmi5']);
    const verbs = await eventually(async () => {
      const v = await verbsOf(w.app, attempt.registration);
      return v.includes('initialized') && v;
    }, 'the AU’s "initialized" statement');
    expect(verbs.slice(0, 2)).to.deep.equal(['launched', 'initialized']);
    // "Beenden" leads a guest back to their rooms, not to the qualification's dashboard
    await Promise.all([page.waitForURL(`${w.app.url}/experimentierraeume`), page.locator('#player-exit').click()]);
    await context.close();
  });
});
