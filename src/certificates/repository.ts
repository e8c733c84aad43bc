import type { Connection } from 'mongoose';
import { isObjectId } from '../shared/object-id.ts';
import { certificateModels, type CertificateDoc, type CertificateRequestDoc, type IssueMode, type SigningKeyDoc } from './model.ts';

export type Certificate = Omit<CertificateDoc, '_id'> & { id: string };
export type CertificateRequest = CertificateRequestDoc & { id: string };
export type NewCertificate = Omit<Certificate, 'id' | 'revokedAt' | 'revokedBy' | 'revocationReason' | 'replacedBy'>;

const toCertificate = ({ _id, ...rest }: CertificateDoc & { __v?: number }): Certificate => {
  const { __v: _v, ...plain } = rest as typeof rest & { __v?: number };
  return { ...plain, id: _id.toString() };
};
const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;
const SETTINGS_ID = 'settings';

/** The only place that touches the certificates collections; returns plain objects. */
export function createCertificateRepository(connection: Connection) {
  const { Certificate, CertificateRequest, SigningKey, Settings } = certificateModels(connection);
  return {
    /** Builds the indexes before the first request: the unique ones decide races (codes, status indexes, current certificate). */
    async init(): Promise<void> {
      await Promise.all([Certificate, CertificateRequest, SigningKey, Settings].map((m) => m.init()));
    },
    /** Inserts a certificate; 'duplicate-index' when its status index or code is taken (draw again). */
    async insertCertificate(c: NewCertificate): Promise<Certificate | 'duplicate'> {
      try {
        const doc = await Certificate.create({ ...c, revokedAt: null, revokedBy: null, revocationReason: null, replacedBy: null });
        return toCertificate(doc.toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },
    async findById(id: string): Promise<Certificate | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Certificate.findById(id).lean<CertificateDoc>();
      return d ? toCertificate(d) : undefined;
    },
    async findByCode(code: string): Promise<Certificate | undefined> {
      const d = await Certificate.findOne({ code }).lean<CertificateDoc>();
      return d ? toCertificate(d) : undefined;
    },
    async findByCredentialId(credentialId: string): Promise<Certificate | undefined> {
      const d = await Certificate.findOne({ credentialId }).lean<CertificateDoc>();
      return d ? toCertificate(d) : undefined;
    },
    async findActive(learnerId: string, qualification: string): Promise<Certificate | undefined> {
      const d = await Certificate.findOne({ activeKey: `${learnerId}:${qualification}` }).lean<CertificateDoc>();
      return d ? toCertificate(d) : undefined;
    },
    async listForLearner(learnerId: string): Promise<Certificate[]> {
      return (await Certificate.find({ learnerId }).sort({ issuedAt: -1 }).lean<CertificateDoc[]>()).map(toCertificate);
    },
    async listRecent(limit: number): Promise<Certificate[]> {
      return (await Certificate.find({}).sort({ issuedAt: -1 }).limit(limit).lean<CertificateDoc[]>()).map(toCertificate);
    },
    /** Makes a certificate the current one; 'duplicate' when another is current (a concurrent issue). */
    async activate(id: string, activeKey: string): Promise<'ok' | 'duplicate'> {
      try {
        await Certificate.updateOne({ _id: id }, { $set: { activeKey } });
        return 'ok';
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate';
        throw err;
      }
    },
    /** Revokes once: a second revocation keeps the first date and reason. */
    async revoke(id: string, r: { at: Date; by: string; reason: string; replacedBy?: string }): Promise<Certificate | undefined> {
      await Certificate.updateOne(
        { _id: id, revokedAt: null },
        { $set: { revokedAt: r.at, revokedBy: r.by, revocationReason: r.reason, replacedBy: r.replacedBy ?? null, activeKey: `revoked:${id}` } },
      );
      return this.findById(id);
    },
    /** The status indexes of the revoked credentials of one list. */
    async revokedIndexes(statusListId: number): Promise<number[]> {
      const docs = await Certificate.find({ statusListId, revokedAt: { $ne: null } }, { statusListIndex: 1 }).lean<Array<{ statusListIndex: number }>>();
      return docs.map((d) => d.statusListIndex);
    },

    async upsertRequest(learnerId: string, qualification: string, at: Date): Promise<CertificateRequest> {
      const d = await CertificateRequest.findOneAndUpdate(
        { learnerId, qualification },
        { $set: { state: 'pending', requestedAt: at, decidedBy: null, decidedAt: null, reason: null } },
        { upsert: true, returnDocument: 'after' },
      ).lean<CertificateRequestDoc & { _id: unknown }>();
      return { ...d!, id: String(d!._id) };
    },
    async findRequest(learnerId: string, qualification: string): Promise<CertificateRequest | undefined> {
      const d = await CertificateRequest.findOne({ learnerId, qualification }).lean<CertificateRequestDoc & { _id: unknown }>();
      return d ? { ...d, id: String(d._id) } : undefined;
    },
    async pendingRequests(limit: number): Promise<CertificateRequest[]> {
      const docs = await CertificateRequest.find({ state: 'pending' })
        .sort({ requestedAt: 1 })
        .limit(limit)
        .lean<Array<CertificateRequestDoc & { _id: unknown }>>();
      return docs.map((d) => ({ ...d, id: String(d._id) }));
    },
    async decideRequest(learnerId: string, qualification: string, d: { state: 'approved' | 'rejected'; by: string; at: Date; reason?: string }): Promise<void> {
      await CertificateRequest.updateOne(
        { learnerId, qualification },
        { $set: { state: d.state, decidedBy: d.by, decidedAt: d.at, reason: d.reason ?? null } },
      );
    },

    async addSigningKey(k: SigningKeyDoc): Promise<void> {
      // idempotent: the same key registered by every start and every instance
      await SigningKey.updateOne({ kid: k.kid }, { $setOnInsert: k }, { upsert: true });
    },
    async signingKeys(): Promise<SigningKeyDoc[]> {
      return SigningKey.find({}, { _id: 0, __v: 0 }).sort({ firstUsedAt: 1 }).lean<SigningKeyDoc[]>();
    },

    async issueMode(): Promise<IssueMode | undefined> {
      const d = await Settings.findById(SETTINGS_ID).lean<{ issueMode: IssueMode }>();
      return d?.issueMode;
    },
    async setIssueMode(issueMode: IssueMode, by: string, at: Date): Promise<void> {
      await Settings.updateOne({ _id: SETTINGS_ID }, { $set: { issueMode, updatedBy: by, updatedAt: at } }, { upsert: true });
    },
  };
}
export type CertificateRepository = ReturnType<typeof createCertificateRepository>;
