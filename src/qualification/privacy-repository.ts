import type { Readable } from 'node:stream';
import { mongo, type Connection } from 'mongoose';
import { qualificationModels } from './model.ts';
import { isObjectId } from '../shared/object-id.ts';

const EVIDENCE = 'qualification_evidence';
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What the qualification's privacy entry reads and changes. Learner records are keyed by learnerId
 * (indexed); staff appear as decidedBy/markedBy/assignedBy/createdBy/updatedBy in other people's
 * records and as members of cohorts and sessions, which stay with the reference in their place.
 */
export function createQualificationPrivacyRepository(connection: Connection) {
  const m = qualificationModels(connection);
  const bucket = () => new mongo.GridFSBucket(connection.db!, { bucketName: EVIDENCE });
  const evidenceFiles = (learnerId: string) => bucket().find({ 'metadata.learnerId': learnerId }).toArray();
  return {
    async learnerRecords(learnerId: string) {
      const [prerequisites, cohorts, seats, waitlist, attendance, mentor] = await Promise.all([
        m.Prerequisites.findOne({ learnerId }, { _id: 0, __v: 0 }).lean(),
        m.Cohort.find({ $or: [{ learnerIds: learnerId }, { trainerIds: learnerId }] }, { name: 1, region: 1, createdAt: 1 }).lean(),
        m.Seat.find({ learnerId }, { _id: 0, __v: 0 }).lean(),
        m.Wait.find({ learnerId }, { _id: 0, __v: 0 }).lean(),
        m.Attendance.find({ learnerId }, { _id: 0, __v: 0 }).lean(),
        m.Mentor.find({ $or: [{ learnerId }, { mentorId: learnerId }] }, { _id: 0, __v: 0 }).lean(),
      ]);
      const sessionIds = [...new Set([...seats, ...waitlist, ...attendance].map((s) => s.sessionId))].filter(isObjectId);
      const sessions = sessionIds.length
        ? await m.Session.find({ _id: { $in: sessionIds } }, { title: 1, topic: 1, format: 1, startsAt: 1, endsAt: 1, place: 1 }).lean()
        : [];
      return { prerequisites, cohorts, seats, waitlist, attendance, mentor, sessions };
    },
    async evidence(learnerId: string): Promise<Array<{ id: string; fileName: string; kind: string; open(): Readable }>> {
      return (await evidenceFiles(learnerId)).map((f) => ({
        id: f._id.toString(),
        fileName: f.filename,
        kind: String((f.metadata as { kind?: string } | undefined)?.kind ?? ''),
        open: () => bucket().openDownloadStream(f._id),
      }));
    },
    /** Every step is a delete or an overwrite keyed by the person: running it twice changes nothing more. */
    async erase(personId: string, email: string, reference: string): Promise<void> {
      const ref = `geloescht:${reference}`;
      for (const f of await evidenceFiles(personId))
        await bucket()
          .delete(f._id)
          .catch(() => {});
      await m.Prerequisites.deleteMany({ learnerId: personId });
      for (const kind of ['authorisation', 'workshop'])
        await m.Prerequisites.updateMany({ [`${kind}.decidedBy`]: personId }, { $set: { [`${kind}.decidedBy`]: ref } });
      await m.Seat.deleteMany({ learnerId: personId });
      await m.Wait.deleteMany({ learnerId: personId });
      await m.Attendance.deleteMany({ learnerId: personId });
      await m.Attendance.updateMany({ markedBy: personId }, { $set: { markedBy: ref } });
      await m.Mentor.deleteMany({ $or: [{ learnerId: personId }, { mentorId: personId }] });
      await m.Mentor.updateMany({ assignedBy: personId }, { $set: { assignedBy: ref } });
      await m.Requirements.updateMany({ updatedBy: personId }, { $set: { updatedBy: ref } });
      await m.Import.updateMany({ createdBy: personId }, { $set: { createdBy: ref } });
      // arrays are rewritten whole: FerretDB ignores some array operators (database.md)
      for (const c of await m.Cohort.find({ $or: [{ learnerIds: personId }, { trainerIds: personId }] }).lean()) {
        await m.Cohort.updateOne(
          { _id: c._id },
          { $set: { learnerIds: c.learnerIds.filter((id) => id !== personId), trainerIds: c.trainerIds.filter((id) => id !== personId) } },
        );
      }
      for (const s of await m.Session.find({ trainerIds: personId }).lean()) {
        await m.Session.updateOne({ _id: s._id }, { $set: { trainerIds: s.trainerIds.filter((id) => id !== personId) } });
      }
      // a partner's CSV of authorisations names people by e-mail: the person's lines leave it
      const address = email.toLowerCase();
      for (const i of await m.Import.find({ csv: { $regex: escapeRegex(address), $options: 'i' } }).lean()) {
        const csv = i.csv
          .split(/\r?\n/)
          .filter((line) => !line.toLowerCase().includes(address))
          .join('\n');
        await m.Import.updateOne({ _id: i._id }, { $set: { csv } });
      }
    },
  };
}
