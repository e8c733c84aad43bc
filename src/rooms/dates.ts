import { conflict, notFound, validationError } from '../shared/errors.ts';
import type { RoomsDeps } from './deps.ts';
import type { Viewer } from './ports.ts';
import type { Room } from './repository.ts';
import { roomAttendanceStatement } from './records.ts';
import { allDatesHeld, statusOf } from './room-status.ts';

/** The date of a room by its key, with its number (1-based, in date order). */
export function dateOf(room: Room, dateKey: string) {
  const index = room.dates.findIndex((d) => d.key === dateKey);
  if (index < 0) throw notFound('rooms:errors.dateNotFound');
  return { date: room.dates[index]!, number: index + 1, index };
}

/**
 * Registration per date (participants) and attendance (the leads, after the date has begun). The
 * attendance goes to the LRS first (verb attended), then into the room's records; recording it
 * holds the date, and holding the last one finishes the room (room-status.ts).
 */
export function createDates(deps: RoomsDeps) {
  const { repo, access, clock } = deps;
  return {
    /** A participant registers for a date, or takes the registration back, until the date begins. */
    async setRegistration(viewer: Viewer, roomId: string, dateKey: string, register: boolean): Promise<void> {
      const { room, role } = await access.visible(viewer, roomId);
      if (role !== 'participant') throw conflict('rooms:errors.onlyParticipants');
      const { date } = dateOf(room, dateKey);
      if (date.startsAt <= clock.now() || statusOf(room) === 'finished') throw conflict('rooms:errors.datePast');
      await repo.setRegistered(room.id, dateKey, viewer.id, register, clock.now());
    },

    /** The attendance form of a date: every participant, whether registered, and what is recorded. */
    async attendanceSheet(viewer: Viewer, roomId: string, dateKey: string) {
      const room = await access.led(viewer, roomId);
      const { date, number } = dateOf(room, dateKey);
      const [members, registrations] = await Promise.all([repo.membersOf(room.id), repo.registrationsOf(room.id)]);
      const people = await deps.people.findUsers(members.map((m) => m.userId));
      const profiles = new Map((await repo.guestProfiles(members.map((m) => m.userId))).map((p) => [p.userId, p]));
      const regs = new Map(registrations.filter((r) => r.dateKey === dateKey).map((r) => [r.userId, r]));
      return {
        room,
        date,
        number,
        started: date.startsAt <= clock.now(),
        rows: people
          .map((p) => ({
            id: p.id,
            name: p.name,
            company: profiles.get(p.id)?.company ?? p.organisation,
            registered: regs.get(p.id)?.registered ?? false,
            attended: regs.get(p.id)?.attended ?? null,
          }))
          .sort((a, b) => a.name.localeCompare(b.name, 'de')),
      };
    },

    /** Records who attended (the ticked ones) and who did not (the others), from the date's start on. */
    async recordAttendance(viewer: Viewer, roomId: string, dateKey: string, attendedIds: string[]): Promise<{ statements: number; finished: boolean }> {
      const room = await access.led(viewer, roomId);
      const { date, number } = dateOf(room, dateKey);
      if (date.startsAt > clock.now()) throw conflict('rooms:errors.attendanceBeforeStart');
      if (room.finishedAt) throw conflict('rooms:errors.roomFinished');
      const members = await repo.membersOf(room.id);
      const memberIds = new Set(members.map((m) => m.userId));
      if (attendedIds.some((id) => !memberIds.has(id)))
        throw validationError('rooms:errors.notParticipant', [{ field: 'attended', message: 'rooms:errors.notParticipant' }]);
      const people = await deps.people.findUsers([...memberIds, viewer.id]);
      const lead = people.find((p) => p.id === viewer.id) ?? { id: viewer.id, name: '' };
      const now = clock.now();
      const entries = people
        .filter((p) => memberIds.has(p.id))
        .map((p) => ({
          person: p,
          attended: attendedIds.includes(p.id),
          statement: roomAttendanceStatement({
            baseUrl: deps.publicUrl(),
            room,
            dateKey,
            dateNumber: number,
            person: p,
            lead,
            attended: attendedIds.includes(p.id),
            at: now,
          }),
        }));
      // the LRS first: an attendance that is not in the LRS must not count
      const ids = entries.length ? await deps.lrs.storeStatements(entries.map((e) => e.statement)) : [];
      for (const [i, e] of entries.entries()) {
        await repo.putAttendance({
          roomId: room.id,
          dateKey,
          userId: e.person.id,
          attended: e.attended,
          markedBy: viewer.id,
          at: now,
          statementId: ids[i] ?? e.statement.id,
        });
      }
      const dates = room.dates.map((d) => (d.key === dateKey ? { ...d, heldAt: d.heldAt ?? now } : d));
      const held = { ...room, dates };
      const finished = allDatesHeld(held);
      await repo.updateRoom(room.id, { dates, status: finished ? 'finished' : statusOf(held), ...(finished ? { finishedAt: now } : {}) });
      return { statements: entries.length, finished };
    },
  };
}
export type Dates = ReturnType<typeof createDates>;
