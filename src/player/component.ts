import { Router } from 'express';
import type { AppContext } from '../app-context.ts';
import type { AuditPort } from '../privacy/ports.ts';
import { createKeyedQueue } from '../shared/keyed-queue.ts';
import { playerApiRoutes } from './api-routes.ts';
import { createCmi5 } from './cmi5.ts';
import { createCmi5Fetch } from './cmi5-fetch.ts';
import { registerCmi5DocumentRules } from './cmi5-document-rules.ts';
import type { ContentPort, LrsPort, ModuleLinksPort, PeoplePort } from './ports.ts';
import { createHeldStatements } from './held-statements.ts';
import { createProgressProjection } from './progress.ts';
import { createPlayerRepository } from './repository.ts';
import { automationRoutes } from './automation-routes.ts';
import { playerRoutes } from './routes.ts';
import { scormFrameRoutes } from './scorm-frame-routes.ts';
import { createScormCommits } from './scorm-commit.ts';
import { createSequencedNavigation } from './sequencing/navigation.ts';
import { createSequencer } from './sequencing/sequencer.ts';
import { createPlayerService } from './service.ts';

/**
 * Wires the player: repository → progress projection → launches, SCORM commits, cmi5 → routes. It
 * registers itself with the content component (launch tokens open files) and the LRS (cmi5 session
 * guard before storing, progress projection after storing).
 */
// moduleOrder: the dashboard lists these slugs first, in this order (the qualification's Q1 modules, from src/app.ts)
export async function createPlayerComponent(
  ctx: AppContext,
  ports: {
    content: ContentPort;
    lrs?: LrsPort;
    people?: PeoplePort;
    moduleOrder: () => Promise<string[]>;
    audit?: AuditPort;
    /** Links beside a module on the player page (the community's Q&A). */
    moduleLinks?: ModuleLinksPort;
  },
) {
  const { content, lrs } = ports;
  const repo = createPlayerRepository(ctx.connection);
  const base = { repo, content, lrs, clock: ctx.clock, logger: ctx.logger, publicUrl: ctx.publicUrl };
  const projection = createProgressProjection(base);
  const cmi5 = createCmi5({ ...base, projection });
  const sequenced = createSequencedNavigation({ repo, clock: ctx.clock, sequencer: createSequencer({ repo, clock: ctx.clock }) });
  // a SCO's commits and the page's requests after its Terminate, one after the other per attempt
  const attemptQueue = createKeyedQueue();
  const held = createHeldStatements({ repo, lrs, projection, logger: ctx.logger });
  const commit = createScormCommits({ ...base, held, projection, sequenced, attemptQueue });
  const service = createPlayerService({
    ...base,
    people: ports.people,
    audit: ports.audit,
    contentOrigin: () => ctx.origins.content(),
    projection,
    cmi5,
    cmi5Fetch: createCmi5Fetch({ repo, clock: ctx.clock }),
    scormCommit: commit,
    sequenced,
    attemptQueue,
    moduleOrder: ports.moduleOrder,
  });

  content.registerLaunchTokenVerifier((token, versionId) => service.verifyContentToken(token, versionId));
  if (lrs) {
    lrs.registerStatementGuard((statement, c) => cmi5.guard(statement, c));
    registerCmi5DocumentRules(lrs, repo);
    lrs.onDocumentRead((read, c) => cmi5.documentRead(read, c));
    lrs.onStatementsStored((statements, prepared) => projection.onStatementsStored(statements, prepared), {
      name: 'player-progress',
      prepare: (statements) => projection.attemptsOf(statements),
    });
  }

  return {
    service,
    repo,
    /** What POST /api/player/scorm/:token/commit calls (the scale benchmark commits without HTTP). */
    scormCommit: commit,
    /** The cmi5 rules the LRS runs (the scale benchmark drives them without HTTP). */
    cmi5,
    apiRouter: playerApiRoutes(service),
    webRouter: Router().use(playerRoutes(service, ctx.origins, ports.moduleLinks), automationRoutes(service)),
    // the SCORM adapter page and its scripts, on the content origin
    contentOriginRouter: scormFrameRoutes((req) => ctx.origins.platformFor(req)),
    /** Recomputes every record once where the database's records follow an earlier rule (done at start). */
    recomputeRecords: () => projection.recomputeUnderCurrentRule(),
    async start() {
      await repo.ensureIndexes();
      // in the background: a year of attempts takes a while, and the records are right meanwhile for
      // everyone who learns (each step recomputes its own)
      void projection
        .recomputeUnderCurrentRule()
        .then((n) => n && ctx.logger.info({ attempts: n }, 'progress records recomputed under the current rule'))
        .catch((err: unknown) => ctx.logger.warn({ err }, 'recomputing progress records failed (next start tries again)'));
    },
  };
}
export type PlayerComponent = Awaited<ReturnType<typeof createPlayerComponent>>;
