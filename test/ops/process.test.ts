import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const root = path.resolve(import.meta.dirname, '../..');

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, MONGODB_URI: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('server process', function () {
  this.timeout(90_000);

  it('exits non-zero and names the variable when the configuration is bad', async () => {
    const { child, output } = startServer({ PORT: 'siebzig', DATA_DIR: '/tmp/unused' });
    expect(await exitOf(child)).to.equal(2);
    expect(output()).to.contain('PORT');
    expect(output()).not.to.match(/at .*\.ts:\d+/); // no stack trace
  });

  it('starts with demo accounts, keeps them across a restart, and stops its embedded database on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lotse-proc-'));
    try {
      const env = { PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'development' };
      const first = startServer(env);
      await waitFor(() => first.output().includes('GeZu Lotse Academy läuft'), 60_000);
      expect(first.output()).to.contain('Demo-Zugänge');
      expect(first.output()).to.match(/admin@demo\.gezu-lotse\.de\s+\S{16}/);
      const address = JSON.parse(await readFile(path.join(dataDir, 'db', 'embedded-db.json'), 'utf8')) as { pid: number };
      expect(alive(address.pid)).to.equal(true);
      first.child.kill('SIGTERM');
      expect(await exitOf(first.child)).to.equal(0);
      await waitFor(() => !alive(address.pid), 5000);

      const second = startServer(env);
      await waitFor(() => second.output().includes('GeZu Lotse Academy läuft'), 60_000);
      expect(second.output()).not.to.contain('Demo-Zugänge'); // accounts survived the restart
      const pid2 = (JSON.parse(await readFile(path.join(dataDir, 'db', 'embedded-db.json'), 'utf8')) as { pid: number }).pid;
      second.child.kill('SIGKILL'); // a crash without any exit handler
      await exitOf(second.child);
      await waitFor(() => !alive(pid2), 5000); // the watchdog took FerretDB down
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
