import { Router, type Response } from 'express';
import type { WriteOrigin } from '../documents/guards.ts';
import type { DocumentKey, DocumentKind, DocumentScope } from '../documents/repository.ts';
import type { DocumentService, Preconditions } from '../documents/service.ts';
import { agentParamSchema, parseParams } from '../schemas.ts';
import type { ActivitiesAndAgents } from '../statements/activities-agents.ts';
import { ifiKey } from '../statements/identity.ts';
import type { Agent } from '../types.ts';
import { isIri, isTimestamp, isUuid, timestampMillis } from '../validation/formats.ts';
import { badParam, credentialOf, onlyParams, requireParam, xapiRequest, type XapiRequest } from './xapi-request.ts';
import { Status } from '../../http/status.ts';

/** How each document resource names its documents (Communication §2.3, §2.6, §2.7). */
interface ResourceShape {
  kind: DocumentKind;
  path: string;
  idParam: 'stateId' | 'profileId';
  activity: boolean;
  agent: boolean;
  registration: boolean;
}

const RESOURCES: ResourceShape[] = [
  { kind: 'state', path: '/activities/state', idParam: 'stateId', activity: true, agent: true, registration: true },
  { kind: 'activityProfile', path: '/activities/profile', idParam: 'profileId', activity: true, agent: false, registration: false },
  { kind: 'agentProfile', path: '/agents/profile', idParam: 'profileId', activity: false, agent: true, registration: false },
];

const parseAgent = (raw: string): Agent => parseParams(agentParamSchema, { agent: raw }).agent as Agent;

function preconditions(x: XapiRequest): Preconditions {
  return { ifMatch: x.header('if-match'), ifNoneMatch: x.header('if-none-match') };
}

/** The scope of a request's documents (the document service checks the credential's access to it). */
function scopeOf(shape: ResourceShape, x: XapiRequest): DocumentScope {
  const scope: DocumentScope = { kind: shape.kind, activityId: '', agentKey: '', registration: '' };
  if (shape.activity) {
    const id = requireParam(x, 'activityId');
    if (!isIri(id)) throw badParam('activityId');
    scope.activityId = id;
  }
  if (shape.agent) {
    const agent = parseAgent(requireParam(x, 'agent'));
    scope.agentKey = ifiKey(agent)!;
  }
  if (shape.registration && x.params.registration !== undefined) {
    if (!isUuid(x.params.registration)) throw badParam('registration');
    scope.registration = x.params.registration.toLowerCase();
  }
  return scope;
}

/** The credential and the named agent, for the document guards (scopeOf has validated the agent already). */
function originOf(shape: ResourceShape, x: XapiRequest, res: Response): WriteOrigin {
  const origin: WriteOrigin = { credential: credentialOf(res) };
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
export function documentRoutes(deps: { documents: DocumentService; activitiesAndAgents: ActivitiesAndAgents }): Router {
  const r = Router();
  const { documents } = deps;

  for (const shape of RESOURCES) {
    const base = [shape.activity ? 'activityId' : '', shape.agent ? 'agent' : '', shape.registration ? 'registration' : ''].filter(Boolean);
    const key = (x: XapiRequest): DocumentKey => ({ ...scopeOf(shape, x), docId: x.params[shape.idParam]! });

    r.get(shape.path, async (_req, res) => {
      const x = xapiRequest(res);
      if (x.params[shape.idParam] === undefined) {
        onlyParams(x, [...base, 'since']);
        res.status(Status.OK).json(await documents.list(scopeOf(shape, x), since(x), originOf(shape, x, res)));
        return;
      }
      onlyParams(x, [...base, shape.idParam]);
      const doc = await documents.get(key(x), originOf(shape, x, res));
      res.setHeader('ETag', `"${doc.etag}"`);
      res.setHeader('Last-Modified', doc.updated.toUTCString());
      res.status(Status.OK).type(doc.contentType).send(doc.content);
    });

    for (const method of ['put', 'post'] as const) {
      r[method](shape.path, async (_req, res) => {
        const x = xapiRequest(res);
        onlyParams(x, [...base, shape.idParam]);
        requireParam(x, shape.idParam);
        const input = { contentType: x.contentType || 'application/octet-stream', content: x.body };
        if (method === 'put')
          await documents.put(key(x), input, preconditions(x), originOf(shape, x, res), { statePrecondition: x.version?.statePrecondition });
        else await documents.post(key(x), input, preconditions(x), originOf(shape, x, res));
        res.status(Status.NO_CONTENT).end();
      });
    }

    r.delete(shape.path, async (_req, res) => {
      const x = xapiRequest(res);
      if (x.params[shape.idParam] === undefined && shape.kind === 'state') {
        onlyParams(x, base);
        await documents.removeAll(scopeOf(shape, x), originOf(shape, x, res));
      } else {
        onlyParams(x, [...base, shape.idParam]);
        requireParam(x, shape.idParam);
        await documents.remove(key(x), preconditions(x), originOf(shape, x, res));
      }
      res.status(Status.NO_CONTENT).end();
    });
  }

  /** Activities Resource (Communication §2.5): the definition merged from every statement. */
  r.get('/activities', async (_req, res) => {
    const x = xapiRequest(res);
    onlyParams(x, ['activityId']);
    const id = requireParam(x, 'activityId');
    if (!isIri(id)) throw badParam('activityId');
    res.status(Status.OK).json(await deps.activitiesAndAgents.activity(id, credentialOf(res)));
  });

  /** Agents Resource (Communication §2.4): a Person with what we know; we do not merge identities. */
  r.get('/agents', async (_req, res) => {
    const x = xapiRequest(res);
    onlyParams(x, ['agent']);
    const agent = parseAgent(requireParam(x, 'agent'));
    res.status(Status.OK).json(deps.activitiesAndAgents.person(agent, credentialOf(res)));
  });

  return r;
}
