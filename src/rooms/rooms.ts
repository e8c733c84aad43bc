import { randomBytes } from 'node:crypto';
import { conflict, forbidden, validationError } from '../shared/errors.ts';
import { isLead, type RoomRole } from './access.ts';
import type { RoomsDeps } from './deps.ts';
import type { RoomDateDoc } from './model.ts';
import type { Viewer } from './ports.ts';
import type { Room } from './repository.ts';
import { canFinish, datesHeld, statusOf } from './room-status.ts';
import type { RoomInput } from './schemas.ts';

const newDateKey = () => randomBytes(5).toString('hex');

/** The year a room belongs to in reports: that of its first date, in German time. */
const yearOf = (dates: Array<{ startsAt: Date }>): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(dates[0]?.startsAt ?? new Date()));

/** A room with the figures every list shows. */
export interface RoomRow {
  room: Room;
  role: RoomRole;
  status: Room['status'];
  datesHeld: number;
  participants: number;
  nextDate?: Date;
}

/** Opening, editing, listing and finishing rooms. */
export function createRooms(deps: RoomsDeps) {
  const { repo, access, people, clock } = deps;

  /** The co-moderators by e-mail: each must be a certified Lotse other than the lead. */
  async function coModerators(leadId: string, emails: string[]): Promise<string[]> {
    if (!emails.length) return [];
    const found = await people.findUsersByEmails(emails);
    const ids: string[] = [];
    for (const email of emails) {
      const p = found.find((f) => f.email.toLowerCase() === email);
      if (!p || p.id === leadId || !(await deps.certified.isCertified(p.id))) {
        throw coModeratorError(email);
      }
      ids.push(p.id);
    }
    return [...new Set(ids)];
  }

  /** Keeps the keys of dates that stay (their registrations point to them), gives new ones theirs. */
  function datesFrom(input: RoomInput['dates'], before: RoomDateDoc[] = []): RoomDateDoc[] {
    const old = new Map(before.map((d) => [d.key, d]));
    return input.map((d) => ({
      key: d.key && old.has(d.key) ? d.key : newDateKey(),
      startsAt: d.startsAt,
      mode: d.mode,
      place: d.place,
      heldAt: (d.key && old.get(d.key)?.heldAt) || null,
    }));
  }

  function fields(input: RoomInput) {
    return {
      title: input.title,
      topic: input.topic,
      region: input.region,
      targetTrade: input.targetTrade,
      targetSize: input.targetSize,
      description: input.description,
      capacity: input.capacity,
      experts: input.experts,
    };
  }

  return {
    /** Opens a room: only a certified Lotse (a certificate that is not revoked) may. */
    async open(viewer: Viewer, input: RoomInput): Promise<Room> {
      if (!(await deps.certified.isCertified(viewer.id))) throw forbidden('rooms:errors.notCertified');
      const dates = datesFrom(input.dates);
      return repo.insertRoom({
        ...fields(input),
        leadId: viewer.id,
        coModeratorIds: await coModerators(viewer.id, input.coModeratorEmails),
        dates,
        status: 'planned',
        year: yearOf(dates),
        finishedAt: null,
        linkToken: '',
      });
    },

    /** Edits a room while it is planned (no date held yet); only its leads may. */
    async update(viewer: Viewer, roomId: string, input: RoomInput): Promise<Room> {
      const room = await access.led(viewer, roomId);
      if (statusOf(room) !== 'planned') throw conflict('rooms:errors.notPlanned');
      if (input.capacity < (await repo.countMembers(room.id))) {
        throw validationError('rooms:errors.capacityBelowMembers', [{ field: 'capacity', message: 'rooms:errors.capacityBelowMembers' }]);
      }
      const dates = datesFrom(input.dates, room.dates);
      const updated = await repo.updateRoom(room.id, {
        ...fields(input),
        coModeratorIds: await coModerators(room.leadId, input.coModeratorEmails),
        dates,
        year: yearOf(dates),
      });
      return updated ?? room;
    },

    /** The rooms the viewer leads or takes part in, with their figures, newest first. */
    async mine(viewer: Viewer): Promise<RoomRow[]> {
      const [led, memberOf] = await Promise.all([repo.roomsLedBy(viewer.id), repo.roomIdsOfMember(viewer.id)]);
      const ledIds = new Set(led.map((r) => r.id));
      const joined = await repo.findRooms(memberOf.filter((id) => !ledIds.has(id)));
      const rooms = [...led, ...joined].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const members = await repo.membersOfRooms(rooms.map((r) => r.id));
      const now = clock.now();
      return rooms.map((room) => ({
        room,
        role: isLead(room, viewer.id) ? 'lead' : 'participant',
        status: statusOf(room),
        datesHeld: datesHeld(room),
        participants: members.filter((m) => m.roomId === room.id).length,
        nextDate: room.dates.find((d) => d.startsAt > now)?.startsAt,
      }));
    },

    /** Whether the viewer may open rooms (the list page offers the button only then). */
    canOpen: (viewer: Viewer) => deps.certified.isCertified(viewer.id),

    /** The room's edit form values (leads only). */
    async forEdit(viewer: Viewer, roomId: string) {
      const room = await access.led(viewer, roomId);
      const co = await people.findUsers(room.coModeratorIds);
      return { room, coModeratorEmails: co.map((p) => p.email).join('\n') };
    },

    /** The lead marks the room finished: possible once at least four dates are held. */
    async finish(viewer: Viewer, roomId: string): Promise<Room> {
      const room = await access.led(viewer, roomId);
      if (!canFinish(room)) throw conflict('rooms:errors.cannotFinish');
      return (await repo.updateRoom(room.id, { finishedAt: clock.now(), status: 'finished' })) ?? room;
    },
  };
}
export type Rooms = ReturnType<typeof createRooms>;

/** A co-moderator that cannot be one, named in the message (translate() interpolates the details). */
function coModeratorError(email: string) {
  const err = validationError('rooms:errors.coModerator', [{ field: 'coModeratorEmails', message: 'rooms:errors.coModerator' }]);
  err.details.email = email;
  return err;
}
