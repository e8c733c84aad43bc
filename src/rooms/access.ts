import { forbidden, notFound } from '../shared/errors.ts';
import type { Viewer } from './ports.ts';
import type { Room, RoomRepository } from './repository.ts';

/** How a person stands in a room: its leads moderate, participants take part, admins look on. */
export type RoomRole = 'lead' | 'participant' | 'admin';

/** The opening Lotse and the co-moderators lead the room. */
export const isLead = (room: Pick<Room, 'leadId' | 'coModeratorIds'>, userId: string): boolean =>
  Boolean(userId) && (room.leadId === userId || room.coModeratorIds.includes(userId));

/** Who may see and who may change a room: every service asks here first. */
export function createAccess(repo: RoomRepository) {
  async function roleIn(viewer: Viewer, room: Room): Promise<RoomRole | undefined> {
    if (isLead(room, viewer.id)) return 'lead';
    if (await repo.isMember(room.id, viewer.id)) return 'participant';
    if (viewer.roles.includes('admin')) return 'admin';
    return undefined;
  }
  async function roomOr404(roomId: string): Promise<Room> {
    const room = await repo.findRoom(roomId);
    if (!room) throw notFound('rooms:errors.roomNotFound');
    return room;
  }
  return {
    roleIn,
    roomOr404,
    /** The room and the viewer's role; 403 for anyone who is neither lead, participant nor admin. */
    async visible(viewer: Viewer, roomId: string): Promise<{ room: Room; role: RoomRole }> {
      const room = await roomOr404(roomId);
      const role = await roleIn(viewer, room);
      if (!role) throw forbidden('rooms:errors.notMember');
      return { room, role };
    },
    /** The room for one of its leads; 403 for everyone else (admins too: the room is the Lotse's). */
    async led(viewer: Viewer, roomId: string): Promise<Room> {
      const room = await roomOr404(roomId);
      if (!isLead(room, viewer.id)) throw forbidden('rooms:errors.notLead');
      return room;
    },
  };
}
export type Access = ReturnType<typeof createAccess>;
