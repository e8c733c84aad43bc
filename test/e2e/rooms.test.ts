import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { buildRooms, localInput, mailedLink, WEEK, type Person, type RoomsWorld } from '../rooms/helpers.ts';

/**
 * Issue #21, Done-when: a certified Lotse opens an Experimentierraum with four dates, invites two
 * companies (one by mail, one by the shareable link), both register as guests; the Lotse holds the
 * dates, records attendance and a result. axe finds nothing on any new page. The test ends where
 * the room could be published (the results component adds that step).
 */
describe('browser: a Lotse runs an Experimentierraum with two companies', function () {
  this.timeout(240_000);
  let w: RoomsWorld;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  before(async () => {
    w = await buildRooms();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await w?.app.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    return context.newPage();
  }
  async function signedIn(p: Person): Promise<Page> {
    const page = await newPage();
    await page.goto(`${w.app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(p.email);
    await page.getByLabel('Passwort').fill(p.password);
    await Promise.all([page.waitForURL(`${w.app.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
    return page;
  }
  const expectNoViolations = async (page: Page, what: string) => {
    const violations = await axeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  };
  async function registerAsGuest(path: string, g: { name: string; email?: string; company: string; trade: string; size: string }): Promise<Page> {
    const page = await newPage();
    await page.goto(`${w.app.url}${path}`);
    await expectNoViolations(page, 'invitation');
    await page.getByLabel('Name', { exact: true }).fill(g.name);
    if (g.email) await page.getByLabel('E-Mail-Adresse').fill(g.email);
    await page.getByLabel('Betrieb', { exact: true }).fill(g.company);
    await page.getByLabel('Ihre Rolle im Betrieb').fill('Inhaberin');
    await page.getByLabel('Gewerk oder Branche des Betriebs').fill(g.trade);
    await page.getByLabel('Größe des Betriebs').selectOption(g.size);
    await page.getByLabel('Passwort', { exact: true }).fill('ein-gutes-gastpasswort');
    await page.getByLabel('Passwort wiederholen').fill('ein-gutes-gastpasswort');
    await page.getByLabel(/Datenschutzhinweise zur Kenntnis genommen/).check();
    await Promise.all([page.waitForURL(/\/experimentierraeume\/[a-f0-9]{24}$/), page.getByRole('button', { name: 'Registrieren und beitreten' }).click()]);
    return page;
  }

  it('opens the room, invites by mail and by link, registers both companies, holds the dates and records attendance and results', async () => {
    const lotse = await signedIn(w.lotse);
    await lotse.getByRole('link', { name: 'Experimentierräume' }).first().click();
    await lotse.waitForURL(`${w.app.url}/experimentierraeume`);
    await expectNoViolations(lotse, 'list');

    await lotse.getByRole('link', { name: 'Experimentierraum eröffnen' }).click();
    await lotse.waitForURL(`${w.app.url}/experimentierraeume/neu`);
    await expectNoViolations(lotse, 'new');
    await lotse.getByLabel('Titel').fill('Medienkompetenz im Handwerk');
    await lotse.getByLabel('Thema').fill('Medienkompetenz');
    await lotse.getByLabel('Region').selectOption('saarland');
    await lotse.getByLabel('Gewerk oder Branche').fill('Handwerk');
    await lotse.getByLabel('Betriebsgröße').selectOption('1-9');
    await lotse.getByLabel('Beschreibung').fill('Wir probieren Werkzeuge für Social Media und Kundenkontakt aus.');
    await lotse.getByLabel('Plätze').fill('8');
    const start = Date.now();
    for (let i = 0; i < 4; i++) {
      await lotse.getByLabel(`Termin ${i + 1}: Beginn`).fill(localInput(new Date(start + (i + 1) * WEEK)));
      await lotse.getByLabel(`Termin ${i + 1}: Form`).selectOption(i === 1 ? 'virtuell' : 'vor-ort');
      await lotse
        .getByLabel(`Termin ${i + 1}: Adresse oder Link`)
        .fill(i === 1 ? 'https://meet.example.org/medien' : 'Handwerkskammer des Saarlandes, Saarbrücken');
    }
    await lotse.getByLabel('Externe Fachleute').fill('Sam Social; Social Media; sam@example.org');
    await Promise.all([lotse.waitForURL(/\/experimentierraeume\/[a-f0-9]{24}$/), lotse.getByRole('button', { name: 'Experimentierraum eröffnen' }).click()]);
    const roomUrl = lotse.url();
    const roomPath = new URL(roomUrl).pathname;
    expect(await lotse.getByRole('heading', { level: 1 }).innerText()).to.equal('Medienkompetenz im Handwerk');
    await expectNoViolations(lotse, 'detail');

    // invitations: one by mail, one by the link
    await lotse.getByRole('link', { name: 'Betriebe einladen' }).click();
    await lotse.getByLabel('E-Mail-Adressen').fill('schmidt@malerei-schmidt.example');
    await lotse.getByRole('button', { name: 'Einladungen senden' }).click();
    await lotse.getByText('1 Einladung verschickt.').waitFor();
    await lotse.getByRole('button', { name: 'Anmeldelink erzeugen' }).click();
    const link = await lotse.getByRole('textbox', { name: 'Anmeldelink' }).inputValue();
    await expectNoViolations(lotse, 'invitations');

    const mail = await mailedLink(w.app, 'schmidt@malerei-schmidt.example');
    const schmidt = await registerAsGuest(mail.path, { name: 'Sabine Schmidt', company: 'Malerei Schmidt', trade: 'Malerhandwerk', size: '1-9' });
    expect(await schmidt.getByRole('heading', { level: 1 }).innerText()).to.equal('Medienkompetenz im Handwerk');
    await expectNoViolations(schmidt, 'detail (guest)');
    const koch = await registerAsGuest(new URL(link).pathname, {
      name: 'Karl Koch',
      email: 'koch@baeckerei-koch.example',
      company: 'Bäckerei Koch',
      trade: 'Bäckerhandwerk',
      size: '10-49',
    });
    // a guest's navigation has the rooms, not the qualification
    expect(await koch.getByRole('link', { name: 'Experimentierräume', exact: true }).count()).to.equal(1);
    expect(await koch.getByRole('link', { name: 'Meine Module' }).count()).to.equal(0);

    // both register for the first date
    for (const guest of [schmidt, koch]) {
      await Promise.all([guest.waitForURL(/#termin-/), guest.getByRole('button', { name: 'Zu Termin 1 anmelden' }).click()]);
      await guest.getByText('Sie sind angemeldet').waitFor();
    }

    // the Lotse holds the dates: attendance and results after each
    await lotse.goto(roomUrl);
    expect(await lotse.getByText('Sabine Schmidt (Malerei Schmidt)').count()).to.equal(1);
    for (let i = 1; i <= 4; i++) {
      w.clock.travelTo(new Date(start + i * WEEK + 2 * 3600_000));
      await lotse.goto(roomUrl);
      await lotse.getByRole('link', { name: `Anwesenheit von Termin ${i} erfassen` }).click();
      await lotse.waitForURL(/\/anwesenheit$/);
      if (i === 1) await expectNoViolations(lotse, 'attendance');
      await lotse.getByLabel(/Sabine Schmidt/).check();
      if (i !== 3) await lotse.getByLabel(/Karl Koch/).check();
      await Promise.all([lotse.waitForURL(roomUrl), lotse.getByRole('button', { name: 'Anwesenheit speichern' }).click()]);
      if (i === 1) {
        await lotse.getByRole('link', { name: 'Ergebnisse von Termin 1' }).click();
        await lotse.waitForURL(/\/ergebnisse#ergebnis-/);
        const entry = lotse.locator('section.room-result').first();
        await entry.getByLabel('Was wurde ausprobiert?').fill('Ein gemeinsamer Instagram-Kanal je Gewerk');
        await entry.getByLabel('Was hat funktioniert?').fill('Fotos von der Baustelle mit Einverständnis der Kundschaft');
        await entry.getByLabel('Nächste Schritte').fill('Redaktionsplan für vier Wochen');
        await Promise.all([lotse.waitForURL(/\/ergebnisse#ergebnis-/), entry.getByRole('button', { name: 'Ergebnisse von Termin 1 speichern' }).click()]);
        await lotse.getByText('Die Ergebnisse sind gespeichert.').waitFor();
        await expectNoViolations(lotse, 'results');
      }
    }
    await lotse.goto(roomUrl);
    await lotse.getByText('abgeschlossen').first().waitFor();

    // the guests read the board; the materials page for the lead
    await schmidt.goto(`${w.app.url}${roomPath}/ergebnisse`);
    expect(await schmidt.getByText('Fotos von der Baustelle mit Einverständnis der Kundschaft').count()).to.equal(1);
    await expectNoViolations(schmidt, 'results (guest)');
    await lotse.goto(`${w.app.url}${roomPath}/materialien`);
    await expectNoViolations(lotse, 'materials');

    // the provider's overview
    const admin = await signedIn(w.admin);
    await admin.goto(`${w.app.url}/admin/experimentierraeume`);
    const row = admin.locator('tr', { hasText: 'Medienkompetenz im Handwerk' });
    expect(await row.innerText()).to.contain('4 von 4 gehalten');
    await expectNoViolations(admin, 'admin overview');

    // the lead publishes the summary: preview, then the explicit submit; a visitor finds it
    await lotse.goto(roomUrl);
    await expectNoViolations(lotse, 'detail (finished, with results)');
    expect(await schmidt.goto(roomUrl).then(() => schmidt.getByRole('link', { name: 'Ergebnisse veröffentlichen' }).count())).to.equal(0);
    const publish = lotse.getByRole('link', { name: 'Ergebnisse veröffentlichen' });
    expect(await publish.getAttribute('href')).to.equal(`${roomPath}/veroeffentlichen`);
    await Promise.all([lotse.waitForURL(`${roomUrl}/veroeffentlichen`), publish.click()]);
    await expectNoViolations(lotse, 'publish');
    await lotse.getByRole('button', { name: 'Vorschau ansehen' }).click();
    await lotse.getByRole('heading', { name: 'Vorschau der Ergebnisse', level: 1 }).waitFor();
    expect(await lotse.locator('main').innerText()).to.contain('Fotos von der Baustelle mit Einverständnis der Kundschaft');
    await expectNoViolations(lotse, 'preview');
    await Promise.all([lotse.waitForURL(/\/ergebnisse\/[a-z0-9-]+$/), lotse.getByRole('button', { name: 'Jetzt veröffentlichen' }).click()]);
    const published = lotse.url();
    const visitor = await newPage();
    await visitor.goto(`${w.app.url}/ergebnisse?q=baustelle`);
    await Promise.all([visitor.waitForURL(published), visitor.getByRole('link', { name: 'Medienkompetenz im Handwerk' }).click()]);
    const text = await visitor.locator('main').innerText();
    for (const personal of ['Sabine Schmidt', 'Karl Koch', w.lotse.name]) expect(text).not.to.contain(personal);
    await expectNoViolations(visitor, 'published summary');
  });
});
