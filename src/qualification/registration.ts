import type { Clock } from '../shared/clock.ts';
import { DomainError, conflict, notFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { EligibilityService } from './eligibility.ts';
import { openModules } from './eligibility.ts';
import type { RegistrationMails } from './mails.ts';
import type { MissingReasons } from './missing.ts';
import type { MissingItem } from './ports.ts';
import type { PrerequisiteRepository } from './prerequisite-repository.ts';
import type { RequirementsService } from './requirements.ts';
import type { SeatRepository } from './seat-repository.ts';
import type { Q2Session, SessionRepository } from './session-repository.ts';

export type RegistrationState = { status: 'registered' | 'waiting' | 'none'; position?: number };
export interface SessionCounts {
  participants: number;
  waiting: number;
}

export type RegistrationResult = { status: 'registered'; seatNumber: number } | { status: 'waiting'; position: number };

export interface RegistrationDeps {
  sessions: SessionRepository;
  seats: SeatRepository;
  prerequisites: PrerequisiteRepository;
  requirements: RequirementsService;
  eligibility: EligibilityService;
  mails: RegistrationMails;
  reasons: MissingReasons;
  clock: Clock;
  logger: Logger;
}

/** Refused with every reason at once; 403 when only the learner's own qualification is missing, else 409. */
export function registrationRefused(reasons: MissingItem[]): DomainError {
  const own = reasons.every((r) => r.code.startsWith('authorisation') || r.code.startsWith('workshop') || r.code === 'q1-incomplete');
  return new DomainError(own ? 'forbidden' : 'conflict', 'qualification:errors.registrationRefused', { reasons });
}

/**
 * Gated registration for Q2 sessions with capacity and a waiting list. Capacity is guarded by the
 * unique (sessionId, seatNumber) index alone (see model.ts): no read-then-write decides who gets a seat.
 */
export function createRegistrationService(deps: RegistrationDeps) {
  const { sessions, seats, clock } = deps;
  const { alreadyRegistered, prerequisiteGaps, q1Incomplete, registrationClosed } = deps.reasons;

  async function sessionOr404(id: string): Promise<Q2Session> {
    const s = await sessions.findSession(id);
    if (!s) throw notFound('qualification:errors.sessionNotFound');
    return s;
  }

  /** Every reason this learner may not register for this session now (empty: may register). */
  async function gate(learnerId: string, session: Q2Session): Promise<MissingItem[]> {
    const req = await deps.requirements.get();
    const topic = req.q2Topics.find((t) => t.key === session.topic);
    const [p, seat, wait] = await Promise.all([deps.prerequisites.get(learnerId), seats.seatOf(session.id, learnerId), seats.waitOf(session.id, learnerId)]);
    const reasons = prerequisiteGaps(p);
    if (topic?.requiresQ1) {
      const open = openModules(await deps.eligibility.q1Progress(learnerId, req));
      if (open.length) reasons.push(q1Incomplete(open, true));
    }
    if (clock.now() > session.registrationDeadline) reasons.push(registrationClosed(session.registrationDeadline));
    if (seat || wait) reasons.push(alreadyRegistered(session.id, !seat));
    return reasons;
  }

  /** Tries the free seat numbers until one insert wins; re-reads when others won them all meanwhile. */
  async function claimAnySeat(session: Q2Session, learnerId: string): Promise<number | 'full' | 'already'> {
    for (;;) {
      const taken = await seats.takenSeatNumbers(session.id);
      const free = Array.from({ length: session.capacity }, (_, i) => i + 1).filter((n) => !taken.has(n));
      if (!free.length) return 'full';
      for (const n of free) {
        const r = await seats.claimSeat(session.id, n, learnerId, clock.now());
        if (r === 'seated') return n;
        if (r === 'already') return 'already';
      }
    }
  }

  /**
   * Moves waiting learners, lowest position first, onto free seats. Safe to run concurrently: a learner
   * promoted by another run is 'already' seated here, and only the run that seated someone mails them.
   */
  async function promoteWaiting(session: Q2Session, quietFor?: string): Promise<string[]> {
    const promoted: string[] = [];
    for (;;) {
      const first = await seats.firstWaiting(session.id);
      if (!first) break;
      const r = await claimAnySeat(session, first.learnerId);
      if (r === 'full') break;
      await seats.leaveWaitlist(session.id, first.learnerId);
      if (r === 'already') continue;
      promoted.push(first.learnerId);
      if (first.learnerId !== quietFor) {
        await deps.mails.promoted(first.learnerId, session).catch((err: unknown) => deps.logger.warn({ err }, 'promotion mail failed'));
      }
    }
    return promoted;
  }

  /** This learner's state for each session: the learner's seats and waits, then one rank query for the waits. */
  async function statesOf(learnerId: string, sessionIds: string[]): Promise<Map<string, RegistrationState>> {
    const wanted = new Set(sessionIds);
    const [seated, waits] = await Promise.all([seats.seatsOfLearner(learnerId), seats.waitsOfLearner(learnerId)]);
    const seatedIn = new Set(seated.map((s) => s.sessionId));
    const waiting = waits.filter((w) => wanted.has(w.sessionId) && !seatedIn.has(w.sessionId));
    const ranks = await seats.ranksOnWaitlists(waiting);
    const out = new Map<string, RegistrationState>(sessionIds.map((id) => [id, { status: 'none' }]));
    for (const w of waiting) out.set(w.sessionId, { status: 'waiting', position: ranks.get(w.sessionId) ?? 1 });
    for (const id of sessionIds) if (seatedIn.has(id)) out.set(id, { status: 'registered' });
    return out;
  }

  async function countsOf(sessionIds: string[]): Promise<Map<string, SessionCounts>> {
    const [participants, waiting] = await Promise.all([seats.countSeatsOf(sessionIds), seats.countWaitingOf(sessionIds)]);
    return new Map(sessionIds.map((id) => [id, { participants: participants.get(id) ?? 0, waiting: waiting.get(id) ?? 0 }]));
  }

  return {
    gate: async (learnerId: string, sessionId: string) => gate(learnerId, await sessionOr404(sessionId)),

    /** Registers or puts on the waiting list; throws registrationRefused with every reason. */
    async register(learnerId: string, sessionId: string): Promise<RegistrationResult> {
      const session = await sessionOr404(sessionId);
      const reasons = await gate(learnerId, session);
      if (reasons.length) throw registrationRefused(reasons);

      // newcomers queue behind those already waiting; a seat goes straight to them only when nobody waits
      let result: RegistrationResult | undefined;
      if ((await seats.countWaiting(session.id)) === 0) {
        const r = await claimAnySeat(session, learnerId);
        if (r === 'already') throw registrationRefused([alreadyRegistered(session.id, false)]);
        if (r !== 'full') result = { status: 'registered', seatNumber: r };
      }
      if (!result) {
        const w = await seats.joinWaitlist(session.id, learnerId, clock.now());
        if (w === 'already') throw registrationRefused([alreadyRegistered(session.id, true)]);
        // a seat may have been freed between "full" and joining the list: fill it from the list now
        await promoteWaiting(session, learnerId);
        const seat = await seats.seatOf(session.id, learnerId);
        result = seat
          ? { status: 'registered', seatNumber: seat.seatNumber }
          : { status: 'waiting', position: await seats.rankOnWaitlist(session.id, w.position) };
      }
      await deps.mails.registered(learnerId, session, result).catch((err: unknown) => deps.logger.warn({ err }, 'registration mail failed'));
      return result;
    },

    /** Gives up a seat (until the cancellation deadline) or a place on the waiting list (any time). */
    async cancel(learnerId: string, sessionId: string): Promise<{ promoted: string[] }> {
      const session = await sessionOr404(sessionId);
      if (await seats.leaveWaitlist(session.id, learnerId)) return { promoted: [] };
      if (!(await seats.seatOf(session.id, learnerId))) throw notFound('qualification:errors.notRegistered');
      if (clock.now() > session.cancellationDeadline) throw conflict('qualification:errors.cancellationClosed');
      await seats.releaseSeat(session.id, learnerId);
      return { promoted: await promoteWaiting(session) };
    },

    /** After a capacity change: fill any new seats from the waiting list. */
    promoteWaiting: async (sessionId: string) => promoteWaiting(await sessionOr404(sessionId)),

    /** This learner's state for one session. */
    async stateOf(learnerId: string, sessionId: string): Promise<RegistrationState> {
      return (await statesOf(learnerId, [sessionId])).get(sessionId)!;
    },
    statesOf,

    async counts(sessionId: string): Promise<SessionCounts> {
      return (await countsOf([sessionId])).get(sessionId)!;
    },
    countsOf,

    /** A list of sessions with this learner's state and the counts of each, in a fixed number of queries. */
    async listWithStates(learnerId: string, list: Q2Session[]): Promise<Array<{ session: Q2Session; state: RegistrationState; counts: SessionCounts }>> {
      const ids = list.map((s) => s.id);
      const [states, counts] = await Promise.all([statesOf(learnerId, ids), countsOf(ids)]);
      return list.map((session) => ({ session, state: states.get(session.id)!, counts: counts.get(session.id)! }));
    },
  };
}
export type RegistrationService = ReturnType<typeof createRegistrationService>;
