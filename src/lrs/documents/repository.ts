import type { Connection } from 'mongoose';
import { lrsModels, type DocumentDoc } from '../model.ts';

export type DocumentKind = DocumentDoc['kind'];

/** Which document: kind plus the identifiers the resource uses ('' where a resource has none). */
export interface DocumentKey {
  kind: DocumentKind;
  activityId: string;
  agentKey: string;
  registration: string;
  docId: string;
}
export type DocumentScope = Omit<DocumentKey, 'docId'>;

export interface StoredDocument {
  contentType: string;
  content: Buffer;
  etag: string;
  updated: Date;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/** The only place that touches lrs_documents. Writes are conditional on the etag a caller saw. */
export function createDocumentRepository(connection: Connection) {
  const { Document } = lrsModels(connection);
  // the whole key is the _id, so reading and writing one document is a primary-key operation
  const where = (k: DocumentKey) => ({ _id: JSON.stringify([k.kind, k.activityId, k.agentKey, k.registration, k.docId]) });
  const fields = (k: DocumentKey) => ({
    ...where(k),
    kind: k.kind,
    activityId: k.activityId,
    agentKey: k.agentKey,
    registration: k.registration,
    docId: k.docId,
  });
  const toStored = (d: DocumentDoc): StoredDocument => ({
    contentType: d.contentType,
    content: Buffer.isBuffer(d.content) ? d.content : Buffer.from((d.content as unknown as { buffer: ArrayBuffer }).buffer),
    etag: d.etag,
    updated: d.updated,
  });
  return {
    async find(key: DocumentKey): Promise<StoredDocument | undefined> {
      const d = await Document.findOne(where(key)).lean<DocumentDoc>();
      return d ? toStored(d) : undefined;
    },
    async listIds(scope: DocumentScope, since?: Date): Promise<string[]> {
      const filter: Record<string, unknown> = { kind: scope.kind, activityId: scope.activityId, agentKey: scope.agentKey, registration: scope.registration };
      if (since) filter.updated = { $gt: since };
      const docs = await Document.find(filter, { docId: 1 }).sort({ updated: 1 }).lean<Array<{ docId: string }>>();
      return docs.map((d) => d.docId);
    },
    /** Creates the document; false when it exists already. */
    async create(key: DocumentKey, doc: StoredDocument): Promise<boolean> {
      try {
        await Document.create({ ...fields(key), ...doc });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /** Replaces the document only if it still has `etag`; false when someone else changed it. */
    async replace(key: DocumentKey, etag: string, doc: StoredDocument): Promise<boolean> {
      const r = await Document.updateOne({ ...where(key), etag }, { $set: doc });
      return r.matchedCount === 1;
    },
    async remove(key: DocumentKey, etag?: string): Promise<boolean> {
      const r = await Document.deleteOne(etag ? { ...where(key), etag } : where(key));
      return r.deletedCount === 1;
    },
    async removeAll(scope: DocumentScope): Promise<void> {
      await Document.deleteMany({ kind: scope.kind, activityId: scope.activityId, agentKey: scope.agentKey, registration: scope.registration });
    },
  };
}
export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
