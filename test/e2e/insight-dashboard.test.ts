import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { buildCohort, type BuiltCohort } from '../insight/helpers.ts';

/** A trainer opens the insight pages in Chromium: charts and tables are there, XLSX downloads, axe finds nothing. */
describe('browser: the trainer insight pages', function () {
  this.timeout(180_000);
  let c: BuiltCohort;
  let browser: Browser;
  before(async () => {
    c = await buildCohort();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await c?.app.stop();
  });

  async function loggedIn(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${c.app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort').fill(password);
    await Promise.all([page.waitForURL(`${c.app.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
    return { context, page };
  }
  const expectNoViolations = async (page: Page) => {
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
  };

  it('opens the dashboard from the trainer overview, sees the charts and tables, exports XLSX; axe reports no violations', async () => {
    const { context, page } = await loggedIn(c.trainer.email, c.trainer.password);
    await page.goto(`${c.app.url}/trainer`);
    await page.getByRole('link', { name: 'Auswertung', exact: true }).first().click();
    await page.waitForURL(`${c.app.url}/trainer/insight`);
    await expectNoViolations(page);
    await page.getByRole('link', { name: 'Saar 2026' }).click();
    await page.waitForURL(`${c.app.url}/trainer/insight/cohorts/${c.cohort.id}`);
    await expect(await page.getByRole('img', { name: 'Stand je Modul' }).count()).to.equal(1);
    await expect(await page.getByRole('img', { name: /Lernzeit je Modul/ }).count()).to.equal(1);
    const funnel = page.locator('#table-funnel');
    expect(await funnel.locator('tbody tr').first().innerText()).to.match(/Tools \+ Methoden\s+1\s+1\s+0\s+2\s+1/);
    expect(await page.locator('#table-attention tbody tr').count()).to.equal(4);
    await expectNoViolations(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Stand je Modul als Excel (XLSX)' }).click()]);
    expect(download.suggestedFilename()).to.equal(`durchgang-${c.cohort.id}-funnel.xlsx`);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).to.equal('PK');
    await context.close();
  });

  it('has no axe-core violations on the question view and a learner timeline (trainer) and on the own timeline (learner)', async () => {
    const { context, page } = await loggedIn(c.trainer.email, c.trainer.password);
    for (const path of [
      `/trainer/insight/cohorts/${c.cohort.id}/questions`,
      `/trainer/insight/learners/${c.people.Bernd.id}/timeline`,
      '/trainer/insight/digest',
    ]) {
      const res = await page.goto(`${c.app.url}${path}`);
      expect(res?.status(), path).to.equal(200);
      await expectNoViolations(page);
    }
    expect(await page.getByRole('img', { name: /Anteil richtiger Antworten/ }).count()).to.equal(0); // the digest page has no chart
    await context.close();
    const learner = await loggedIn(c.people.Emil.email, c.people.Emil.password);
    const res = await learner.page.goto(`${c.app.url}/timeline`);
    expect(res?.status()).to.equal(200);
    expect(await learner.page.locator('ol.timeline li').count()).to.be.at.least(2);
    await expectNoViolations(learner.page);
    await learner.context.close();
  });
});
