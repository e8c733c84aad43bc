import type { Agent, Credential } from '../types.ts';
import type { DocumentKind, DocumentScope } from './repository.ts';

export type DocumentResource = 'state' | 'activity-profile' | 'agent-profile';

/** A write or delete of a document as the request named it, before anything is stored or removed. */
export interface DocumentWrite {
  resource: DocumentResource;
  method: 'PUT' | 'POST' | 'DELETE';
  params: { activityId?: string; agent?: Agent; registration?: string; stateId?: string; profileId?: string };
  /** PUT and POST only. */
  contentType?: string;
  body?: Buffer;
}

/**
 * Runs before every document write or delete (HTTP and the service alike); throws a DomainError
 * ('forbidden') to refuse. Other components use it for rules of their own, e.g. cmi5's LMS.LaunchData.
 */
export type DocumentGuard = (write: DocumentWrite, ctx: { credential: Credential }) => void | Promise<void>;

/** A GET of one document as the request named it (no body). */
export type DocumentRead = Omit<DocumentWrite, 'method' | 'contentType' | 'body'>;

/**
 * Runs before a GET of one document is answered, found or not (the request is what counts): other
 * components learn what content has read, e.g. cmi5's learner preferences (11.0.0.0-3). May not refuse.
 */
export type DocumentReadHook = (read: DocumentRead, ctx: { credential: Credential }) => void | Promise<void>;

/** Who writes: the credential of the request and the agent it named (agent resources only). */
export interface WriteOrigin {
  credential: Credential;
  agent?: Agent;
}

const RESOURCE: Record<DocumentKind, DocumentResource> = { state: 'state', activityProfile: 'activity-profile', agentProfile: 'agent-profile' };

/** The guard's view of a key ('' in a key means the request had no such parameter). */
export function describeWrite(
  key: DocumentScope & { docId?: string },
  method: DocumentWrite['method'],
  origin: WriteOrigin,
  input?: { contentType: string; content: Buffer },
): DocumentWrite {
  const params: DocumentWrite['params'] = {};
  if (key.activityId) params.activityId = key.activityId;
  if (origin.agent) params.agent = origin.agent;
  if (key.registration) params.registration = key.registration;
  if (key.docId !== undefined) params[key.kind === 'state' ? 'stateId' : 'profileId'] = key.docId;
  const write: DocumentWrite = { resource: RESOURCE[key.kind], method, params };
  if (input) {
    write.contentType = input.contentType;
    write.body = input.content;
  }
  return write;
}

/** The read hooks' view of a key. */
export function describeRead(key: DocumentScope & { docId?: string }, origin: WriteOrigin): DocumentRead {
  const { resource, params } = describeWrite(key, 'PUT', origin);
  return { resource, params };
}

export async function runDocumentGuards(guards: DocumentGuard[], write: DocumentWrite, origin: WriteOrigin): Promise<void> {
  for (const guard of guards) await guard(write, { credential: origin.credential });
}
