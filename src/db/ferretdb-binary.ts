import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const FERRETDB_VERSION = 'v1.24.2';
const buildScript = fileURLToPath(new URL('../../scripts/ensure-ferretdb.sh', import.meta.url));

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function hasGo(): Promise<boolean> {
  const candidates = [...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'go')), '/usr/local/go/bin/go'];
  for (const c of candidates) if (await isExecutable(c)) return true;
  return false;
}

/**
 * Where the build of the current patch set lives (or will live). scripts/ensure-ferretdb.sh names it by
 * a hash of the patch files; asking the script keeps that rule in one place.
 */
async function ferretDbCachePath(opts: { unpatched?: boolean } = {}): Promise<string> {
  const args = [buildScript, '--print-path', ...(opts.unpatched ? ['--unpatched'] : [])];
  const { stdout } = await run('bash', args);
  return stdout.trim();
}

/**
 * Finds the FerretDB binary: FERRETDB_BIN, then the per-machine cache; builds it (with our patches,
 * or without them for `unpatched`) into the cache with Go when it is missing (a few minutes, once per
 * machine and patch set). Returns undefined when neither works.
 */
export async function findOrBuildFerretDb(log: (msg: string) => void, opts: { unpatched?: boolean } = {}): Promise<string | undefined> {
  const explicit = process.env.FERRETDB_BIN;
  if (explicit && !opts.unpatched) return (await isExecutable(explicit)) ? explicit : undefined;
  const cached = await ferretDbCachePath(opts);
  if (await isExecutable(cached)) return cached;
  if (!(await hasGo())) return undefined;
  log(`FerretDB ${FERRETDB_VERSION} wird einmalig gebaut (einige Minuten) …`);
  const args = [buildScript, ...(opts.unpatched ? ['--unpatched'] : [])];
  const { stdout } = await run('bash', args, { maxBuffer: 16 * 1024 * 1024, timeout: 20 * 60_000 });
  const built = stdout.trim().split('\n').pop() ?? '';
  return (await isExecutable(built)) ? built : undefined;
}
