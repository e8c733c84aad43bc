import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../shared/logger.ts';
import type { PackageStore } from './package-store.ts';
import type { ContentRepository, VersionSummary } from './repository.ts';

export type StorageOutcome = 'stored' | 'failed' | 'interrupted';

const ATTEMPTS = 3;

/**
 * What an import left unfinished when its process stopped, put right at the next start.
 *
 * Earlier releases acknowledged an import before its zip was in GridFS and copied it afterwards, so a
 * publication asked for at import came seconds later (a launch right after "import --publish" got 409).
 * Imports now store the zip before they answer (import-package.ts); what such a release left waiting
 * in DATA_DIR/content-cache/.pending is copied here, so nothing an author uploaded is lost by the
 * upgrade. A copy that fails three times marks the version 'failed'.
 *
 * An import that crashed half way never answered and never recorded its version; what it stored is
 * found by its note in content-cache/.importing and removed.
 */
export function createPackageStorer(deps: { repo: ContentRepository; store: PackageStore; logger: Logger }) {
  const { repo, store, logger } = deps;
  const running = new Map<string, { controller: AbortController; done: Promise<StorageOutcome> }>();

  async function copy(v: VersionSummary, signal: AbortSignal, resumed: boolean): Promise<StorageOutcome> {
    const file = store.pendingPath(v.id);
    for (let attempt = 1; ; attempt++) {
      try {
        // chunks of an interrupted or failed earlier copy would clash with the new ones
        if (resumed || attempt > 1) await store.remove(v.packageFileId, v.packageStore);
        await store.upload(file, v.packageFileId, v.packageStore, { filename: v.originalName, metadata: { versionId: v.id }, signal });
        break;
      } catch (err) {
        if (signal.aborted) return 'interrupted';
        if (attempt >= ATTEMPTS) {
          logger.error({ err, versionId: v.id }, 'content package could not be stored in GridFS');
          await store.remove(v.packageFileId, v.packageStore);
          await repo.finishStoring(v.id, 'failed');
          await store.removePending(v.id);
          return 'failed';
        }
        logger.warn({ err, versionId: v.id, attempt }, 'storing a content package failed, trying again');
        await delay(attempt * 1000, undefined, { signal }).catch(() => {});
        if (signal.aborted) return 'interrupted';
      }
    }
    // a version deleted meanwhile leaves no orphaned package behind
    if (!(await repo.finishStoring(v.id, 'stored'))) await store.remove(v.packageFileId, v.packageStore);
    await store.removePending(v.id);
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
  const stillRunning = (note: { versionId: string; pid: number }) => {
    // our pid on a note of no import of ours: a process before a restart had it (pid 1 in a container)
    if (note.pid === process.pid) return store.isImportingHere(note.versionId);
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
      for (const note of await store.listImports()) {
        if (stillRunning(note)) continue;
        if (!(await repo.findVersionSummary(note.versionId))) {
          await store.remove(note.versionId, note.kind);
          await store.removeCache(note.versionId);
        }
        await store.removeTemp(note.versionId);
        await store.endImport(note.versionId, note.kind, note.pid);
      }
      for (const id of await store.listPending()) {
        const v = await repo.findVersionSummary(id);
        if (v?.storage === 'storing') void start(v, true);
        else await store.removePending(id);
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
export type PackageStorer = ReturnType<typeof createPackageStorer>;
