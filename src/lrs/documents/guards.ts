import type { Agent, Credential, DocumentGuard, DocumentRead, DocumentResource, DocumentWrite } from '../types.ts';
import type { DocumentKind, DocumentScope } from './repository.ts';

export type { DocumentGuard, DocumentRead, DocumentReadHook, DocumentResource, DocumentWrite } from '../types.ts';

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
