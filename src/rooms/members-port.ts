import type { RoomMembersPort } from '../community/ports.ts';
import { isLead } from './access.ts';
import type { RoomRepository } from './repository.ts';

/**
 * Who belongs to a room's space in the community (threads, chat, files): its leads (who moderate)
 * and its participants, read from the room on every access like the community's other spaces.
 */
export function createRoomMembersPort(repo: RoomRepository): RoomMembersPort {
  return {
    async roleIn(roomId, userId) {
      const room = await repo.findRoom(roomId);
      if (!room) return undefined;
      if (isLead(room, userId)) return { title: room.title, lead: true };
      return (await repo.isMember(room.id, userId)) ? { title: room.title, lead: false } : undefined;
    },
    async titleOf(roomId) {
      return (await repo.findRoom(roomId))?.title;
    },
    async roomIdsOf(userId) {
      const [led, joined] = await Promise.all([repo.roomsLedBy(userId), repo.roomIdsOfMember(userId)]);
      return [...new Set([...led.map((r) => r.id), ...joined])];
    },
    async memberIdsOf(roomId) {
      const room = await repo.findRoom(roomId);
      if (!room) return [];
      return [room.leadId, ...room.coModeratorIds, ...(await repo.membersOf(room.id)).map((m) => m.userId)].filter(Boolean);
    },
  };
}
