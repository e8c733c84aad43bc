import { Router } from 'express';
import { DomainError } from '../../shared/errors.ts';
import type { ClientService } from '../clients/service.ts';
import type { DocumentService } from '../documents/service.ts';
import type { ActivitiesAndAgents } from '../statements/activities-agents.ts';
import type { ReadStatements } from '../statements/read-statements.ts';
import type { StoreStatements } from '../statements/store-statements.ts';
import { advertisedVersions } from '../version.ts';
import { documentRoutes } from './document-routes.ts';
import { authenticateAndNegotiate, authenticateBeforeBody, corsAndVersion, unfoldRequest } from './pipeline.ts';
import { statementRoutes } from './statement-routes.ts';
import { Status } from '../../http/status.ts';

export interface XapiRouterDeps {
  clients: ClientService;
  store: StoreStatements;
  read: ReadStatements;
  activitiesAndAgents: ActivitiesAndAgents;
  documents: DocumentService;
  consistentThrough: () => Date;
}

/**
 * The xAPI endpoint under /xapi. Mounted before sessions, body parsers and CSRF: it parses its own
 * bodies (JSON, multipart/mixed, raw documents, alternate-syntax forms) and authenticates with Basic.
 */
export function xapiRouter(deps: XapiRouterDeps): Router {
  const outer = Router();
  const r = Router();
  r.use(corsAndVersion);
  // every answer of the Statement resource says how current it is, refusals included (Communication
  // §2.1.3): set here once, before anything can refuse, and nowhere else
  r.use('/statements', (_req, res, next) => {
    res.setHeader('X-Experience-API-Consistent-Through', deps.consistentThrough().toISOString());
    next();
  });
  r.use(authenticateBeforeBody(deps.clients));
  r.use(unfoldRequest);
  r.use(authenticateAndNegotiate(deps.clients));

  /** About Resource (Communication §2.8): open, no version header needed. */
  r.get('/about', (_req, res) => {
    res.status(Status.OK).json({ version: advertisedVersions(), extensions: {} });
  });
  r.use(statementRoutes({ store: deps.store, read: deps.read }));
  r.use(documentRoutes({ documents: deps.documents, activitiesAndAgents: deps.activitiesAndAgents }));
  r.use((req) => {
    throw new DomainError('not-found', 'lrs:errors.noResource', { path: req.path });
  });
  outer.use('/xapi', r);
  return outer;
}
