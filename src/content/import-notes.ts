import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isObjectId } from '../shared/object-id.ts';
import type { BlobStoreKind } from './package-blobs.ts';

export interface ImportNote {
  versionId: string;
  kind: BlobStoreKind;
  pid: number;
}

/**
 * Notes of the imports now putting a zip into a blob store, one empty file each
 * (<dir>/<versionId>.<store>.<pid>), kept until the import answered: after a crash the next start
 * finds what such an import left half-stored (import-recovery.ts). The CLI writes them into the same
 * DATA_DIR as the server.
 */
export function createImportNotes(dir: string) {
  /** Imports of this process now running (their notes are not a crashed process's). */
  const here = new Set<string>();
  const file = (versionId: string, kind: BlobStoreKind, pid: number) => {
    if (!isObjectId(versionId)) throw new Error('bad version id');
    return path.join(dir, `${versionId}.${kind}.${pid}`);
  };
  return {
    async begin(versionId: string, kind: BlobStoreKind): Promise<void> {
      here.add(versionId);
      await mkdir(dir, { recursive: true });
      await writeFile(file(versionId, kind, process.pid), '');
    },
    async end(versionId: string, kind: BlobStoreKind, pid = process.pid): Promise<void> {
      if (pid === process.pid) here.delete(versionId);
      await rm(file(versionId, kind, pid), { force: true });
    },
    isRunningHere: (versionId: string) => here.has(versionId),
    /** The imports noted as running (by any process on this DATA_DIR, the CLI's too). */
    async list(): Promise<ImportNote[]> {
      const names = await readdir(dir).catch(() => [] as string[]);
      return names.flatMap((n) => {
        const parts = n.split('.');
        const [versionId, kind, pid] = parts;
        const valid = parts.length === 3 && isObjectId(versionId) && (kind === 'gridfs' || kind === 'file') && /^\d+$/.test(pid!);
        return valid ? [{ versionId, kind, pid: Number(pid) }] : [];
      });
    },
  };
}
export type ImportNotes = ReturnType<typeof createImportNotes>;
