import path from 'node:path';
import { Router } from 'express';
import type { AppContext } from '../app-context.ts';
import { randomToken } from '../shared/random.ts';
import { authorRoutes } from './author-routes.ts';
import { contentCsp } from './content-csp.ts';
import { createImportNotes } from './import-notes.ts';
import { createImportRecovery } from './import-recovery.ts';
import { createPackageBlobs } from './package-blobs.ts';
import { createContentRepository } from './repository.ts';
import { contentFileRoutes } from './serve-routes.ts';
import { createContentService } from './service.ts';
import { createVersionCache } from './version-cache.ts';
import { createViewTokens } from './view-tokens.ts';
import type { PackageFormat } from './types.ts';
import { DEFAULT_LIMITS, type PackageLimits } from './zip-inspect.ts';

/** Package uploads checked at the same time per instance (each unpacks in a worker, on disk). */
const PACKAGE_UPLOADS_AT_ONCE = 3;

/**
 * Wires the content component: repository, blob store and the version cache over it → service → file
 * serving (on the content origin only) and author pages. `viewTokenKey` signs authors' links to a version's files; all
 * instances need the same one (the app derives it from the session secret; command-line tools that
 * serve nothing get a random one).
 */
// pageAdapter: in the sandbox fallback, the scripts put first into every HTML page of a package, by format (the player's SCORM adapter, from src/app.ts)
export async function createContentComponent(
  ctx: AppContext,
  opts: { limits?: Partial<PackageLimits>; viewTokenKey?: string; pageAdapter?: (format: PackageFormat) => string | undefined } = {},
) {
  const maxTotalBytes = ctx.config.packageMaxBytes;
  const limits = { ...DEFAULT_LIMITS, maxTotalBytes, maxEntryBytes: Math.min(DEFAULT_LIMITS.maxEntryBytes, maxTotalBytes), ...opts.limits };
  const repo = createContentRepository(ctx.connection);
  const blobs = createPackageBlobs({ connection: ctx.connection, blobDir: ctx.config.packageDir, writeTo: ctx.config.packageStore });
  const cacheDir = path.join(ctx.config.dataDir, 'content-cache');
  const cache = createVersionCache({ root: cacheDir, blobs, limits });
  const notes = createImportNotes(path.join(cacheDir, '.importing'));
  const recovery = createImportRecovery({ repo, blobs, cache, notes, logger: ctx.logger });
  const service = createContentService({ repo, blobs, cache, notes, recovery, limits, clock: ctx.clock, logger: ctx.logger });
  const viewTokens = createViewTokens(opts.viewTokenKey ?? randomToken(32), ctx.clock);
  service.registerLaunchTokenVerifier(async (token, versionId) => viewTokens.verify(token, versionId));
  const filesBase = (req: Parameters<typeof ctx.origins.contentFor>[0], versionId: string) =>
    `${ctx.origins.contentFor(req)}/content/t/${viewTokens.mint(versionId)}/${versionId}/`;
  const { pageAdapter } = opts;
  const webRouter = Router();
  webRouter.use(
    authorRoutes(service, {
      uploadDir: path.join(ctx.config.dataDir, 'uploads'),
      maxUploadBytes: limits.maxTotalBytes,
      uploadsAtOnce: PACKAGE_UPLOADS_AT_ONCE,
      filesBase,
    }),
  );
  return {
    service,
    limits,
    /** What a stopped process left unfinished: crashed imports' leftovers go, earlier releases' copies go on. */
    start: () => recovery.resume(),
    close: () => recovery.close(),
    // package files exist only on the content origin; the platform origin does not serve them at all
    contentOriginRouter: contentFileRoutes(service, {
      cspFor: (req) => contentCsp([ctx.origins.platformFor(req), new URL(ctx.publicUrl()).origin], { sandboxed: ctx.origins.sandboxed }),
      injectFor: ctx.origins.sandboxed && pageAdapter ? (file) => pageAdapter(file.format) : undefined,
    }),
    webRouter,
  };
}
export type ContentComponent = Awaited<ReturnType<typeof createContentComponent>>;
export type { ContentService, LaunchTokenVerifier } from './service.ts';
export type { ServableFile } from './servable-files.ts';
export type { ContentModule, ContentVersion, VersionSummary } from './repository.ts';
export type { ImportOptions, ImportResult } from './import-package.ts';
export type * from './types.ts';
