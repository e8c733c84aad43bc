import type { Readable } from 'node:stream';
import { mongo, type Connection } from 'mongoose';
import { privacyModels, EXPORT_BUCKET, type AuditDoc, type ErasureDoc, type ExportDoc } from './model.ts';
import { isObjectId } from '../shared/object-id.ts';

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export type Erasure = Omit<ErasureDoc, '_id'> & { id: string };
export type ExportJob = Omit<ExportDoc, '_id'> & { id: string };
const toErasure = ({ _id, ...rest }: ErasureDoc): Erasure => ({ ...rest, id: String(_id) });
const toExport = ({ _id, ...rest }: ExportDoc): ExportJob => ({ ...rest, id: String(_id) });

/** The only place that touches the privacy collections and the bucket of export zips. */
export function createPrivacyRepository(connection: Connection) {
  const { Erasure, Export, Audit, Consent, Activity } = privacyModels(connection);
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: EXPORT_BUCKET });
  return {
    init: () => Promise.all([Erasure, Export, Audit, Consent, Activity].map((m) => m.init())),

    // erasures
    async insertErasure(e: Omit<ErasureDoc, '_id'>): Promise<Erasure | 'duplicate'> {
      try {
        return toErasure((await Erasure.create(e)).toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },
    async findErasure(id: string): Promise<Erasure | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Erasure.findById(id).lean<ErasureDoc>();
      return d ? toErasure(d) : undefined;
    },
    async openErasureOf(userId: string): Promise<Erasure | undefined> {
      const d = await Erasure.findOne({ openKey: `open:${userId}` }).lean<ErasureDoc>();
      return d ? toErasure(d) : undefined;
    },
    async listErasures(limit: number): Promise<Erasure[]> {
      return (await Erasure.find({}).sort({ requestedAt: -1 }).limit(limit).lean<ErasureDoc[]>()).map(toErasure);
    },
    /** Requests that may run now: confirmed, past their cooling-off, or a run whose lease ran out (a crash). */
    async runnableErasures(now: Date): Promise<string[]> {
      const docs = await Erasure.find(
        { $or: [{ state: 'confirmed' }, { state: 'requested', dueAt: { $lte: now } }, { state: 'running', leaseUntil: { $lt: now } }] },
        { _id: 1 },
      ).lean<Array<{ _id: unknown }>>();
      return docs.map((d) => String(d._id));
    },
    async updateErasure(
      id: string,
      where: Record<string, unknown>,
      set: Partial<ErasureDoc>,
      inc?: Partial<Record<'attempts', number>>,
    ): Promise<Erasure | undefined> {
      const d = await Erasure.findOneAndUpdate(
        { _id: id, ...where },
        { $set: set, ...(inc ? { $inc: inc } : {}) },
        { returnDocument: 'after' },
      ).lean<ErasureDoc>();
      return d ? toErasure(d) : undefined;
    },

    // exports
    async insertExport(e: Omit<ExportDoc, '_id'>): Promise<ExportJob> {
      return toExport((await Export.create(e)).toObject());
    },
    async findExport(id: string): Promise<ExportJob | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Export.findById(id).lean<ExportDoc>();
      return d ? toExport(d) : undefined;
    },
    async exportsOf(userId: string, limit = 10): Promise<ExportJob[]> {
      return (await Export.find({ userId }).sort({ createdAt: -1 }).limit(limit).lean<ExportDoc[]>()).map(toExport);
    },
    async queuedExports(now: Date): Promise<string[]> {
      const docs = await Export.find({ $or: [{ state: 'queued' }, { state: 'running', leaseUntil: { $lt: now } }] }, { _id: 1 }).lean<
        Array<{ _id: unknown }>
      >();
      return docs.map((d) => String(d._id));
    },
    async updateExport(id: string, where: Record<string, unknown>, set: Partial<ExportDoc>): Promise<ExportJob | undefined> {
      const d = await Export.findOneAndUpdate({ _id: id, ...where }, { $set: set }, { returnDocument: 'after' }).lean<ExportDoc>();
      return d ? toExport(d) : undefined;
    },
    /** Takes a ready export by its link's hash, once: the second download finds it spent. */
    async takeExport(tokenHash: string, userId: string, now: Date): Promise<ExportJob | 'spent' | undefined> {
      const d = await Export.findOneAndUpdate(
        { tokenHash, userId, state: 'ready', expiresAt: { $gt: now } },
        { $set: { state: 'downloaded' } },
        { returnDocument: 'before' },
      ).lean<ExportDoc>();
      if (d) return toExport(d);
      return (await Export.exists({ tokenHash, userId })) ? 'spent' : undefined;
    },
    /** Zips still stored whose link ran out: never fetched, or a download that broke off before its end. */
    async expiredExports(now: Date): Promise<ExportJob[]> {
      return (await Export.find({ state: { $in: ['ready', 'downloaded'] }, expiresAt: { $lt: now }, fileId: { $ne: null } }).lean<ExportDoc[]>()).map(toExport);
    },
    async deleteExportsOf(userId: string): Promise<void> {
      for (const e of await Export.find({ userId }, { fileId: 1 }).lean<Array<{ fileId: string | null }>>()) if (e.fileId) await this.deleteFile(e.fileId);
      await Export.deleteMany({ userId });
    },
    openFileUpload(name: string) {
      return bucket().openUploadStream(name, { metadata: { contentType: 'application/zip' } });
    },
    openFile(fileId: string): Readable {
      return bucket().openDownloadStream(new mongo.ObjectId(fileId));
    },
    async deleteFile(fileId: string): Promise<void> {
      if (isObjectId(fileId))
        await bucket()
          .delete(new mongo.ObjectId(fileId))
          .catch(() => {}); // gone already is fine
    },

    // audit trail
    async insertAudit(a: AuditDoc): Promise<void> {
      await Audit.create(a);
    },
    async listAudit(q: { before?: Date; limit: number; action?: string }): Promise<AuditDoc[]> {
      const filter: Record<string, unknown> = {};
      if (q.before) filter.at = { $lt: q.before };
      if (q.action) filter.action = q.action;
      return Audit.find(filter, { _id: 0, __v: 0 }).sort({ at: -1 }).limit(q.limit).lean<AuditDoc[]>();
    },
    async auditOf(personId: string): Promise<AuditDoc[]> {
      return Audit.find({ $or: [{ actorId: personId }, { targetId: personId }] }, { _id: 0 })
        .sort({ at: 1 })
        .lean<AuditDoc[]>();
    },
    async pseudonymiseAudit(personId: string, reference: string): Promise<void> {
      await Audit.updateMany({ actorId: personId }, { $set: { actorId: reference } });
      await Audit.updateMany({ targetId: personId }, { $set: { targetId: reference } });
    },
    async deleteAuditBefore(before: Date): Promise<void> {
      await Audit.deleteMany({ at: { $lt: before } });
    },

    // consents and activity
    async insertConsent(c: { userId: string; kind: string; version: string; at: Date }): Promise<void> {
      await Consent.create(c);
    },
    consentsOf: (userId: string) => Consent.find({ userId }, { _id: 0 }).sort({ at: 1 }).lean(),
    async deleteConsentsOf(userId: string): Promise<void> {
      await Consent.deleteMany({ userId });
    },
    async touchActivity(userId: string, at: Date): Promise<void> {
      // being seen again withdraws an announcement of erasure for inactivity
      await Activity.updateOne({ _id: userId }, { $set: { lastSeenAt: at, announcedAt: null } }, { upsert: true });
    },
    activityOf: (userIds: string[]) => Activity.find({ _id: { $in: userIds } }).lean<Array<{ _id: string; lastSeenAt: Date; announcedAt: Date | null }>>(),
    async announce(userId: string, at: Date, lastSeenAt: Date): Promise<void> {
      await Activity.updateOne({ _id: userId }, { $set: { announcedAt: at }, $setOnInsert: { lastSeenAt } }, { upsert: true });
    },
    announcedBefore: (before: Date) =>
      Activity.find({ announcedAt: { $ne: null, $lt: before } }).lean<Array<{ _id: string; lastSeenAt: Date; announcedAt: Date }>>(),
    async deleteActivity(userId: string): Promise<void> {
      await Activity.deleteOne({ _id: userId });
    },
  };
}
export type PrivacyRepository = ReturnType<typeof createPrivacyRepository>;
