import { expect } from 'chai';
import { scorm12Single, writePackage } from '../fixtures/content/packages.ts';
import { countPageCommands, expectBounded, numbered } from '../support/query-count.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';
import { tempDir } from './support.ts';

describe('content: the author module list reads its modules with a fixed number of queries', () => {
  let app: TestApp;
  let dir: string;
  let author: Agent;
  before(async () => {
    app = await startTestApp();
    dir = await tempDir();
    author = (await app.loggedIn(['author'])).agent;
  });
  after(async () => app.stop());

  const importModules = async (from: number, to: number) => {
    for (let i = from; i <= to; i++) {
      const file = await writePackage(dir, `m${i}`, scorm12Single());
      await app.running.app.content.service.importPackage(file, { moduleTitle: numbered('Listenmodul', i), publish: i % 2 === 0 });
    }
  };

  it('lists 50 modules on /author/modules with as many queries as for one', async () => {
    await importModules(1, 1);
    const one = await countPageCommands(app, author, '/author/modules');
    await importModules(2, 50);
    const many = await countPageCommands(app, author, '/author/modules');
    expectBounded(one.commands, many.commands);
    const links = many.text.match(/href="\/author\/modules\/[a-f0-9]{24}"/g) ?? [];
    expect(links).to.have.length(50);
    for (let i = 1; i <= 50; i++) expect(many.text).to.include(numbered('Listenmodul', i));
    // published modules show their version, the others say so
    expect(many.text.match(/Version 1/g) ?? []).to.have.length(25);
  });
});
