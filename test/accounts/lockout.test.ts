import { expect } from 'chai';
import type { Clock } from '../../src/shared/clock.ts';
import { csrfToken, startTestApp, type Agent, type TestApp } from '../support/test-app.ts';

/** Logs in through one proxy hop, as the client address the proxy reports. */
async function loginFrom(agent: Agent, ip: string, email: string, password: string) {
  const token = await csrfToken(agent, '/login');
  return agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: token, email, password });
}

describe('accounts: a lockout that does not lock out the owner', () => {
  let app: TestApp;
  let now = new Date('2026-12-01T09:00:00Z');
  const clock: Clock = { now: () => now };
  before(async () => {
    app = await startTestApp({ clock, env: { TRUST_PROXY: '1' } });
  });
  after(async () => app.stop());

  it('locks only the address that guesses, with a lock that doubles, while the owner logs in elsewhere', async () => {
    const admin = await app.createUser(['admin']);
    const attacker = app.agent();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await loginFrom(attacker, '203.0.113.5', admin.email, `rate-${i}`)).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 429]);
    // the owner, at another address, is not locked out
    expect((await loginFrom(app.agent(), '198.51.100.7', admin.email, admin.password)).status).to.equal(302);
    // the attacker's lock: 1 minute, then 2 after the next failure, then 4
    const retryAfter: string[] = [];
    for (let i = 0; i < 3; i++) {
      now = new Date(now.getTime() + 5 * 60_000);
      const res = await loginFrom(attacker, '203.0.113.5', admin.email, `weiter-${i}`);
      expect(res.status).to.equal(429);
      retryAfter.push(res.headers['retry-after'] as string);
    }
    expect(retryAfter).to.deep.equal(['120', '240', '480']);
    // even the right password is refused from the locked address while its lock lasts
    expect((await loginFrom(attacker, '203.0.113.5', admin.email, admin.password)).status).to.equal(429);
  });

  it('believes only as many proxies as TRUST_PROXY names: a forged left-most address changes nothing', async () => {
    const user = await app.createUser();
    const statuses: number[] = [];
    // the client claims a new address each time; the proxy (one hop) appends the real one last
    for (let i = 0; i < 5; i++) statuses.push((await loginFrom(app.agent(), `10.9.8.${i}, 192.0.2.44`, user.email, `falsch-${i}`)).status);
    expect(statuses).to.deep.equal([401, 401, 401, 401, 429]);
  });
});
