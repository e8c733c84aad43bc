import { expect } from 'chai';
import { countPageCommands, expectBounded, numbered } from '../support/query-count.ts';
import type { Agent, TestApp } from '../support/test-app.ts';
import { startLrsApp, statement } from './support.ts';

describe('lrs: the admin lists cost the same number of queries for 50 rows as for one', () => {
  let app: TestApp;
  let admin: Agent;
  before(async () => {
    app = await startLrsApp();
    admin = (await app.loggedIn(['admin'])).agent;
  });
  after(async () => app.stop());
  const lrs = () => app.running.app.lrs.service;

  it('lists 50 LRS clients on /admin/lrs/clients with as many queries as for one', async () => {
    const create = (i: number) => lrs().clients.create({ name: numbered('Partnerwerkzeug', i), scopes: ['statements/write'] });
    await create(1);
    const one = await countPageCommands(app, admin, '/admin/lrs/clients');
    for (let i = 2; i <= 50; i++) await create(i);
    const many = await countPageCommands(app, admin, '/admin/lrs/clients');
    expectBounded(one.commands, many.commands);
    for (let i = 1; i <= 50; i++) expect(many.text).to.include(numbered('Partnerwerkzeug', i));
  });

  it('pages through 50 statements on /admin/lrs/statements with as many queries per page as for one statement', async () => {
    const store = (i: number) => lrs().storeStatements([statement({ object: { objectType: 'Activity', id: `http://example.org/list-queries/${i}` } })]);
    await store(1);
    const one = await countPageCommands(app, admin, '/admin/lrs/statements');
    for (let i = 2; i <= 50; i++) await store(i);
    const first = await countPageCommands(app, admin, '/admin/lrs/statements');
    const more = /href="(\/admin\/lrs\/statements\?more=[^"]+)"/.exec(first.text)?.[1];
    expect(more, 'a link to the next page').to.be.a('string');
    const second = await countPageCommands(app, admin, more!.replace(/&amp;/g, '&'));
    expectBounded(one.commands, first.commands);
    expectBounded(one.commands, second.commands);
    // 25 a page, newest first: both pages together show every statement once
    const shown = [first.text, second.text].flatMap((t) => [...t.matchAll(/http:\/\/example\.org\/list-queries\/(\d+)/g)].map((m) => Number(m[1])));
    expect(shown.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
