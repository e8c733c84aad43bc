import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { DomainError, conflict, notFound, validationError } from '../../shared/errors.ts';
import { checkDocumentAccess } from '../access.ts';
import { isPlainObject } from '../validation/formats.ts';
import { describeRead, describeWrite, runDocumentGuards, type DocumentGuard, type DocumentReadHook, type WriteOrigin } from './guards.ts';
import type { DocumentKey, DocumentRepository, DocumentScope, StoredDocument } from './repository.ts';

/** If-Match / If-None-Match of a request (Communication §3.1). */
export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export interface DocumentInput {
  contentType: string;
  content: Buffer;
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
const isJsonType = (t: string) => /^application\/json\b/i.test(t);
const tags = (header: string) => header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));

const preconditionFailed = () => new DomainError('precondition-failed', 'lrs:errors.preconditionFailed');

/** Throws 412 when the request's preconditions do not hold for the current document. */
function checkPreconditions(current: StoredDocument | undefined, pre: Preconditions): void {
  if (pre.ifMatch !== undefined) {
    const want = tags(pre.ifMatch);
    if (!current || !(want.includes('*') || want.includes(current.etag))) throw preconditionFailed();
  }
  if (pre.ifNoneMatch !== undefined && current) {
    const avoid = tags(pre.ifNoneMatch);
    if (avoid.includes('*') || avoid.includes(current.etag)) throw preconditionFailed();
  }
}

function parseJsonObject(content: Buffer, field: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(content.toString('utf8'));
    if (isPlainObject(v)) return v;
  } catch {
    /* below */
  }
  throw validationError('lrs:errors.notJsonObject', [{ field, message: 'lrs:errors.notJsonObject' }]);
}

/**
 * State, Activity Profile and Agent Profile are one machinery (Communication §2.2): a document per key,
 * ETags as SHA-1 of the content, PUT replaces, POST merges JSON objects, preconditions give 412, and a
 * profile PUT over an existing document without a precondition gives 409. Access (access.ts) and
 * then the guards run first, so a refusal (403) wins over precondition and merge errors.
 */
export function createDocumentService(deps: { repo: DocumentRepository; clock: Clock; guards: DocumentGuard[]; readHooks?: DocumentReadHook[] }) {
  const { repo, clock, guards } = deps;
  const make = (input: DocumentInput): StoredDocument => ({
    contentType: input.contentType,
    content: input.content,
    etag: sha1(input.content),
    updated: clock.now(),
  });

  async function write(key: DocumentKey, current: StoredDocument | undefined, next: StoredDocument): Promise<void> {
    const ok = current ? await repo.replace(key, current.etag, next) : await repo.create(key, next);
    // someone wrote between our read and our write: the caller's view is stale
    if (!ok) throw preconditionFailed();
  }

  return {
    /** One document; with the requester's origin, the read hooks hear of the request first. */
    async get(key: DocumentKey, origin?: WriteOrigin): Promise<StoredDocument> {
      if (origin) checkDocumentAccess(origin.credential, key, false);
      if (origin) for (const hook of deps.readHooks ?? []) await hook(describeRead(key, origin), { credential: origin.credential });
      const doc = await repo.find(key);
      if (!doc) throw notFound('lrs:errors.noDocument');
      return doc;
    },

    /** The ids of a scope's documents; with the requester's origin, after its access is checked. */
    async list(scope: DocumentScope, since?: Date, origin?: WriteOrigin): Promise<string[]> {
      if (origin) checkDocumentAccess(origin.credential, scope, false);
      return repo.listIds(scope, since);
    },

    /**
     * `statePrecondition`: the request speaks xAPI 2.0, whose Concurrency clause (9274.1.1 §4.1.4)
     * covers the State resource as well; 1.0.3 (Communication §3.1) asks it of the profiles only.
     */
    async put(key: DocumentKey, input: DocumentInput, pre: Preconditions, origin: WriteOrigin, opts: { statePrecondition?: boolean } = {}): Promise<void> {
      checkDocumentAccess(origin.credential, key, true);
      await runDocumentGuards(guards, describeWrite(key, 'PUT', origin, input), origin);
      const current = await repo.find(key);
      checkPreconditions(current, pre);
      // PUT without a precondition: 409 over a profile (and a 2.0 state), 400 for a new profile
      if (pre.ifMatch === undefined && pre.ifNoneMatch === undefined) {
        if (key.kind !== 'state') {
          if (current) throw conflict('lrs:errors.needPrecondition');
          throw validationError('lrs:errors.needPrecondition', [{ field: 'If-None-Match', message: 'lrs:errors.needPrecondition' }]);
        }
        if (opts.statePrecondition && current) throw conflict('lrs:errors.needPrecondition');
      }
      await write(key, current, make(input));
    },

    /** POST: merges the top-level properties of two JSON objects; otherwise stores like PUT. */
    async post(key: DocumentKey, input: DocumentInput, pre: Preconditions, origin: WriteOrigin): Promise<void> {
      checkDocumentAccess(origin.credential, key, true);
      await runDocumentGuards(guards, describeWrite(key, 'POST', origin, input), origin);
      const current = await repo.find(key);
      checkPreconditions(current, pre);
      if (!current) {
        if (isJsonType(input.contentType)) parseJsonObject(input.content, 'content');
        await write(key, undefined, make(input));
        return;
      }
      if (!isJsonType(input.contentType) || !isJsonType(current.contentType)) {
        throw validationError('lrs:errors.mergeNeedsJson', [{ field: 'Content-Type', message: 'lrs:errors.mergeNeedsJson' }]);
      }
      const merged = { ...parseJsonObject(current.content, 'stored'), ...parseJsonObject(input.content, 'content') };
      await write(key, current, make({ contentType: 'application/json', content: Buffer.from(JSON.stringify(merged)) }));
    },

    async remove(key: DocumentKey, pre: Preconditions, origin: WriteOrigin): Promise<void> {
      checkDocumentAccess(origin.credential, key, true);
      await runDocumentGuards(guards, describeWrite(key, 'DELETE', origin), origin);
      const current = await repo.find(key);
      checkPreconditions(current, pre);
      if (!current) return;
      await repo.remove(key, pre.ifMatch !== undefined ? current.etag : undefined);
    },

    /** DELETE of every state in a scope: the guards see it without a stateId. */
    async removeAll(scope: DocumentScope, origin: WriteOrigin): Promise<void> {
      checkDocumentAccess(origin.credential, scope, true);
      await runDocumentGuards(guards, describeWrite(scope, 'DELETE', origin), origin);
      await repo.removeAll(scope);
    },
  };
}
export type DocumentService = ReturnType<typeof createDocumentService>;
