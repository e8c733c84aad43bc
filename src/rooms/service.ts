import { createBoard } from './board.ts';
import { createDates } from './dates.ts';
import type { RoomsDeps } from './deps.ts';
import { createDetail } from './detail.ts';
import { createInvitations } from './invitations.ts';
import { createMaterials } from './materials.ts';
import { createOverview } from './overview.ts';
import { createRooms } from './rooms.ts';

/** The Experimentierräume's services, one per concern, all on the same dependencies. */
export function createRoomsService(deps: RoomsDeps) {
  return {
    rooms: createRooms(deps),
    detail: createDetail(deps),
    invitations: createInvitations(deps),
    dates: createDates(deps),
    board: createBoard(deps),
    materials: createMaterials(deps),
    overview: createOverview(deps),
  };
}
export type RoomsService = ReturnType<typeof createRoomsService>;
