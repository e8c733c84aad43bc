import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { TestApp } from '../support/test-app.ts';

/** Logs a browser context in through the login form. */
export async function browserLogin(context: BrowserContext, app: TestApp, user: { email: string; password: string }): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${app.url}/login`);
  await page.getByLabel('E-Mail-Adresse').fill(user.email);
  await page.getByLabel('Passwort').fill(user.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${app.url}/`);
  await page.close();
}

/** Opens the dashboard and presses the module's button; returns the button's label. */
export async function pressModuleButton(page: Page, app: TestApp, slug: string): Promise<string> {
  await page.goto(`${app.url}/dashboard`);
  const button = page.locator(`li[data-module="${slug}"] button`);
  const label = (await button.innerText()).trim();
  await Promise.all([page.waitForURL(/\/player\/attempts\//), button.click()]);
  return label;
}

/** The content frame once its script has run (a SCO's frame sits inside the adapter page's, whose URL names it too). */
export async function contentFrame(page: Page, urlPart: RegExp): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    for (const frame of page.frames().filter((f) => urlPart.test(f.url()))) {
      if (
        await frame
          .locator('body[data-ready="true"]')
          .count()
          .catch(() => 0)
      )
        return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(
    `content frame ${urlPart} not ready; frames: ${page
      .frames()
      .map((f) => f.url())
      .join(', ')}`,
  );
}

/**
 * Runs `fn` in the SCO's frame. Playwright's evaluate can wait forever on a frame that the player
 * replaces at that moment (a frame found just before it is swapped); such a try is given up after
 * 10 s and made again in the frame found then. `fn` must be safe to run twice (the SCO calls are).
 */
export async function inSco<T>(page: Page, urlPart: RegExp, fn: () => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const frame = await contentFrame(page, urlPart);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from the SCO frame ${urlPart} within 10 s`)), 10_000);
    });
    try {
      return await Promise.race([frame.evaluate(fn), gaveUp]);
    } catch (err) {
      if (attempt >= 3) throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Polls until check() returns a truthy value (data that arrives by sendBeacon arrives a moment later). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Verb names of a registration's statements, oldest first. */
export async function verbsOf(app: TestApp, registration: string): Promise<string[]> {
  const page = (await app.running.app.lrs.service.getStatements({ registration, ascending: true, limit: 500 })) as unknown as {
    statements: Array<{ verb: { id: string } }>;
  };
  return page.statements.map((s) => s.verb.id.split('/').pop()!);
}
