import { randomInt } from 'node:crypto';
import type { Connection } from 'mongoose';
import { countGrouped } from '../db/count-grouped.ts';
import { qualificationModels, type AttendanceDoc, type AttendanceStatus, type SeatDoc, type WaitDoc } from './model.ts';

interface MongoDupError {
  code?: number;
  keyPattern?: Record<string, unknown>;
  keyValue?: Record<string, unknown>;
  message?: string;
}
/**
 * Which unique index refused an insert. MongoDB names it in keyPattern; FerretDB may only put the
 * index name in the message, so both are read.
 */
function duplicateOn(err: unknown): 'learner' | 'slot' | undefined {
  const e = err as MongoDupError;
  if (e?.code !== 11000) return undefined;
  if (e.keyPattern) return 'learnerId' in e.keyPattern ? 'learner' : 'slot';
  if (e.keyValue) return 'learnerId' in e.keyValue ? 'learner' : 'slot';
  return /learnerId/.test(e.message ?? '') ? 'learner' : 'slot';
}

export type SeatClaim = 'seated' | 'taken' | 'already';

/** Seats, the waiting list and attendance marks. Unique indexes decide every race here (see model.ts). */
export function createSeatRepository(connection: Connection) {
  const { Seat, Wait, Attendance } = qualificationModels(connection);
  return {
    /** Tries one seat: 'seated', 'taken' (someone holds that number) or 'already' (this learner has a seat). */
    async claimSeat(sessionId: string, seatNumber: number, learnerId: string, now: Date): Promise<SeatClaim> {
      try {
        await Seat.create({ sessionId, seatNumber, learnerId, createdAt: now });
        return 'seated';
      } catch (err) {
        const on = duplicateOn(err);
        if (on === 'learner') return 'already';
        if (on === 'slot') return 'taken';
        throw err;
      }
    },
    async takenSeatNumbers(sessionId: string): Promise<Set<number>> {
      const docs = await Seat.find({ sessionId }, { seatNumber: 1 }).lean<Array<Pick<SeatDoc, 'seatNumber'>>>();
      return new Set(docs.map((d) => d.seatNumber));
    },
    async seatOf(sessionId: string, learnerId: string): Promise<SeatDoc | undefined> {
      return (await Seat.findOne({ sessionId, learnerId }).lean<SeatDoc>()) ?? undefined;
    },
    async releaseSeat(sessionId: string, learnerId: string): Promise<boolean> {
      const r = await Seat.deleteOne({ sessionId, learnerId });
      return r.deletedCount > 0;
    },
    async seatsOf(sessionId: string): Promise<SeatDoc[]> {
      return Seat.find({ sessionId }).sort({ seatNumber: 1 }).lean<SeatDoc[]>();
    },
    async seatsOfLearner(learnerId: string): Promise<SeatDoc[]> {
      return Seat.find({ learnerId }).lean<SeatDoc[]>();
    },
    /** Taken seats of many sessions in one grouped query, by session id. */
    countSeatsOf: (sessionIds: string[]): Promise<Map<string, number>> => countGrouped(Seat, 'sessionId', sessionIds),

    /**
     * Appends to the waiting list. The position is the arrival time in microseconds plus a random
     * tail, so simultaneous joiners rarely collide (no max+1 contention); the unique
     * (sessionId, position) index settles the rare tie, and the loser draws again.
     */
    async joinWaitlist(sessionId: string, learnerId: string, now: Date): Promise<{ position: number } | 'already'> {
      for (let attempt = 0; attempt < 100; attempt++) {
        const position = now.getTime() * 1000 + randomInt(1000);
        try {
          await Wait.create({ sessionId, position, learnerId, createdAt: now });
          return { position };
        } catch (err) {
          const on = duplicateOn(err);
          if (on === 'learner') return 'already';
          if (on !== 'slot') throw err;
        }
      }
      throw new Error('waiting list: no free position after 100 attempts');
    },
    async waitOf(sessionId: string, learnerId: string): Promise<WaitDoc | undefined> {
      return (await Wait.findOne({ sessionId, learnerId }).lean<WaitDoc>()) ?? undefined;
    },
    async firstWaiting(sessionId: string): Promise<WaitDoc | undefined> {
      return (await Wait.findOne({ sessionId }).sort({ position: 1 }).lean<WaitDoc>()) ?? undefined;
    },
    async leaveWaitlist(sessionId: string, learnerId: string): Promise<boolean> {
      const r = await Wait.deleteOne({ sessionId, learnerId });
      return r.deletedCount > 0;
    },
    async waitlistOf(sessionId: string): Promise<WaitDoc[]> {
      return Wait.find({ sessionId }).sort({ position: 1 }).lean<WaitDoc[]>();
    },
    async waitsOfLearner(learnerId: string): Promise<WaitDoc[]> {
      return Wait.find({ learnerId }).lean<WaitDoc[]>();
    },
    /** How many wait ahead of (and including) this position. */
    async rankOnWaitlist(sessionId: string, position: number): Promise<number> {
      return Wait.countDocuments({ sessionId, position: { $lte: position } });
    },
    async countWaiting(sessionId: string): Promise<number> {
      return Wait.countDocuments({ sessionId });
    },
    /** Waiting learners of many sessions in one grouped query, by session id. */
    countWaitingOf: (sessionIds: string[]): Promise<Map<string, number>> => countGrouped(Wait, 'sessionId', sessionIds),
    /** rankOnWaitlist for several places on different lists at once (one grouped query), by session id. */
    async ranksOnWaitlists(places: Array<Pick<WaitDoc, 'sessionId' | 'position'>>): Promise<Map<string, number>> {
      if (!places.length) return new Map();
      const rows = await Wait.aggregate<{ _id: string; n: number }>([
        { $match: { $or: places.map((p) => ({ sessionId: p.sessionId, position: { $lte: p.position } })) } },
        { $group: { _id: '$sessionId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.n]));
    },

    /** One mark per learner and session; marking again replaces it. */
    async putAttendance(a: AttendanceDoc): Promise<void> {
      await Attendance.updateOne({ sessionId: a.sessionId, learnerId: a.learnerId }, { $set: a }, { upsert: true });
    },
    async attendanceOf(sessionId: string): Promise<AttendanceDoc[]> {
      return Attendance.find({ sessionId }).lean<AttendanceDoc[]>();
    },
    async attendanceOfLearners(learnerIds: string[]): Promise<AttendanceDoc[]> {
      if (!learnerIds.length) return [];
      return Attendance.find({ learnerId: { $in: learnerIds } }).lean<AttendanceDoc[]>();
    },
  };
}
export type SeatRepository = ReturnType<typeof createSeatRepository>;
export type { AttendanceStatus };
