import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { Role } from '../../src/accounts/roles.ts';
import { seedQ1Modules } from '../../src/curriculum/seed-q1-modules.ts';
import { builtQ1Packages } from '../curriculum/q1-packages.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('browser: accessibility of the learner, trainer and partner pages', function () {
  this.timeout(180_000);
  let app: TestApp;
  let browser: Browser;
  before(async () => {
    app = await startTestApp();
    await seedQ1Modules(app.running.app.content.service, app.running.ctx.logger, await builtQ1Packages());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  const pages: Array<[string, Role[], string]> = [
    ['verification', [], '/verify'],
    ['dashboard', ['learner'], '/dashboard'],
    ['learner path', ['learner'], '/path'],
    ['Q2 sessions', ['learner'], '/sessions'],
    ['certificate', ['learner'], '/certificates'],
    ['trainer overview', ['trainer'], '/trainer'],
    ['author modules', ['author'], '/author/modules'],
    ['administration', ['admin'], '/admin'],
  ];
  for (const [name, roles, path] of pages) {
    it(`has no axe-core WCAG 2.1 AA violations on the ${name} page`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (roles.length) {
        const user = await app.createUser(roles);
        await page.goto(`${app.url}/login`);
        await page.getByLabel('E-Mail-Adresse').fill(user.email);
        await page.getByLabel('Passwort').fill(user.password);
        await Promise.all([page.waitForURL(`${app.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
      }
      const res = await page.goto(`${app.url}${path}`);
      expect(res?.status()).to.equal(200);
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
      await context.close();
    });
  }
});
