import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';

export interface EmbeddedServer {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

const LISTENING = /Listening on TCP (127\.0\.0\.1:\d+)/;
const RESTART_DELAYS_MS = [250, 1000, 2000, 5000, 10_000];

/**
 * Starts FerretDB on SQLite. Port 0 lets the kernel pick a free port (parallel runs never collide);
 * the real one is read from FerretDB's "Listening on TCP" line.
 * Supervised: when the server dies without being stopped (a crash, the OOM killer), it is started
 * again on the same port, so the driver's connection pool reconnects on its own and the app recovers
 * without a restart; requests meanwhile get 503.
 */
export async function startFerretDb(opts: {
  binary: string;
  dir: string;
  port?: number;
  memory?: boolean;
  log?: (msg: string) => void;
}): Promise<EmbeddedServer> {
  await mkdir(opts.dir, { recursive: true });
  const sqliteUrl = `file:${opts.dir.replace(/\/?$/, '/')}${opts.memory ? '?mode=memory' : ''}`;
  const spawnAt = async (port: number) => {
    const child = spawn(
      opts.binary,
      [
        '--handler=sqlite',
        `--sqlite-url=${sqliteUrl}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--state-dir=-',
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=info',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const address = await waitForListening(child);
    guardAgainstOrphan(child);
    return { child, address };
  };

  const first = await spawnAt(opts.port ?? 0);
  const address = first.address;
  let child = first.child;
  const port = Number(address.split(':')[1]);
  let stopped = false;
  let failures = 0;
  const restart = (why: string) => {
    if (stopped) return;
    const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)]!;
    failures += 1;
    opts.log?.(`FerretDB: ${why}; Neustart in ${delay} ms auf Port ${port}`);
    setTimeout(() => {
      if (stopped) return;
      spawnAt(port).then(
        (next) => {
          child = next.child;
          failures = 0;
          opts.log?.('FerretDB läuft wieder');
          if (stopped) void stopChild(child);
          else supervise(child);
        },
        (err: unknown) => restart(`Neustart fehlgeschlagen (${(err as Error).message.split('\n')[0]})`),
      );
    }, delay).unref();
  };
  const supervise = (c: ChildProcess) => {
    c.once('exit', (code, signal) => restart(`unerwartet beendet (${signal ?? `Code ${code}`})`));
  };
  supervise(child);
  return {
    uri: `mongodb://${address}/`,
    get pid() {
      return child.pid ?? -1;
    },
    stop: async () => {
      stopped = true;
      await stopChild(child);
    },
  };
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`FerretDB meldete sich nicht binnen 30 s:\n${output.slice(-2000)}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = LISTENING.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        // keep draining stderr so FerretDB never blocks on a full pipe
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        resolve(m[1]);
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB endete beim Start (Code ${code}):\n${output.slice(-2000)}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * A tiny watchdog process holds the read end of a pipe from us; when this process dies in any way
 * (even SIGKILL, where no exit handler runs) the pipe closes and the watchdog kills FerretDB.
 * Exit handlers cover the ordinary endings too.
 */
function guardAgainstOrphan(child: ChildProcess): void {
  if (!child.pid) return;
  const watchdog = spawn('sh', ['-c', `cat >/dev/null; kill ${child.pid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.once('exit', () => watchdog.kill());
  const killChild = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
}
