import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { learnerAgent, PLATFORM_CONTEXT, PLATFORM_VERBS } from '../shared/platform-statements.ts';
import type { AttendanceStatus } from './model.ts';
import type { DirectoryPort, LrsPort, Person } from './ports.ts';
import type { SeatRepository } from './seat-repository.ts';
import type { Q2Session } from './session-repository.ts';

export const ATTENDED_VERB = PLATFORM_VERBS.attended.id;
export const ATTENDANCE_STATUS_EXTENSION = 'https://gezu-lotse.de/xapi/extensions/attendance-status';

export const sessionActivityId = (baseUrl: string, sessionId: string) => `${baseUrl}/sessions/${sessionId}`;

/**
 * The statement for one attendance mark (xAPI 1.0.3 §2.4): verb "attended", the session as activity,
 * result.success true only for "attended"; absent and excused keep the mark in a result extension.
 */
export function attendanceStatement(opts: {
  baseUrl: string;
  learner: Person;
  trainer: Person;
  session: Q2Session;
  status: AttendanceStatus;
  timestamp: Date;
}) {
  const { baseUrl, session } = opts;
  return {
    id: randomUUID(),
    actor: learnerAgent(baseUrl, opts.learner),
    verb: PLATFORM_VERBS.attended,
    object: {
      objectType: 'Activity',
      id: sessionActivityId(baseUrl, session.id),
      definition: {
        type: 'http://adlnet.gov/expapi/activities/meeting',
        name: { 'de-DE': session.title },
        description: { 'de-DE': `Q2-Termin (${session.format === 'virtuell' ? 'virtuell' : 'Präsenz'})` },
      },
    },
    result: { success: opts.status === 'attended', completion: opts.status === 'attended', extensions: { [ATTENDANCE_STATUS_EXTENSION]: opts.status } },
    context: {
      instructor: learnerAgent(baseUrl, opts.trainer),
      ...PLATFORM_CONTEXT,
      contextActivities: { category: [{ objectType: 'Activity', id: `${baseUrl}/qualification/topics/${encodeURIComponent(session.topic)}` }] },
    },
    timestamp: opts.timestamp.toISOString(),
  };
}

/** Trainers' attendance marks: each becomes a statement in the LRS, then the projection we read from. */
export function createAttendanceService(deps: { seats: SeatRepository; directory: DirectoryPort; lrs: LrsPort; clock: Clock; publicUrl: () => string }) {
  return {
    /** A mark from the session's start on: before it nobody can have attended (or missed) it. */
    async mark(trainerId: string, session: Q2Session, learnerId: string, status: AttendanceStatus): Promise<{ statementId: string }> {
      if (deps.clock.now() < session.startsAt) throw new DomainError('conflict', 'qualification:errors.attendanceBeforeStart');
      if (!(await deps.seats.seatOf(session.id, learnerId))) throw new DomainError('conflict', 'qualification:errors.notParticipant');
      const people = await deps.directory.findUsers([learnerId, trainerId]);
      const learner = people.find((p) => p.id === learnerId);
      const trainer = people.find((p) => p.id === trainerId);
      if (!learner || !trainer) throw new DomainError('not-found', 'qualification:errors.personNotFound');
      const now = deps.clock.now();
      const statement = attendanceStatement({ baseUrl: deps.publicUrl(), learner, trainer, session, status, timestamp: now });
      // the LRS first: a mark that is not in the LRS must not count
      const [statementId = statement.id] = await deps.lrs.storeStatements([statement]);
      await deps.seats.putAttendance({ sessionId: session.id, learnerId, topic: session.topic, status, markedBy: trainerId, markedAt: now, statementId });
      return { statementId };
    },
  };
}
export type AttendanceService = ReturnType<typeof createAttendanceService>;
