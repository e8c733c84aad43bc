import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cmi5, writePackage } from '../fixtures/content/packages.ts';
import { scorm12Package } from '../fixtures/player/packages.ts';
import { countPageCommands, expectBounded, numbered } from '../support/query-count.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('player: the dashboard and the waiver form cost the same number of queries for 50 modules as for one', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await mkdtemp(path.join(os.tmpdir(), 'player-lists-'));
  });
  after(async () => {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const publish = async (name: string, files: Record<string, string | Buffer>) =>
    app.running.app.content.service.importPackage(await writePackage(dir, name, files), { moduleTitle: name, publish: true });

  it('lists 50 published modules on /dashboard with as many queries as for one', async () => {
    const learner = (await app.loggedIn()).agent;
    await publish(numbered('Lernmodul', 1), scorm12Package());
    const one = await countPageCommands(app, learner, '/dashboard');
    for (let i = 2; i <= 50; i++) await publish(numbered('Lernmodul', i), scorm12Package());
    const many = await countPageCommands(app, learner, '/dashboard');
    expectBounded(one.commands, many.commands);
    expect(many.text.match(/class="module-card"/g) ?? []).to.have.length(50);
    for (let i = 1; i <= 50; i++) expect(many.text).to.include(numbered('Lernmodul', i));
  });

  it('offers 50 cmi5 modules on /admin/player/waive with as many queries as for one', async () => {
    const admin = (await app.loggedIn(['admin'])).agent;
    await publish(numbered('Kurs', 1), cmi5());
    const one = await countPageCommands(app, admin, '/admin/player/waive');
    for (let i = 2; i <= 50; i++) await publish(numbered('Kurs', i), cmi5());
    const many = await countPageCommands(app, admin, '/admin/player/waive');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text).to.include(numbered('Kurs', i));
    // the SCORM modules of the dashboard test are no cmi5 courses: not offered
    expect(many.text).not.to.include(numbered('Lernmodul', 1));
  });
});
