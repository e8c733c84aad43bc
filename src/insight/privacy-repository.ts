import type { Connection } from 'mongoose';
import { insightModels } from './model.ts';

/** What insight's privacy entry reads and deletes: every projection is keyed by the learner id, the opt-out by the trainer's. */
export function createInsightPrivacyRepository(connection: Connection) {
  const { Event, Activity, Answer, Attendance, OptOut } = insightModels(connection);
  return {
    async all(userId: string) {
      const [events, activity, answers, attendance, optOut] = await Promise.all([
        Event.find({ learnerId: userId }).sort({ at: 1 }).lean(),
        Activity.find({ learnerId: userId }, { _id: 0 }).lean(),
        Answer.find({ learnerId: userId }).sort({ at: 1 }).lean(),
        Attendance.find({ learnerId: userId }, { _id: 0 }).lean(),
        OptOut.findById(userId).lean(),
      ]);
      return { events, activity, answers, attendance, digestOptOut: optOut ? { since: optOut.at } : null };
    },
    async eraseAll(userId: string): Promise<void> {
      await Promise.all([
        Event.deleteMany({ learnerId: userId }),
        Activity.deleteMany({ learnerId: userId }),
        Answer.deleteMany({ learnerId: userId }),
        Attendance.deleteMany({ learnerId: userId }),
        OptOut.deleteOne({ _id: userId }),
      ]);
    },
  };
}
