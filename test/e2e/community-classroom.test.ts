import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser } from '../support/browser.ts';
import { publishQ1Modules, qualification } from '../qualification/helpers.ts';
import { buildCommunity, newThread, reply, sendChat, type CommunityWorld, type Member } from '../community/helpers.ts';

/**
 * Issue #20, Done-when: two learners and a trainer in one Klassenzimmer, each in their own browser
 * context. A chat message from one appears for the others within a second; the trainer hides a
 * message and a post, and both disappear for the learners; axe finds nothing on the new pages. A
 * learner sees what came since her last visit after a divider, and is cut off once removed from the cohort.
 */
describe('browser: the Klassenzimmer with two learners and a trainer', function () {
  this.timeout(180_000);
  let w: CommunityWorld;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  before(async () => {
    // open streams re-check membership every half second here (CHAT_RECHECK_MS; 5 s by default)
    w = await buildCommunity({ env: { CHAT_RECHECK_MS: '500' } });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await w?.app.stop();
  });

  async function open(m: Member, path: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${w.app.url}/login`);
    await page.getByLabel('E-Mail-Adresse').fill(m.email);
    await page.getByLabel('Passwort').fill(m.password);
    await Promise.all([page.waitForURL(`${w.app.url}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
    await page.goto(`${w.app.url}${path}`);
    return page;
  }
  const expectNoViolations = async (page: Page) => {
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
  };
  const connected = (page: Page) => page.waitForSelector('section.chat[data-connected="true"]', { timeout: 5000 });

  it('shows a chat message from one learner to the other and the trainer within a second, and the trainer can hide it', async () => {
    const space = `/community/spaces/${w.keys.a}`;
    const [anna, ali, tanja] = await Promise.all([open(w.people.anna, space), open(w.people.ali, space), open(w.people.tanja, space)]);
    await Promise.all([connected(anna), connected(ali), connected(tanja)]);
    await expectNoViolations(anna);

    await anna.getByRole('textbox', { name: 'Nachricht' }).fill('Hallo ihr beiden!');
    const t0 = Date.now();
    await anna.getByRole('textbox', { name: 'Nachricht' }).press('Enter');
    const seen = async (page: Page) => {
      await page.locator('#chat-log li', { hasText: 'Hallo ihr beiden!' }).waitFor({ timeout: 1000 });
      return Date.now() - t0;
    };
    const [forAli, forTanja] = await Promise.all([seen(ali), seen(tanja)]);
    expect(forAli, 'ms until Ali sees it').to.be.below(1000);
    expect(forTanja, 'ms until Tanja sees it').to.be.below(1000);
    expect(await ali.locator('#chat-log li', { hasText: 'Hallo ihr beiden!' }).innerText()).to.contain('Anna Arendt');
    expect(await anna.getByRole('textbox', { name: 'Nachricht' }).inputValue()).to.equal('');
    // only the trainer has the hide button
    expect(await ali.locator('#chat-log button.chat-hide').count()).to.equal(0);
    await tanja.locator('#chat-log li', { hasText: 'Hallo ihr beiden!' }).getByRole('button', { name: 'Nachricht ausblenden' }).click();
    await ali.locator('#chat-log li', { hasText: 'Hallo ihr beiden!' }).waitFor({ state: 'detached', timeout: 2000 });
    await anna.locator('#chat-log li', { hasText: 'Hallo ihr beiden!' }).waitFor({ state: 'detached', timeout: 2000 });
    await expectNoViolations(tanja);
  });

  it('lets the trainer hide a post: it disappears for the learners; axe finds nothing on the community pages', async () => {
    const threadId = await newThread(w.people.anna, w.keys.a, 'Unsere Fragen', 'Was brauchen wir **für Q2**?');
    expect((await reply(w.people.ali, threadId, 'Unpassender Beitrag von Ali')).status).to.equal(303);
    const path = `/community/threads/${threadId}`;
    const [anna, tanja] = await Promise.all([open(w.people.anna, path), open(w.people.tanja, path)]);
    expect(await anna.locator('.post-body', { hasText: 'Unpassender Beitrag von Ali' }).count()).to.equal(1);
    await expectNoViolations(anna);
    await expectNoViolations(tanja);
    const post = tanja.locator('li.post', { hasText: 'Unpassender Beitrag von Ali' });
    await Promise.all([tanja.waitForURL(`${w.app.url}${path}`), post.getByRole('button', { name: 'Ausblenden' }).click()]);
    expect(await tanja.getByText('Ausgeblendet (nur für die Moderation sichtbar)').count()).to.equal(1);
    await anna.reload();
    expect(await anna.locator('.post-body', { hasText: 'Unpassender Beitrag von Ali' }).count()).to.equal(0);
    expect(await anna.locator('.post-body', { hasText: 'Was brauchen wir' }).count()).to.equal(1);

    await newThread(w.people.anna, w.keys.a, 'Frage an Ali', '@Ali Aydin wie war es?');
    await anna.goto(`${w.app.url}/community/journal/${w.session.id}`);
    await anna.getByRole('textbox', { name: 'Ihre Reflexion (Markdown)' }).fill('Was ich **mitnehme**');
    await anna.getByRole('combobox', { name: 'Wer liest mit?' }).selectOption('team');
    await Promise.all([anna.waitForURL(`${w.app.url}/community/journal/${w.session.id}`), anna.getByRole('button', { name: 'Eintrag speichern' }).click()]);
    const pages = [
      '/community',
      `/community/spaces/${w.keys.tools}`,
      `/community/spaces/${w.keys.session}`,
      `/community/spaces/${w.keys.mentor}`,
      `/community/journal/${w.session.id}`,
      '/community/notifications',
      '/community/search?q=Q2',
      '/profile',
      // the path names her mentor and links their space
      '/path',
    ];
    for (const p of pages) {
      const res = await anna.goto(`${w.app.url}${p}`);
      expect(res?.status(), p).to.equal(200);
      await expectNoViolations(anna);
    }
    const ali = await open(w.people.ali, '/community/notifications');
    expect(await ali.getByText('Anna Arendt hat Sie erwähnt: Frage an Ali').count()).to.equal(1);
    expect(await ali.locator('a.nav-unread').innerText()).to.match(/ungelesen/);
    await expectNoViolations(ali);
    for (const p of [`/trainer/community/cohorts/${w.cohortA.id}/teams`, `/community/journal/${w.session.id}`, `/community/spaces/${w.keys.a}`]) {
      const res = await tanja.goto(`${w.app.url}${p}`);
      expect(res?.status(), p).to.equal(200);
      await expectNoViolations(tanja);
    }
  });

  it('marks the messages since the last visit with a divider, and ends the chat of a learner removed from the cohort', async () => {
    const space = `/community/spaces/${w.keys.a}`;
    const ali = await open(w.people.ali, space);
    await connected(ali);
    expect((await sendChat(w.people.anna, w.keys.a, 'Neu eins')).status).to.equal(201);
    expect((await sendChat(w.people.anna, w.keys.a, 'Neu zwei')).status).to.equal(201);
    await ali.locator('#chat-log li', { hasText: 'Neu zwei' }).waitFor({ timeout: 1000 });
    // the trainer's page: what its stream delivered counts as seen once it closed
    const tanja = await open(w.people.tanja, space);
    await connected(tanja);
    expect((await sendChat(w.people.anna, w.keys.a, 'Neu drei')).status).to.equal(201);
    await tanja.locator('#chat-log li', { hasText: 'Neu drei' }).waitFor({ timeout: 1000 });
    await tanja.close();
    await new Promise((r) => setTimeout(r, 300));
    expect((await sendChat(w.people.anna, w.keys.a, 'Neu vier')).status).to.equal(201);
    const again = await open(w.people.tanja, space);
    expect(await again.locator('p.chat-news').innerText()).to.equal('1 neue Nachricht seit Ihrem letzten Besuch');
    expect(await again.locator('#chat-log li.chat-divider + li').innerText()).to.contain('Neu vier');
    await expectNoViolations(again);

    await qualification(w.app).service.planning.updateCohort(w.cohortA.id, { learnerIds: [w.people.anna.id] });
    await ali.getByText('Sie gehören nicht mehr zu diesem Raum: der Chat ist für Sie beendet.').waitFor({ timeout: 3000 });
    expect(await ali.getByRole('textbox', { name: 'Nachricht' }).isDisabled()).to.equal(true);
    expect(await ali.locator('section.chat[data-connected="true"]').count()).to.equal(0);
    await expectNoViolations(ali);
  });

  it("links the module's Q&A from the player page of a member in a new tab, while the module runs on", async () => {
    await publishQ1Modules(w.app);
    const page = await open(w.people.anna, '/dashboard');
    await Promise.all([
      page.waitForURL(/\/player\/attempts\//),
      page.locator('li.module-card[data-module="tools-methoden"] button[type=submit]').first().click(),
    ]);
    const link = page.getByRole('link', { name: 'Fragen und Antworten zu diesem Modul (öffnet in neuem Tab)' });
    expect(await link.getAttribute('href')).to.equal('/community/spaces/module-tools-methoden');
    await expectNoViolations(page);
    const playerUrl = page.url();
    const [qa] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await qa.waitForLoadState();
    expect(new URL(qa.url()).pathname).to.equal('/community/spaces/module-tools-methoden');
    expect(await qa.getByRole('heading', { level: 1 }).innerText()).to.match(/tools-methoden/i);
    // the module goes on in its own tab: the player page did not unload the SCO and leave
    await page.waitForTimeout(300);
    expect(page.url()).to.equal(playerUrl);
    expect(await page.locator('#content-frame').count()).to.equal(1);
  });
});
