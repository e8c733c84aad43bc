import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { mongo, type Connection } from 'mongoose';
import { qualificationModels, type ImportDoc, type PrerequisiteItem, type PrerequisitesDoc } from './model.ts';
import { isObjectId } from '../shared/object-id.ts';

export type PrerequisiteKind = 'authorisation' | 'workshop';
export const PREREQUISITE_KINDS: readonly PrerequisiteKind[] = ['authorisation', 'workshop'];

export interface Prerequisites {
  learnerId: string;
  authorisation: PrerequisiteItem;
  workshop: PrerequisiteItem;
}

export interface EvidenceFile {
  id: string;
  learnerId: string;
  kind: PrerequisiteKind;
  contentType: string;
  fileName: string;
  length: number;
}

const empty = (learnerId: string): Prerequisites => ({ learnerId, authorisation: { state: 'missing' }, workshop: { state: 'missing' } });
const toPlain = (d: PrerequisitesDoc): Prerequisites => ({
  learnerId: d.learnerId,
  authorisation: d.authorisation ?? { state: 'missing' },
  workshop: d.workshop ?? { state: 'missing' },
});

/** Prerequisites, their evidence files (GridFS) and CSV imports; the only place touching those collections. */
export function createPrerequisiteRepository(connection: Connection) {
  const { Prerequisites: Model, Import } = qualificationModels(connection);
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: 'qualification_evidence' });

  return {
    async get(learnerId: string): Promise<Prerequisites> {
      const d = await Model.findOne({ learnerId }).lean<PrerequisitesDoc>();
      return d ? toPlain(d) : empty(learnerId);
    },
    async getMany(learnerIds: string[]): Promise<Map<string, Prerequisites>> {
      const docs = learnerIds.length ? await Model.find({ learnerId: { $in: learnerIds } }).lean<PrerequisitesDoc[]>() : [];
      const map = new Map(learnerIds.map((id) => [id, empty(id)]));
      for (const d of docs) map.set(d.learnerId, toPlain(d));
      return map;
    },
    /** Replaces one item as a whole (an upsert keyed by the unique learnerId: safe to repeat). */
    async putItem(learnerId: string, kind: PrerequisiteKind, item: PrerequisiteItem): Promise<void> {
      const clean = Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));
      await Model.updateOne({ learnerId }, { $set: { [kind]: clean }, $setOnInsert: { learnerId } }, { upsert: true });
    },
    /** Learners with something to decide on, oldest change first. */
    async listPending(limit = 200): Promise<Prerequisites[]> {
      const docs = await Model.find({ $or: [{ 'authorisation.state': 'pending' }, { 'workshop.state': 'pending' }] })
        .limit(limit)
        .lean<PrerequisitesDoc[]>();
      return docs.map(toPlain);
    },

    /** Streams a checked temp file into GridFS; returns the new file id. */
    async storeEvidence(tempPath: string, meta: Omit<EvidenceFile, 'id' | 'length'>): Promise<string> {
      const upload = bucket().openUploadStream(meta.fileName, { metadata: { learnerId: meta.learnerId, kind: meta.kind, contentType: meta.contentType } });
      await pipeline(createReadStream(tempPath), upload);
      return upload.id.toString();
    },
    async findEvidence(fileId: string): Promise<EvidenceFile | undefined> {
      if (!isObjectId(fileId)) return undefined;
      const [f] = await bucket()
        .find({ _id: new mongo.ObjectId(fileId) })
        .toArray();
      if (!f) return undefined;
      const m = (f.metadata ?? {}) as { learnerId?: string; kind?: PrerequisiteKind; contentType?: string };
      return {
        id: fileId,
        learnerId: m.learnerId ?? '',
        kind: m.kind ?? 'authorisation',
        contentType: m.contentType ?? 'application/octet-stream',
        fileName: f.filename,
        length: f.length,
      };
    },
    openEvidence(fileId: string): Readable {
      return bucket().openDownloadStream(new mongo.ObjectId(fileId));
    },
    async deleteEvidence(fileId: string): Promise<void> {
      if (!isObjectId(fileId)) return;
      await bucket()
        .delete(new mongo.ObjectId(fileId))
        .catch(() => {}); // already gone is fine
    },

    async insertImport(input: { csv: string; fileName: string; createdBy: string; createdAt: Date }): Promise<string> {
      const d = await Import.create(input);
      return d._id.toString();
    },
    async findImport(id: string): Promise<ImportDoc | undefined> {
      if (!isObjectId(id)) return undefined;
      return (await Import.findById(id).lean<ImportDoc>()) ?? undefined;
    },
    async markImportCommitted(id: string, rows: number, at: Date): Promise<void> {
      await Import.updateOne({ _id: id }, { $set: { committedAt: at, committedRows: rows } });
    },
  };
}
export type PrerequisiteRepository = ReturnType<typeof createPrerequisiteRepository>;
