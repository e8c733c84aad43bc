import type { Connection } from 'mongoose';
import { certificateModels, type CertificateDoc } from './model.ts';

/** The revocation reason of a certificate whose holder was erased (an i18n key, as the other reasons). */
export const ERASED_REASON = 'privacy:revocation.erased';

/**
 * What the certificates' privacy entry reads and changes. An erased holder's certificate stays in
 * the register (code, dates, status-list index) so that a verification answers "widerrufen"
 * rather than "unbekannt", but without name, learner id or the signed credential.
 */
export function createCertificatePrivacyRepository(connection: Connection) {
  const { Certificate, CertificateRequest, Settings } = certificateModels(connection);
  return {
    async ofLearner(learnerId: string): Promise<CertificateDoc[]> {
      return Certificate.find({ learnerId }).sort({ issuedAt: 1 }).lean<CertificateDoc[]>();
    },
    async requestsOf(learnerId: string) {
      return CertificateRequest.find({ learnerId }, { _id: 0, __v: 0 }).lean();
    },
    async erase(personId: string, by: { reference: string; now: Date }): Promise<void> {
      const ref = `geloescht:${by.reference}`;
      // first revoke (the status list is built from revokedAt), then strip: a re-run finds either step undone
      await Certificate.updateMany({ learnerId: personId, revokedAt: null }, { $set: { revokedAt: by.now, revokedBy: ref, revocationReason: ERASED_REASON } });
      for (const c of await Certificate.find({ learnerId: personId }, { _id: 1 }).lean<Array<{ _id: import('mongoose').Types.ObjectId }>>()) {
        await Certificate.updateOne({ _id: c._id }, { $set: { learnerId: ref, holderName: '', jwt: '', activeKey: `revoked:${String(c._id)}` } });
      }
      await Certificate.updateMany({ issuedBy: personId }, { $set: { issuedBy: ref } });
      await Certificate.updateMany({ revokedBy: personId }, { $set: { revokedBy: ref } });
      await CertificateRequest.deleteMany({ learnerId: personId });
      await CertificateRequest.updateMany({ decidedBy: personId }, { $set: { decidedBy: ref } });
      await Settings.updateMany({ updatedBy: personId }, { $set: { updatedBy: ref } });
    },
  };
}
