import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A running server leaves the address of its embedded database in DATA_DIR, so command-line scripts
 * for the same DATA_DIR connect to it instead of starting a second server on the same files.
 */
const FILE = 'embedded-db.json';

interface Address {
  uri: string;
  pid: number;
  ownerPid: number;
}

export async function writeAddress(dataDir: string, address: Address): Promise<void> {
  await writeFile(path.join(dataDir, FILE), JSON.stringify(address));
}

export async function removeAddress(dataDir: string, ownerPid: number): Promise<void> {
  const current = await readAddress(dataDir);
  if (current?.ownerPid === ownerPid) await rm(path.join(dataDir, FILE), { force: true });
}

/**
 * The address left by a live server process, or undefined (a stale file of a dead process is ignored).
 * Only the owner's liveness counts: it restarts its embedded database under a new pid when that dies.
 */
export async function readAddress(dataDir: string): Promise<Address | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dataDir, FILE), 'utf8')) as Address;
    process.kill(parsed.ownerPid, 0);
    return parsed;
  } catch {
    return undefined;
  }
}
