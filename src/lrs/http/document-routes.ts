import { Router, type Response } from 'express';
import { DomainError, validationError } from '../../shared/errors.ts';
import type { WriteOrigin } from '../documents/guards.ts';
import type { DocumentKey, DocumentKind, DocumentScope } from '../documents/repository.ts';
import type { DocumentService, Preconditions } from '../documents/service.ts';
import { identifyingPart, ifiKey } from '../statements/identity.ts';
import type { StatementRepository } from '../statements/repository.ts';
import type { Agent, Scope } from '../types.ts';
import { isIri, isTimestamp, isUuid, timestampMillis } from '../validation/formats.ts';
import { validateActor } from '../validation/validate-statement.ts';
import { badParam, onlyParams, requireParam, requireScope, xapiRequest, type XapiRequest } from './xapi-request.ts';

/** How each document resource names its documents (Communication §2.3, §2.6, §2.7). */
interface ResourceShape {
  kind: DocumentKind;
  path: string;
  idParam: 'stateId' | 'profileId';
  activity: boolean;
  agent: boolean;
  registration: boolean;
  scope: Scope;
  /** Shared by every learner of the activity: a minted launch credential may read but not write it. */
  shared: boolean;
}

const RESOURCES: ResourceShape[] = [
  { kind: 'state', path: '/activities/state', idParam: 'stateId', activity: true, agent: true, registration: true, scope: 'state', shared: false },
  { kind: 'activityProfile', path: '/activities/profile', idParam: 'profileId', activity: true, agent: false, registration: false, scope: 'profile', shared: true },
  { kind: 'agentProfile', path: '/agents/profile', idParam: 'profileId', activity: false, agent: true, registration: false, scope: 'profile', shared: false },
];

function parseAgent(raw: string, field = 'agent'): Agent {
  let agent: unknown;
  try {
    agent = JSON.parse(raw);
  } catch {
    throw badParam(field, 'lrs:errors.badAgent');
  }
  const problems: Array<{ field: string; message: string }> = [];
  validateActor(problems, field, agent);
  if (problems.length) throw validationError('lrs:errors.badAgent', problems);
  return agent as Agent;
}

/** 403 unless the credential may write or delete this resource's documents. */
function requireWriteScope(shape: ResourceShape, res: Response): void {
  const credential = requireScope(res, shape.scope);
  if (shape.shared && credential.limit) throw new DomainError('forbidden', 'lrs:errors.sharedDocument');
}

function preconditions(x: XapiRequest): Preconditions {
  return { ifMatch: x.header('if-match'), ifNoneMatch: x.header('if-none-match') };
}

/** The scope of a request's documents, checked against a minted credential's learner and registration. */
function scopeOf(shape: ResourceShape, x: XapiRequest, res: Response): DocumentScope {
  const scope: DocumentScope = { kind: shape.kind, activityId: '', agentKey: '', registration: '' };
  const credential = xapiRequest(res).credential!;
  if (shape.activity) {
    const id = requireParam(x, 'activityId');
    if (!isIri(id)) throw badParam('activityId');
    scope.activityId = id;
  }
  if (shape.agent) {
    const agent = parseAgent(requireParam(x, 'agent'));
    scope.agentKey = ifiKey(agent)!;
    if (credential.limit && scope.agentKey !== credential.limit.actorKey) throw new DomainError('forbidden', 'lrs:errors.outsideLimit');
  }
  if (shape.registration && x.params.registration !== undefined) {
    if (!isUuid(x.params.registration)) throw badParam('registration');
    scope.registration = x.params.registration.toLowerCase();
    if (credential.limit && scope.registration !== credential.limit.registration) throw new DomainError('forbidden', 'lrs:errors.outsideLimit');
  }
  return scope;
}

/** The credential and the named agent, for the document guards (scopeOf has validated the agent already). */
function originOf(shape: ResourceShape, x: XapiRequest, res: Response): WriteOrigin {
  const origin: WriteOrigin = { credential: xapiRequest(res).credential! };
  if (shape.agent && x.params.agent !== undefined) origin.agent = parseAgent(x.params.agent);
  return origin;
}

