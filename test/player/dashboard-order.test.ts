import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { writePackage } from '../fixtures/content/packages.ts';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { publishQ1Modules } from '../qualification/helpers.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

/** The module slugs of the dashboard's cards, top to bottom. */
const cardOrder = (html: string) => [...html.matchAll(/class="module-card" data-module="([^"]+)"/g)].map((m) => m[1]);

describe('player: dashboard order of the Q1 modules', () => {
  let app: TestApp;
  let agent: Agent;
  before(async () => {
    app = await startTestApp();
    await publishQ1Modules(app);
    // a module that is no Q1 module and sorts before them by title
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dash-order-'));
    const file = await writePackage(dir, 'anhang', scorm12Package());
    await app.running.app.content.service.importPackage(file, { moduleSlug: 'anhang', moduleTitle: 'Anhang: Glossar', publish: true });
    await rm(dir, { recursive: true, force: true });
    agent = (await app.loggedIn()).agent;
  });
  after(async () => app.stop());

  it('lists the Q1 modules first, in the order of the qualification requirements, other modules after them', async () => {
    const page = await agent.get('/dashboard');
    expect(page.status).to.equal(200);
    expect(cardOrder(page.text)).to.deep.equal(['tools-methoden', 'technik', 'megatrends', 'anhang']);
  });

  it('follows the requirements when an admin reorders the Q1 modules', async () => {
    await app.running.app.qualification.service.requirements.update({ q1Modules: ['megatrends', 'tools-methoden'], q2Topics: [] }, 'test-admin');
    expect(cardOrder((await agent.get('/dashboard')).text)).to.deep.equal(['megatrends', 'tools-methoden', 'anhang', 'technik']);
  });
});
