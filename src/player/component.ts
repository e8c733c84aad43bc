import type { AppContext } from '../app-context.ts';
import { playerApiRoutes } from './api-routes.ts';
import { createCmi5 } from './cmi5.ts';
import { createLaunchService } from './launch-service.ts';
import type { ContentPort, LrsPort } from './ports.ts';
import { createProgressProjection } from './progress.ts';
import { createPlayerRepository } from './repository.ts';
import { playerRoutes } from './routes.ts';
import { createScormCommits } from './scorm-commit.ts';
import { createPlayerService } from './service.ts';

/**
 * Wires the player: repository → progress projection → launches, SCORM commits, cmi5 → routes. It
 * registers itself with the content component (launch tokens open files) and the LRS (cmi5 session
 * guard before storing, progress projection after storing).
 */
export async function createPlayerComponent(ctx: AppContext, ports: { content: ContentPort; lrs?: LrsPort }) {
  const { content, lrs } = ports;
  const repo = createPlayerRepository(ctx.connection);
  const base = { repo, content, lrs, clock: ctx.clock, logger: ctx.logger, publicUrl: ctx.publicUrl };
  const projection = createProgressProjection(base);
  const cmi5 = createCmi5({ ...base, projection });
  const launches = createLaunchService({ ...base, projection, cmi5 });
  const commit = createScormCommits({ ...base, projection });
  const service = createPlayerService({ repo, content, projection, launches, cmi5 });

  content.registerLaunchTokenVerifier((token, versionId) => launches.verifyContentToken(token, versionId));
  if (lrs) {
    lrs.registerStatementGuard((statement, c) => cmi5.guard(statement, c));
    lrs.onStatementsStored((statements) => projection.onStatementsStored(statements));
  }

  return {
    service,
    repo,
    apiRouter: playerApiRoutes({ commit, cmi5 }),
    webRouter: playerRoutes(service),
    async start() {
      await repo.ensureIndexes();
    },
  };
}
export type PlayerComponent = Awaited<ReturnType<typeof createPlayerComponent>>;