function since(x: XapiRequest): Date | undefined {
  const v = x.params.since;
  if (v === undefined) return undefined;
  if (!isTimestamp(v)) throw badParam('since');
  return new Date(timestampMillis(v));
}

/** State, Activity Profile and Agent Profile resources: one set of handlers, three shapes. */
export function documentRoutes(deps: { documents: DocumentService; statements: StatementRepository }): Router {
  const r = Router();
  const { documents } = deps;

  for (const shape of RESOURCES) {
    const base = [shape.activity ? 'activityId' : '', shape.agent ? 'agent' : '', shape.registration ? 'registration' : ''].filter(Boolean);
    const key = (x: XapiRequest, res: Response): DocumentKey => ({ ...scopeOf(shape, x, res), docId: x.params[shape.idParam]! });
    const readScopes: Scope[] = [shape.scope, 'all/read'];

    r.get(shape.path, async (_req, res) => {
      const x = xapiRequest(res);
      requireScope(res, ...readScopes);
      if (x.params[shape.idParam] === undefined) {
        onlyParams(x, [...base, 'since']);
        res.status(200).json(await documents.list(scopeOf(shape, x, res), since(x)));
        return;
      }
      onlyParams(x, [...base, shape.idParam]);
      const doc = await documents.get(key(x, res), originOf(shape, x, res));
      res.setHeader('ETag', `"${doc.etag}"`);
      res.setHeader('Last-Modified', doc.updated.toUTCString());
      res.status(200).type(doc.contentType).send(doc.content);
    });

    for (const method of ['put', 'post'] as const) {
      r[method](shape.path, async (_req, res) => {
        const x = xapiRequest(res);
        requireWriteScope(shape, res);
        onlyParams(x, [...base, shape.idParam]);
        requireParam(x, shape.idParam);
        const input = { contentType: x.contentType || 'application/octet-stream', content: x.body };
        if (method === 'put') await documents.put(key(x, res), input, preconditions(x), originOf(shape, x, res), { statePrecondition: x.version?.statePrecondition });
        else await documents.post(key(x, res), input, preconditions(x), originOf(shape, x, res));
        res.status(204).end();
      });
    }

    r.delete(shape.path, async (_req, res) => {
      const x = xapiRequest(res);
      requireWriteScope(shape, res);
      if (x.params[shape.idParam] === undefined && shape.kind === 'state') {
        onlyParams(x, base);
        await documents.removeAll(scopeOf(shape, x, res), originOf(shape, x, res));
      } else {
        onlyParams(x, [...base, shape.idParam]);
        requireParam(x, shape.idParam);
        await documents.remove(key(x, res), preconditions(x), originOf(shape, x, res));
      }
      res.status(204).end();
    });
  }

  /** Activities Resource (Communication §2.5): the definition merged from every statement. */
  r.get('/activities', async (_req, res) => {
    const x = xapiRequest(res);
    requireScope(res, 'all/read', 'profile', 'define', 'statements/read', 'statements/read/mine', 'state');
    onlyParams(x, ['activityId']);
    const id = requireParam(x, 'activityId');
    if (!isIri(id)) throw badParam('activityId');
    const definition = await deps.statements.getActivityDefinition(id);
    res.status(200).json(definition ? { objectType: 'Activity', id, definition: JSON.parse(definition) as unknown } : { objectType: 'Activity', id });
  });

  /** Agents Resource (Communication §2.4): a Person with what we know; we do not merge identities. */
  r.get('/agents', async (_req, res) => {
    const x = xapiRequest(res);
    requireScope(res, 'all/read', 'profile', 'define', 'statements/read', 'statements/read/mine', 'state');
    onlyParams(x, ['agent']);
    const agent = parseAgent(requireParam(x, 'agent'));
    const ids = identifyingPart(agent) as Record<string, unknown>;
    const person: Record<string, unknown> = { objectType: 'Person' };
    if (agent.name) person.name = [agent.name];
    for (const k of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (ids[k] !== undefined) person[k] = [ids[k]];
    res.status(200).json(person);
  });

  return r;
}
