import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { issuedLearner, postForm, setIssueMode, standInEligibility } from '../certificates/helpers.ts';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { datenschutzRoom, world, type World } from '../results/helpers.ts';

/**
 * Issue #21, Done-when: a lead publishes a room's summary in the browser (preview → publish); it
 * appears on /ergebnisse and is found by search; axe finds nothing on the publish page, the preview,
 * /ergebnisse, the detail page, the profile's practice section and the verify page with practice.
 */
describe('browser: publishing the results of an Experimentierraum', function () {
  this.timeout(180_000);
  let w: World;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let holder: Awaited<ReturnType<typeof issuedLearner>>;
  before(async () => {
    const eligibility = standInEligibility();
    w = await world({ eligibility });
    const admin = await w.person('Ada Admin', ['admin']);
    await setIssueMode(admin.agent, 'automatic');
    holder = await issuedLearner(w.app, eligibility, 'Lena Lotsin');
    w.rooms.add(datenschutzRoom('room-1'), [holder.user.id]);
    browser = await launchBrowser();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${w.app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(holder.user.email);
    await page.getByLabel('Passwort').fill(holder.user.password);
    await Promise.all([page.waitForURL(`${w.app.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
  });
  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await w?.app.stop();
  });
  const expectNoViolations = async (p: Page, where: string) => {
    const violations = await axeViolations(p);
    expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  };

  it('publishes after a preview; the summary is listed, found by search, and every page passes axe', async () => {
    await page.goto(`${w.app.url}/profile`);
    await expectNoViolations(page, 'profile with practice');
    await Promise.all([
      page.waitForURL(`${w.app.url}/experimentierraeume/room-1/veroeffentlichen`),
      page.getByRole('link', { name: 'Ergebnisse veröffentlichen: Datenschutz im Handwerk' }).click(),
    ]);
    await expectNoViolations(page, 'publish page');
    await page.getByRole('textbox', { name: 'Titel' }).fill('Datenschutz ohne Papierberge');
    await page.getByRole('textbox', { name: 'Was funktioniert hat' }).fill('Jürgen Müller hat die **Löschfristen** geklärt.');
    await page.getByRole('button', { name: 'Vorschau ansehen' }).click();
    // refused: the name is shown so the Lotse can fix it, and nothing was published
    await page.getByRole('alert').filter({ hasText: '„Jürgen Müller“' }).waitFor();
    await expectNoViolations(page, 'publish page with a refusal');
    await page.getByRole('textbox', { name: 'Was funktioniert hat' }).fill('Die **Löschfristen** sind jetzt geklärt.');
    await page.getByRole('radio', { name: /als Monat/ }).check();
    await page.getByRole('button', { name: 'Vorschau ansehen' }).click();
    await page.getByRole('heading', { name: 'Vorschau der Ergebnisse', level: 1 }).waitFor();
    expect(await page.locator('.results-preview strong', { hasText: 'Löschfristen' }).count()).to.equal(1);
    expect(await page.locator('.results-preview').innerText()).to.contain('März–Mai 2026');
    await expectNoViolations(page, 'preview');
    expect((await w.app.agent().get('/api/ergebnisse')).body.total).to.equal(0);

    await page.getByRole('button', { name: 'Jetzt veröffentlichen' }).click();
    await page.waitForURL(/\/ergebnisse\/datenschutz-[a-f0-9]{10}$/);
    await page.getByRole('heading', { name: 'Datenschutz ohne Papierberge', level: 1 }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Die Ergebnisse sind veröffentlicht.' }).count()).to.equal(1);
    await expectNoViolations(page, 'detail page');
    const detailUrl = page.url();

    // a visitor without an account finds it
    const visitor = await browser.newContext();
    try {
      const v = await visitor.newPage();
      await v.goto(`${w.app.url}/ergebnisse`);
      expect(await v.getByRole('link', { name: 'Datenschutz ohne Papierberge' }).count()).to.equal(1);
      await expectNoViolations(v, '/ergebnisse');
      await v.getByRole('searchbox', { name: 'Suchbegriff' }).fill('loeschfristen');
      await v.getByRole('combobox', { name: 'Region' }).selectOption('saarland');
      await Promise.all([v.waitForURL(/q=loeschfristen/), v.getByRole('button', { name: 'Suchen' }).click()]);
      expect(await v.getByRole('status').innerText()).to.equal('1 Ergebnis');
      await Promise.all([v.waitForURL(detailUrl), v.getByRole('link', { name: 'Datenschutz ohne Papierberge' }).click()]);
      await expectNoViolations(v, 'detail page for a visitor');
      await v.goto(`${w.app.url}/ergebnisse?q=homeoffice`);
      expect(await v.getByRole('status').innerText()).to.equal('Keine Ergebnisse gefunden.');
      await expectNoViolations(v, '/ergebnisse without hits');

      // the practice on the verify page, once the Lotse switches it on
      await page.goto(`${w.app.url}/profile`);
      await page.getByRole('checkbox', { name: /auf der öffentlichen Prüfseite meines Zertifikats/ }).check();
      await Promise.all([page.waitForURL(/\/profile/), page.getByRole('button', { name: 'Einstellung speichern' }).click()]);
      await expectNoViolations(page, 'profile after saving the switch');
      await v.goto(`${w.app.url}/verify/${holder.code}`);
      await v.getByRole('heading', { name: 'Praxis: Experimentierräume' }).waitFor();
      expect(await v.locator('.practice-list').innerText()).to.contain('Datenschutz ohne Papierberge');
      await expectNoViolations(v, 'verify page with practice');
    } finally {
      await visitor.close();
    }
    expect((await postForm(holder.agent, '/profile', '/profile/practice', {})).status).to.equal(303);
  });
});
