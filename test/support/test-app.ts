import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Role, SessionUser } from '../../src/accounts/roles.ts';
import type { StandIns } from '../../src/app.ts';
import { boot, type Running } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { randomToken } from '../../src/shared/random.ts';

export type Agent = ReturnType<typeof request.agent>;

export interface TestApp {
  url: string;
  /** The content origin that pairs with `url` (localhost → 127.0.0.1, the content listener's port), or `url` in sandbox mode. */
  contentOrigin: string;
  running: Running;
  dataDir: string;
  /** A fresh cookie-keeping HTTP client against the app (real HTTP on a random port). */
  agent(): Agent;
  /** A fresh HTTP client against the content origin's listener. */
  contentAgent(): Agent;
  /** Creates a user through the accounts service; the password is returned for logging in. */
  createUser(roles?: Role[], overrides?: Partial<{ name: string; email: string; region: SessionUser['region'] }>): Promise<SessionUser & { password: string }>;
  /** A client logged in as a new user with these roles. */
  loggedIn(roles?: Role[]): Promise<{ agent: Agent; user: SessionUser & { password: string } }>;
  stop(): Promise<void>;
}

/** The CSRF token of the first form in a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token in page');
  return m[1];
}

/** GETs a page and returns its CSRF token (the session keeps it). */
export async function csrfToken(agent: Agent, pagePath = '/login'): Promise<string> {
  const res = await agent.get(pagePath);
  return csrfFrom(res.text);
}

export async function login(agent: Agent, email: string, password: string) {
  const token = await csrfToken(agent, '/login');
  return agent.post('/login').type('form').send({ _csrf: token, email, password });
}

/**
 * Boots the whole app as `npm start` does, but on a random port, in its own database on the test
 * run's server, with a temp DATA_DIR. Nothing is mocked but the other components' services a test
 * names in `standIns` (handed to the components at construction, src/app.ts).
 */
export async function startTestApp(opts: { clock?: Clock; env?: Record<string, string>; standIns?: StandIns } = {}): Promise<TestApp> {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through mocha (test/support/global-hooks.ts)');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    MONGODB_DB: `t_${randomToken(9).replace(/[^A-Za-z0-9]/g, 'x')}`,
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    ...opts.env,
  });
  const running = await boot({
    config,
    clock: opts.clock,
    database: { uri, source: 'MONGODB_URI', stop: async () => {} },
    role: 'test',
    monitorCommands: true,
    standIns: opts.standIns,
  });
  let counter = 0;
  // with CONTENT_ISOLATION=sandbox the content is on our own origin
  const contentOrigin = running.contentServer ? `http://127.0.0.1:${(running.contentServer.address() as { port: number }).port}` : running.url;
  const app: TestApp = {
    url: running.url,
    contentOrigin,
    contentAgent: () => request.agent(contentOrigin),
    running,
    dataDir,
    agent: () => request.agent(running.url),
    async createUser(roles = ['learner'], overrides = {}) {
      counter += 1;
      const password = `Passwort-${randomToken(6)}`;
      const accounts = running.app.accounts.service;
      const user = await accounts.register({
        name: overrides.name ?? `Test Person ${counter}`,
        email:
          overrides.email ??
          `person${counter}.${randomToken(4)
            .toLowerCase()
            .replace(/[^a-z0-9]/g, 'x')}@example.org`,
        organisation: 'Testberatung',
        region: overrides.region ?? 'saarland',
        password,
        passwordConfirm: password,
      });
      const withRoles = roles.join() === 'learner' ? user : await accounts.setRoles('system', user.id, roles);
      return { ...withRoles, password };
    },
    async loggedIn(roles = ['learner']) {
      const user = await app.createUser(roles);
      const agent = app.agent();
      const res = await login(agent, user.email, user.password);
      if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
      return { agent, user };
    },
    async stop() {
      await running.connection.dropDatabase().catch(() => {});
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}
