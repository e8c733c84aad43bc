import { conflict } from '../shared/errors.ts';
import type { RoomsDeps } from './deps.ts';
import { dateOf } from './dates.ts';
import type { Viewer } from './ports.ts';
import { roomResultStatement } from './records.ts';
import type { ResultInput } from './schemas.ts';

/**
 * The results board: per date what was tried, what worked, the next steps. Everyone in the room
 * reads it; only its leads curate it (from the date's start on), and each save is recorded in the
 * LRS as "shared" by the lead.
 */
export function createBoard(deps: RoomsDeps) {
  const { repo, access, clock } = deps;
  return {
    async save(viewer: Viewer, roomId: string, dateKey: string, input: ResultInput): Promise<void> {
      const room = await access.led(viewer, roomId);
      const { date, number } = dateOf(room, dateKey);
      if (date.startsAt > clock.now()) throw conflict('rooms:errors.resultBeforeStart');
      const [lead] = await deps.people.findUsers([viewer.id]);
      const now = clock.now();
      await deps.lrs.storeStatements([
        roomResultStatement({ baseUrl: deps.publicUrl(), room, dateKey, dateNumber: number, lead: lead ?? { id: viewer.id, name: '' }, at: now }),
      ]);
      await repo.putResult({ roomId: room.id, dateKey, ...input, updatedBy: viewer.id, updatedAt: now });
    },
    /** The board of a room for anyone who may see it, in date order. */
    async of(viewer: Viewer, roomId: string) {
      const { room, role } = await access.visible(viewer, roomId);
      const results = new Map((await repo.resultsOf(room.id)).map((r) => [r.dateKey, r]));
      const now = clock.now();
      return {
        room,
        role,
        entries: room.dates.map((d, i) => ({ date: d, number: i + 1, started: d.startsAt <= now, result: results.get(d.key) })),
      };
    },
  };
}
export type Board = ReturnType<typeof createBoard>;
