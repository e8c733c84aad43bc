import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../shared/logger.ts';
import type { PackageStore } from './package-store.ts';
import type { ContentRepository, VersionSummary } from './repository.ts';

export type StorageOutcome = 'stored' | 'failed' | 'interrupted';

const ATTEMPTS = 3;

/**
 * Copies each imported zip into GridFS after the import is acknowledged. The author has the checked,
 * extracted and previewable version as soon as unzipping is done; the copy that makes it publishable
 * (and available to the other app instances) follows. Copying into the database is the slow half of
 * an import (on FerretDB ≈ 50 MB/s, so a 2 GB video course takes 40 s, longer than a reverse proxy
 * keeps a request open), and it needs no more of the author's attention.
 *
 * The zip waits in DATA_DIR/content-cache/.pending until its copy is complete, so a restart resumes
 * the copy (start) instead of losing it. A copy that fails three times marks the version 'failed'.
 */
export function createPackageStorer(deps: { repo: ContentRepository; store: PackageStore; logger: Logger }) {
  const { repo, store, logger } = deps;
  const running = new Map<string, { controller: AbortController; done: Promise<StorageOutcome> }>();

  async function copy(v: VersionSummary, signal: AbortSignal, resumed: boolean): Promise<StorageOutcome> {
    const file = store.pendingPath(v.id);
    for (let attempt = 1; ; attempt++) {
      try {
        // chunks of an interrupted or failed earlier copy would clash with the new ones
        if (resumed || attempt > 1) await store.remove(v.packageFileId);
        await store.upload(file, v.packageFileId, v.originalName, { versionId: v.id }, signal);
        break;
      } catch (err) {
        if (signal.aborted) return 'interrupted';
        if (attempt >= ATTEMPTS) {
          logger.error({ err, versionId: v.id }, 'content package could not be stored in GridFS');
          await store.remove(v.packageFileId);
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
    if (!(await repo.finishStoring(v.id, 'stored'))) await store.remove(v.packageFileId);
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

  return {
    start: (v: VersionSummary) => start(v),
    /** Resumes the copies a stopped process left behind; pending zips of vanished versions go. */
    async resume(): Promise<void> {
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
