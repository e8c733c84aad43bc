import { setTimeout as delay } from 'node:timers/promises';
import { conflict } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { ImportNote, ImportNotes } from './import-notes.ts';
import type { PackageBlobs } from './package-blobs.ts';
import type { ContentRepository, VersionSummary } from './repository.ts';
import type { VersionCache } from './version-cache.ts';

export type StorageOutcome = 'stored' | 'failed' | 'interrupted';

/** Publication, export and serving need the zip stored: an earlier release's import may still be copying it, or have failed to. */
export function requireStored(v: VersionSummary): void {
  if (v.storage === 'storing') throw conflict('content:errors.versionStoring');
  if (v.storage === 'failed') throw conflict('content:errors.versionStoreFailed');
}

const ATTEMPTS = 3;

/**
 * What an import left unfinished when its process stopped, put right at the next start.
 *
 * Earlier releases acknowledged an import before its zip was in GridFS and copied it afterwards, so a
 * publication asked for at import came seconds later (a launch right after "import --publish" got 409).
 * Imports now store the zip before they answer (import-package.ts); what such a release left waiting
 * in DATA_DIR/content-cache/.pending (version-cache.ts) is copied here, so nothing an author uploaded is lost by the
 * upgrade. A copy that fails three times marks the version 'failed'.
 *
 * An import that crashed half way never answered and never recorded its version; what it stored is
 * found by its note in content-cache/.importing (import-notes.ts) and discarded.
 */
export function createImportRecovery(deps: { repo: ContentRepository; blobs: PackageBlobs; cache: VersionCache; notes: ImportNotes; logger: Logger }) {
  const { repo, blobs, cache, notes, logger } = deps;
  const running = new Map<string, { controller: AbortController; done: Promise<StorageOutcome> }>();

  async function copy(v: VersionSummary, signal: AbortSignal, resumed: boolean): Promise<StorageOutcome> {
    const file = cache.pendingPath(v.id);
    for (let attempt = 1; ; attempt++) {
      try {
        // chunks of an interrupted or failed earlier copy would clash with the new ones
        if (resumed || attempt > 1) await blobs.remove(v);
        await blobs.put(file, v, { filename: v.originalName, metadata: { versionId: v.id }, signal });
        break;
      } catch (err) {
        if (signal.aborted) return 'interrupted';
        if (attempt >= ATTEMPTS) {
          logger.error({ err, versionId: v.id }, 'content package could not be stored in GridFS');
          await blobs.remove(v);
          await repo.finishStoring(v.id, 'failed');
          await cache.removePending(v.id);
          return 'failed';
        }
        logger.warn({ err, versionId: v.id, attempt }, 'storing a content package failed, trying again');
        await delay(attempt * 1000, undefined, { signal }).catch(() => {});
        if (signal.aborted) return 'interrupted';
      }
    }
    // a version deleted meanwhile leaves no orphaned package behind
    if (!(await repo.finishStoring(v.id, 'stored'))) await blobs.remove(v);
    await cache.removePending(v.id);
    return 'stored';
  }

  function start(v: VersionSummary, resumed = false): Promise<StorageOutcome> {
    const existing = running.get(v.id);
    if (existing) return existing.done;
    const controller = new AbortController();
    const done = copy(v, controller.signal, resumed)
      .catch((err: unknown) => {
        // the database is unreachable: the zip stays pending and the next start resumes the copy
        logger.error({ err, versionId: v.id }, 'storing a content package was interrupted');
        return 'interrupted' as const;
      })
      .finally(() => running.delete(v.id));
    running.set(v.id, { controller, done });
    return done;
  }

  /** True while the import a note names runs: here, or in another process on this DATA_DIR (the CLI). */
  const stillRunning = (note: ImportNote) => {
    // our pid on a note of no import of ours: a process before a restart had it (pid 1 in a container)
    if (note.pid === process.pid) return notes.isRunningHere(note.versionId);
    try {
      process.kill(note.pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  };

  return {
    /**
     * At start: removes what crashed imports stored without recording their version, and resumes the
     * copies an earlier release left behind (pending zips of vanished versions go).
     */
    async resume(): Promise<void> {
      for (const note of await notes.list()) {
        if (stillRunning(note)) continue;
        // an import keeps its zip under the version's id: what it stored is found by the note alone
        if (!(await repo.findVersionSummary(note.versionId)))
          await cache.discard({ id: note.versionId, packageFileId: note.versionId, packageStore: note.kind });
        else await cache.removeTemp(note.versionId);
        await notes.end(note.versionId, note.kind, note.pid);
      }
      for (const id of await cache.listPending()) {
        const v = await repo.findVersionSummary(id);
        if (v?.storage === 'storing') void start(v, true);
        else await cache.removePending(id);
      }
    },
    /** Stops a running copy (the version is being deleted); its partial chunks are the caller's to remove. */
    async cancel(versionId: string): Promise<void> {
      const job = running.get(versionId);
      if (!job) return;
      job.controller.abort();
      await job.done;
    },
    /** Stops every copy at shutdown; each resumes at the next start from its pending zip. */
    async close(): Promise<void> {
      const jobs = [...running.values()];
      for (const j of jobs) j.controller.abort();
      await Promise.all(jobs.map((j) => j.done));
    },
  };
}
export type ImportRecovery = ReturnType<typeof createImportRecovery>;
