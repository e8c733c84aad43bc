import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('browser: register, log in, log out; accessibility of the shell', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('walks through register → logout → login with the keyboard-usable forms', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/register`);
    await page.getByLabel('Name').fill('Bärbel Schröder');
    await page.getByLabel('E-Mail-Adresse').fill('baerbel@example.org');
    await page.getByLabel('Organisation').fill('Schröder Consulting');
    await page.getByLabel('Region').selectOption('rhein-ruhr');
    await page.getByLabel('Passwort', { exact: true }).fill('ein-gutes-passwort');
    await page.getByLabel('Passwort wiederholen').fill('ein-gutes-passwort');
    await page.getByLabel(/Datenschutzhinweis .* zur Kenntnis genommen/).check();
    await Promise.all([page.waitForURL(`${app.url}/`), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
    expect(await page.locator('.flash').innerText()).to.contain('Willkommen, Bärbel Schröder!');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.locator('.flash', { hasText: 'Sie haben sich abgemeldet.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Abmelden' }).count()).to.equal(0);

    await page.goto(`${app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill('baerbel@example.org');
    await page.getByLabel('Passwort').fill('ein-gutes-passwort');
    await Promise.all([page.waitForURL(`${app.url}/`), page.keyboard.press('Enter')]);
    expect(await page.locator('.flash').innerText()).to.contain('Willkommen, Bärbel Schröder!');
    await page.close();
  });

  it('shows an error summary linked to the fields after a failed submit', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/register`);
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    const summary = page.locator('.error-summary');
    expect(await summary.innerText()).to.contain('Bitte korrigieren Sie die markierten Angaben.');
    expect(await page.locator('#field-email').getAttribute('aria-invalid')).to.equal('true');
    await page.close();
  });

  for (const [name, path, loggedIn] of [
    ['start', '/', false],
    ['login', '/login', false],
    ['register', '/register', false],
    ['register with errors', '/register#submit', false],
    ['profile', '/profile', true],
  ] as const) {
    it(`has no axe-core WCAG 2.1 AA violations on the ${name} page`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (loggedIn) {
        const user = await app.createUser();
        await page.goto(`${app.url}/login`);
        await page.getByLabel('E-Mail-Adresse').fill(user.email);
        await page.getByLabel('Passwort').fill(user.password);
        await page.getByRole('button', { name: 'Anmelden' }).click();
        await page.waitForURL(`${app.url}/`);
      }
      await page.goto(`${app.url}${path.replace('#submit', '')}`);
      if (path.endsWith('#submit')) await page.getByRole('button', { name: 'Konto anlegen' }).click();
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
      await context.close();
    });
  }
});
