import request from 'supertest';
import type { Clock } from '../../src/shared/clock.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

export const SEED = { key: 'test-seed-key', secret: 'test-seed-secret-0123456789' };
export const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
export const SEED_AUTH = basic(SEED.key, SEED.secret);

/** The app with an all-scoped seed client, as `npm start` with LRS_SEED_KEY/SECRET. */
export async function startLrsApp(opts: { clock?: Clock } = {}): Promise<TestApp> {
  return startTestApp({ clock: opts.clock, env: { LRS_SEED_KEY: SEED.key, LRS_SEED_SECRET: SEED.secret } });
}

/** A supertest request with the version header (default 1.0.3) and the given (default: seed) credentials. */
export function xapi(app: TestApp, auth: string | null = SEED_AUTH, version = '1.0.3') {
  const agent = request(app.url);
  const wrap = <T extends request.Test>(t: T): T => {
    t.set('X-Experience-API-Version', version);
    if (auth) t.set('Authorization', auth);
    return t;
  };
  return {
    get: (path: string) => wrap(agent.get(`/xapi${path}`)),
    post: (path: string) => wrap(agent.post(`/xapi${path}`)),
    put: (path: string) => wrap(agent.put(`/xapi${path}`)),
    delete: (path: string) => wrap(agent.delete(`/xapi${path}`)),
    head: (path: string) => wrap(agent.head(`/xapi${path}`)),
    options: (path: string) => wrap(agent.options(`/xapi${path}`)),
  };
}

let counter = 0;
/** A small valid statement; `n` makes the activity unique to the test. */
export function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    actor: { objectType: 'Agent', name: 'Lena Lernende', mbox: 'mailto:lena@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'de-DE': 'erlebte', 'en-US': 'experienced' } },
    object: { objectType: 'Activity', id: `http://example.org/activities/${counter}` },
    ...overrides,
  };
}

export const q = (params: Record<string, unknown>) =>
  '?' +
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
