import { expect } from 'chai';
import { login, startTestApp, type TestApp } from '../support/test-app.ts';

describe('accounts: throttling per IP address', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.stop());

  it('locks an address after 20 failures spread over many accounts, also for correct passwords', async () => {
    const agent = app.agent();
    const statuses: number[] = [];
    // four failures per account stay below the account limit of 5: only the address limit applies
    for (let i = 0; i < 20; i++) statuses.push((await login(agent, `unbekannt-${Math.floor(i / 4)}@example.org`, 'falsch')).status);
    expect(statuses.slice(0, 19).every((s) => s === 401)).to.equal(true);
    expect(statuses[19]).to.equal(429);
    const user = await app.createUser();
    const res = await login(app.agent(), user.email, user.password);
    expect(res.status).to.equal(429);
    expect(res.text).to.contain('Bitte versuchen Sie es in 15 Minuten erneut.');
  });
});
