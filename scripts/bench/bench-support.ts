/** What the benchmarks share: percentiles, logging in through the real form, a process's resident memory, the LRS app. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { boot, type Running } from '../../src/boot.ts';
import { loadConfig } from '../../src/config.ts';

export const median = (xs: number[]) => percentile(xs, 50);

/** The p-th percentile (nearest rank) of the samples. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The session cookie of a page's answer (lotse.sid=…), if it sets one. */
export const sessionCookie = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('lotse.sid='))
    ?.split(';')[0];

/** The CSRF token of the first form in a page. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/**
 * GET /login for its CSRF token and the cookie it belongs to (the untimed half of a login). A visitor
 * gets no session, only the token's cookie (lotse.csrf, see src/http/csrf.ts).
 */
export async function loginForm(base: string): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return { cookie, token: csrfOf(await page.text())! };
}

/** POST /login with a form from loginForm; returns the signed-in session cookie. */
export async function submitLogin(base: string, form: { cookie: string; token: string }, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: form.token, email, password }),
  });
  const cookie = sessionCookie(res);
  if (res.status !== 302 || !cookie) throw new Error(`Anmeldung von ${email} fehlgeschlagen: ${res.status}`);
  return cookie;
}

/** Logs in through the real form and returns the session cookie. */
export async function loginCookie(base: string, email: string, password: string): Promise<string> {
  return submitLogin(base, await loginForm(base), email, password);
}

/** Resident and peak resident memory of a process (Linux /proc), in bytes; undefined where unreadable. */
export async function rssOf(pid: number | 'self'): Promise<{ rss: number; peak: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

export const mb = (b: number) => `${(b / 1024 ** 2).toFixed(0)} MB`;

/** The all-scoped LRS client the LRS benchmarks use (LRS_SEED_KEY/SECRET). */
export const BENCH_CLIENT = { key: 'bench-key', secret: 'bench-secret-0123456789' };
export const BENCH_AUTH = `Basic ${Buffer.from(`${BENCH_CLIENT.key}:${BENCH_CLIENT.secret}`).toString('base64')}`;

/** Boots the app as in production with the bench client, on the embedded database (or MONGODB_URI); stop() drops its database and data. */
export async function bootLrsBench(): Promise<{ running: Running; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-bench-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LRS_SEED_KEY: BENCH_CLIENT.key,
    LRS_SEED_SECRET: BENCH_CLIENT.secret,
    MONGODB_DB: `bench_${Date.now()}`,
  });
  const running = await boot({ config, role: 'test' });
  return {
    running,
    async stop() {
      await running.connection.dropDatabase().catch(() => {});
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a benchmark's main and exits: 0 when it finished, 1 with the error when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`Benchmark fehlgeschlagen: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
