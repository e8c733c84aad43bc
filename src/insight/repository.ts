import type { Connection } from 'mongoose';
import { insightModels, type AnswerDoc, type AttendanceMarkDoc, type EventDoc, type ModuleActivityDoc, type QuestionDoc } from './model.ts';

const isDuplicate = (err: unknown) => (err as { code?: number })?.code === 11000;

/** The insight projections' reads and writes; the only file that touches their models. */
export function createInsightRepository(connection: Connection) {
  const m = insightModels(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all(Object.values(m).map((model) => model.init()));
    },

    /** Upserts by statement id: the same statement twice is the same record. */
    async putEvents(events: EventDoc[]): Promise<void> {
      if (!events.length) return;
      await m.Event.bulkWrite(
        events.map(({ _id, ...doc }) => ({ updateOne: { filter: { _id }, update: { $set: doc }, upsert: true } })),
        { ordered: false },
      );
    },
    async putAnswers(answers: AnswerDoc[]): Promise<void> {
      if (!answers.length) return;
      await m.Answer.bulkWrite(
        answers.map(({ _id, ...doc }) => ({ updateOne: { filter: { _id }, update: { $set: doc }, upsert: true } })),
        { ordered: false },
      );
    },
    /** A question's definition; a later statement with a text fills in what an earlier one lacked. */
    async putQuestions(questions: QuestionDoc[]): Promise<void> {
      if (!questions.length) return;
      await m.Question.bulkWrite(
        questions.map(({ _id, firstSeenAt, ...doc }) => ({
          updateOne: { filter: { _id }, update: { $set: doc, $min: { firstSeenAt } }, upsert: true },
        })),
        { ordered: false },
      );
    },
    /**
     * Takes out what voided statements had added (xAPI Data §2.3.2: a voided statement no longer
     * counts) and returns the learners' modules whose judgements must be recounted.
     */
    async removeVoided(statementIds: string[]): Promise<Array<{ learnerId: string; moduleSlug: string }>> {
      if (!statementIds.length) return [];
      const events = await m.Event.find({ _id: { $in: statementIds } }, { learnerId: 1, moduleSlug: 1, _id: 0 }).lean<
        Array<{ learnerId: string; moduleSlug: string }>
      >();
      await Promise.all([m.Event.deleteMany({ _id: { $in: statementIds } }), m.Answer.deleteMany({ _id: { $in: statementIds } })]);
      return events.filter((e) => e.moduleSlug);
    },
    /** Raises last activity and lowers first activity of one learner in one module. */
    async touchActivity(t: { learnerId: string; moduleSlug: string; firstAt: Date; lastAt: Date }): Promise<void> {
      const filter = { learnerId: t.learnerId, moduleSlug: t.moduleSlug };
      const update = { $min: { firstAt: t.firstAt }, $max: { lastAt: t.lastAt }, $setOnInsert: { doneAt: null, failedCount: 0 } };
      await m.Activity.updateOne(filter, update, { upsert: true }).catch(async (err: unknown) => {
        // two hook calls inserting the same learner's record at once: the loser updates the winner's
        if (!isDuplicate(err)) throw err;
        await m.Activity.updateOne(filter, { $min: update.$min, $max: update.$max });
      });
    },
    async setActivityJudgements(learnerId: string, moduleSlug: string, v: { doneAt: Date | null; failedCount: number }): Promise<void> {
      await m.Activity.updateOne({ learnerId, moduleSlug }, { $set: v });
    },
    /** The module events of one learner that the activity record counts (small: a handful per sitting). */
    async judgementEvents(learnerId: string, moduleSlug: string): Promise<Array<Pick<EventDoc, 'kind' | 'at'>>> {
      return m.Event.find({ learnerId, moduleSlug, kind: { $in: ['completed', 'passed', 'failed', 'waived'] } }, { kind: 1, at: 1, _id: 0 }).lean<
        Array<Pick<EventDoc, 'kind' | 'at'>>
      >();
    },
    /** Keeps the latest mark: an older one delivered later (a replay, a retry) changes nothing. */
    async putAttendance(a: AttendanceMarkDoc): Promise<void> {
      const { sessionId, learnerId } = a;
      await m.Attendance.updateOne({ sessionId, learnerId, at: { $lte: a.at } }, { $set: a }, { upsert: true }).catch((err: unknown) => {
        if (!isDuplicate(err)) throw err; // a newer mark is there
      });
    },

    activityOf: (learnerIds: string[]) =>
      learnerIds.length
        ? m.Activity.find({ learnerId: { $in: learnerIds } }, { _id: 0 }).lean<ModuleActivityDoc[]>()
        : Promise.resolve([] as ModuleActivityDoc[]),
    answersOf: (learnerIds: string[]) =>
      learnerIds.length
        ? m.Answer.find({ learnerId: { $in: learnerIds } }, { learnerId: 1, questionKey: 1, success: 1, response: 1, _id: 0 }).lean<
            Array<Pick<AnswerDoc, 'learnerId' | 'questionKey' | 'success' | 'response'>>
          >()
        : Promise.resolve([]),
    questions: (keys: string[]) => (keys.length ? m.Question.find({ _id: { $in: keys } }).lean<QuestionDoc[]>() : Promise.resolve([] as QuestionDoc[])),
    attendanceOf: (sessionIds: string[]) =>
      sessionIds.length
        ? m.Attendance.find({ sessionId: { $in: sessionIds } }, { _id: 0 }).lean<AttendanceMarkDoc[]>()
        : Promise.resolve([] as AttendanceMarkDoc[]),
    attendanceOfLearners: (learnerIds: string[]) =>
      learnerIds.length
        ? m.Attendance.find({ learnerId: { $in: learnerIds } }, { _id: 0 }).lean<AttendanceMarkDoc[]>()
        : Promise.resolve([] as AttendanceMarkDoc[]),

    /** One page of a learner's timeline, newest first, and whether there is a next page. */
    async timeline(learnerId: string, opts: { moduleSlug?: string; skip: number; limit: number }): Promise<{ events: EventDoc[]; more: boolean }> {
      const filter = opts.moduleSlug === undefined ? { learnerId } : { learnerId, moduleSlug: opts.moduleSlug };
      const docs = await m.Event.find(filter)
        .sort({ at: -1, _id: 1 })
        .skip(opts.skip)
        .limit(opts.limit + 1)
        .lean<EventDoc[]>();
      return { events: docs.slice(0, opts.limit), more: docs.length > opts.limit };
    },

    isOptedOut: async (userId: string) => Boolean(await m.OptOut.exists({ _id: userId })),
    async setOptOut(userId: string, optOut: boolean, now: Date): Promise<void> {
      if (optOut) await m.OptOut.updateOne({ _id: userId }, { $set: { at: now } }, { upsert: true });
      else await m.OptOut.deleteOne({ _id: userId });
    },
  };
}
export type InsightRepository = ReturnType<typeof createInsightRepository>;
