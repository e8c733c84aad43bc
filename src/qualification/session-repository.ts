import type { Connection } from 'mongoose';
import { objectIdsIn } from '../shared/batch.ts';
import { qualificationModels, type CohortDoc, type MentorDoc, type RequirementsDoc, type SessionDoc } from './model.ts';
import { isObjectId } from '../shared/object-id.ts';

/** A session as the service sees it: the stored fields with a string id. */
export type Q2Session = Omit<SessionDoc, '_id' | 'createdAt'> & { id: string };
export type SessionInput = Omit<Q2Session, 'id'>;

export interface Cohort {
  id: string;
  name: string;
  region: string;
  trainerIds: string[];
  learnerIds: string[];
}

export interface Requirements {
  q1Modules: string[];
  q2Topics: Array<{ key: string; title: string; requiresQ1: boolean }>;
  updatedBy: string;
  updatedAt?: Date;
}

const toSession = (d: SessionDoc): Q2Session => ({
  id: d._id.toString(),
  title: d.title,
  topic: d.topic,
  format: d.format,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  place: d.place ?? '',
  meetingLink: d.meetingLink ?? '',
  region: d.region ?? '',
  trainerIds: d.trainerIds ?? [],
  cohortId: d.cohortId ?? '',
  capacity: d.capacity,
  registrationDeadline: d.registrationDeadline,
  cancellationDeadline: d.cancellationDeadline,
});
const toCohort = (d: CohortDoc): Cohort => ({
  id: d._id.toString(),
  name: d.name,
  region: d.region ?? '',
  trainerIds: d.trainerIds ?? [],
  learnerIds: d.learnerIds ?? [],
});

/** Requirements, Q2 sessions, cohorts and mentors: the planning side of the qualification. */
export function createSessionRepository(connection: Connection) {
  const { Requirements: Req, Session, Cohort: CohortModel, Mentor } = qualificationModels(connection);
  return {
    async getRequirements(): Promise<Requirements | undefined> {
      const d = await Req.findById('current').lean<RequirementsDoc>();
      return d
        ? {
            q1Modules: d.q1Modules,
            q2Topics: d.q2Topics.map((t) => ({ key: t.key, title: t.title, requiresQ1: Boolean(t.requiresQ1) })),
            updatedBy: d.updatedBy,
            updatedAt: d.updatedAt,
          }
        : undefined;
    },
    async putRequirements(r: Requirements & { updatedAt: Date }): Promise<void> {
      await Req.updateOne(
        { _id: 'current' },
        { $set: { q1Modules: r.q1Modules, q2Topics: r.q2Topics, updatedBy: r.updatedBy, updatedAt: r.updatedAt } },
        { upsert: true },
      );
    },

    async insertSession(input: SessionInput, createdAt: Date): Promise<Q2Session> {
      const d = await Session.create({ ...input, createdAt });
      return toSession(d.toObject());
    },
    async updateSession(id: string, input: Partial<SessionInput>): Promise<Q2Session | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Session.findByIdAndUpdate(id, { $set: input }, { returnDocument: 'after' }).lean<SessionDoc>();
      return d ? toSession(d) : undefined;
    },
    async findSession(id: string): Promise<Q2Session | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await Session.findById(id).lean<SessionDoc>();
      return d ? toSession(d) : undefined;
    },
    async findSessions(ids: string[]): Promise<Q2Session[]> {
      const valid = objectIdsIn(ids);
      if (!valid.length) return [];
      return (
        await Session.find({ _id: { $in: valid } })
          .sort({ startsAt: 1 })
          .lean<SessionDoc[]>()
      ).map(toSession);
    },
    /** Sessions by start; `cohortIds` and `trainerId` together: the sessions of either (a trainer's own and their cohorts'). */
    async listSessions(filter: { from?: Date; cohortIds?: string[]; trainerId?: string } = {}): Promise<Q2Session[]> {
      const q: Record<string, unknown> = {};
      if (filter.from) q.endsAt = { $gte: filter.from };
      const either: Record<string, unknown>[] = [];
      if (filter.cohortIds?.length) either.push({ cohortId: { $in: filter.cohortIds } });
      if (filter.trainerId) either.push({ trainerIds: filter.trainerId });
      if (either.length === 1) Object.assign(q, either[0]);
      if (either.length > 1) q.$or = either;
      return (await Session.find(q).sort({ startsAt: 1 }).limit(500).lean<SessionDoc[]>()).map(toSession);
    },

    async insertCohort(input: Omit<Cohort, 'id'>, createdAt: Date): Promise<Cohort> {
      const d = await CohortModel.create({ ...input, createdAt });
      return toCohort(d.toObject());
    },
    async updateCohort(id: string, input: Partial<Omit<Cohort, 'id'>>): Promise<Cohort | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await CohortModel.findByIdAndUpdate(id, { $set: input }, { returnDocument: 'after' }).lean<CohortDoc>();
      return d ? toCohort(d) : undefined;
    },
    async findCohort(id: string): Promise<Cohort | undefined> {
      if (!isObjectId(id)) return undefined;
      const d = await CohortModel.findById(id).lean<CohortDoc>();
      return d ? toCohort(d) : undefined;
    },
    async findCohorts(ids: string[]): Promise<Cohort[]> {
      const valid = objectIdsIn(ids);
      if (!valid.length) return [];
      return (await CohortModel.find({ _id: { $in: valid } }).lean<CohortDoc[]>()).map(toCohort);
    },
    async listCohorts(filter: { trainerId?: string; learnerId?: string } = {}): Promise<Cohort[]> {
      const q: Record<string, unknown> = {};
      if (filter.trainerId) q.trainerIds = filter.trainerId;
      if (filter.learnerId) q.learnerIds = filter.learnerId;
      return (await CohortModel.find(q).sort({ createdAt: -1 }).limit(500).lean<CohortDoc[]>()).map(toCohort);
    },

    async putMentor(m: MentorDoc): Promise<void> {
      await Mentor.updateOne({ learnerId: m.learnerId }, { $set: m }, { upsert: true });
    },
    async removeMentor(learnerId: string): Promise<void> {
      await Mentor.deleteOne({ learnerId });
    },
    async mentorOf(learnerId: string): Promise<MentorDoc | undefined> {
      return (await Mentor.findOne({ learnerId }).lean<MentorDoc>()) ?? undefined;
    },
    async menteesOf(mentorId: string): Promise<MentorDoc[]> {
      return Mentor.find({ mentorId }).limit(500).lean<MentorDoc[]>();
    },
    async listMentorships(): Promise<MentorDoc[]> {
      return Mentor.find({}).limit(1000).lean<MentorDoc[]>();
    },
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
