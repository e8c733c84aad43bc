// Writes a zip whose bytes depend only on its entries: entries sorted by path,
// one fixed modification date and file mode, fixed compression level. Building
// twice from the same sources therefore yields byte-identical packages, which
// lets the LMS (and reviewers) tell real content changes from rebuilds.
import { ZipArchive } from 'archiver';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

// 1 January 2020 00:00 UTC. DOS zip timestamps carry no time zone; archiver
// encodes UTC fields by default, so the bytes do not depend on the build machine's TZ.
const FIXED_DATE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));
const FILE_MODE = 0o644;

export type ZipEntries = ReadonlyMap<string, Buffer>;

export async function writeDeterministicZip(target: string, entries: ZipEntries): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  // Write to a temp name first so a failed build never leaves a half-written package behind.
  const temp = `${target}.tmp`;
  const archive = new ZipArchive({ zlib: { level: 9 } });
  const done = pipeline(archive, createWriteStream(temp));
  for (const name of [...entries.keys()].sort()) {
    const content = entries.get(name) as Buffer;
    archive.append(content, { name, date: FIXED_DATE, mode: FILE_MODE });
  }
  await archive.finalize();
  try {
    await done;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await rename(temp, target);
}
