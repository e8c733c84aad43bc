import path from 'node:path';
import { Router } from 'express';
import type { AppContext } from '../app-context.ts';
import { authorRoutes } from './author-routes.ts';
import { createPackageStore } from './package-store.ts';
import { createPackageStorer } from './package-storing.ts';
import { createContentRepository } from './repository.ts';
import { contentFileRoutes } from './serve-routes.ts';
import { createContentService } from './service.ts';
import { DEFAULT_LIMITS, type PackageLimits } from './zip-inspect.ts';

/** Package uploads checked at the same time per instance (each unpacks in a worker, on disk). */
const PACKAGE_UPLOADS_AT_ONCE = 3;

/** Wires the content component: repository and package store → service → file serving and author pages. */
export async function createContentComponent(ctx: AppContext, opts: { limits?: Partial<PackageLimits> } = {}) {
  const maxTotalBytes = ctx.config.packageMaxBytes;
  const limits = { ...DEFAULT_LIMITS, maxTotalBytes, maxEntryBytes: Math.min(DEFAULT_LIMITS.maxEntryBytes, maxTotalBytes), ...opts.limits };
  const repo = createContentRepository(ctx.connection);
  const store = createPackageStore({ connection: ctx.connection, cacheDir: path.join(ctx.config.dataDir, 'content-cache'), limits });
  const storer = createPackageStorer({ repo, store, logger: ctx.logger });
  const service = createContentService({ repo, store, storer, limits, clock: ctx.clock });
  const files = contentFileRoutes(service);
  const webRouter = Router();
  webRouter.use(files.sessionRouter);
  webRouter.use(authorRoutes(service, { uploadDir: path.join(ctx.config.dataDir, 'uploads'), maxUploadBytes: limits.maxTotalBytes, uploadsAtOnce: PACKAGE_UPLOADS_AT_ONCE }));
  return {
    service,
    limits,
    /** Copies into GridFS that a stopped process left unfinished go on. */
    start: () => storer.resume(),
    close: () => storer.close(),
    // content requested with a per-launch token is the player's hot path: no language, no session
    fileRouter: files.tokenRouter,
    webRouter,
  };
}
export type ContentComponent = Awaited<ReturnType<typeof createContentComponent>>;
export type { ContentService, LaunchTokenVerifier, ServableFile } from './service.ts';
export type { ContentModule, ContentVersion, VersionSummary } from './repository.ts';
export type { ImportOptions, ImportResult } from './import-package.ts';
export type * from './types.ts';
