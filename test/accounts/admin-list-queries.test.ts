import { expect } from 'chai';
import { countPageCommands, expectBounded, numbered } from '../support/query-count.ts';
import { startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

describe('accounts: the admin user list costs the same number of queries for 50 users as for one', () => {
  let app: TestApp;
  let admin: Agent;
  before(async () => {
    app = await startTestApp();
    admin = (await app.loggedIn(['admin'])).agent;
  });
  after(async () => app.stop());

  it('lists 50 users on /admin/users, 25 a page, with as many queries as for one', async () => {
    const create = (i: number) => app.createUser(['learner'], { name: numbered('Listenperson', i) });
    await create(1);
    const one = await countPageCommands(app, admin, '/admin/users?q=Listenperson');
    for (let i = 2; i <= 50; i++) await create(i);
    const first = await countPageCommands(app, admin, '/admin/users?q=Listenperson');
    const second = await countPageCommands(app, admin, '/admin/users?q=Listenperson&page=2');
    expectBounded(one.commands, first.commands);
    expectBounded(one.commands, second.commands);
    for (let i = 1; i <= 50; i++) expect(i <= 25 ? first.text : second.text, numbered('Listenperson', i)).to.include(numbered('Listenperson', i));
  });
});
