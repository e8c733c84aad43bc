import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { Role } from '../../src/accounts/roles.ts';
import { outbox } from '../qualification/helpers.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { unzip } from './scan.ts';
import { privacyOf } from './support.ts';

describe('browser: a learner asks for their data and for erasure; the privacy pages are accessible', function () {
  this.timeout(180_000);
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

  async function signedIn(roles: Role[]): Promise<{ page: Page; email: string; close: () => Promise<void> }> {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const user = await app.createUser(roles);
    await page.goto(`${app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(user.email);
    await page.getByLabel('Passwort').fill(user.password);
    await Promise.all([page.waitForURL(`${app.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
    return { page, email: user.email, close: () => context.close() };
  }
  const expectAccessible = async (page: Page) => {
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
  };

  it('gets the export from the profile, downloads it with the mailed link once, then asks for erasure', async () => {
    const { page, email, close } = await signedIn(['learner']);
    await page.goto(`${app.url}/profile`);
    await Promise.all([page.waitForURL(`${app.url}/profile/privacy`), page.getByRole('link', { name: 'Meine Daten: Auskunft und Löschung' }).click()]);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Auskunft anfordern' }).click();
    await page.getByText('Ihre Auskunft wird erstellt.').waitFor();
    await (await privacyOf(app)).service.exports.settle();
    const link = /http:\/\/[^\s]+\/privacy\/exports\/[A-Za-z0-9_-]+/.exec((await outbox(app)).find((m) => m.to === email)!.text)![0];
    const [download] = await Promise.all([page.waitForEvent('download'), page.goto(link).catch(() => undefined)]);
    expect(download.suggestedFilename()).to.match(/^gezu-lotse-auskunft-\d{4}-\d\d-\d\d\.zip$/);
    const zip = await unzip(await readFile((await download.path())!));
    expect(zip.get('README.md')!.toString('utf8')).to.contain('Ihre Daten in der GeZu Lotse Academy');
    await page.goto(`${app.url}/profile/privacy`);
    await page.getByRole('cell', { name: 'heruntergeladen' }).waitFor();

    await page.getByRole('button', { name: 'Löschung beantragen' }).click();
    await page.getByRole('alert').getByText('Bitte bestätigen Sie, dass Sie die Folgen der Löschung verstanden haben.').first().waitFor();
    await expectAccessible(page);
    await page.getByLabel(/Ich habe verstanden/).check();
    await page.getByRole('button', { name: 'Löschung beantragen' }).click();
    await page.getByText(/Ihr Löschantrag L-[0-9A-Z]{8} vom .* ist beantragt/).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Löschantrag zurückziehen' }).click();
    await page.getByText('Der Löschantrag wurde zurückgezogen.').waitFor();
    await close();
  });

  for (const [name, path] of [
    ['privacy notice', '/datenschutz'],
    ['legal notice', '/impressum'],
  ] as const) {
    it(`has no axe-core WCAG 2.1 AA violations on the ${name}`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      expect((await page.goto(`${app.url}${path}`))?.status()).to.equal(200);
      await expectAccessible(page);
      await context.close();
    });
  }

  for (const path of ['/admin/privacy', '/admin/audit']) {
    it(`has no axe-core WCAG 2.1 AA violations on ${path}`, async () => {
      const { page, close } = await signedIn(['admin']);
      await (await privacyOf(app)).audit.record({ actorId: 'admin-id', action: 'role-change', targetId: 'user-id', details: { roles: ['trainer'] } });
      expect((await page.goto(`${app.url}${path}`))?.status()).to.equal(200);
      await expectAccessible(page);
      await close();
    });
  }
});
