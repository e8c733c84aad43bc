import type { RoomStatus } from './model.ts';
import { MIN_DATES } from './schemas.ts';

/** What the status rules read of a room. */
interface StatusFacts {
  dates: Array<{ heldAt: Date | null }>;
  finishedAt: Date | null;
}

export const datesHeld = (room: StatusFacts): number => room.dates.filter((d) => d.heldAt).length;

/**
 * The status rules (src/rooms/README.md): a date counts as held once its attendance is recorded.
 * planned: none held yet; running: at least one; finished: the lead marked it finished (possible
 * from MIN_DATES dates held on), or every planned date is held (set automatically then).
 */
export function statusOf(room: StatusFacts): RoomStatus {
  if (room.finishedAt) return 'finished';
  return datesHeld(room) > 0 ? 'running' : 'planned';
}

/** Whether recording the attendance has just held the last date: the room then finishes by itself. */
export const allDatesHeld = (room: StatusFacts): boolean => room.dates.length >= MIN_DATES && datesHeld(room) === room.dates.length;

/** The lead may mark the room finished once this many dates are held. */
export const canFinish = (room: StatusFacts): boolean => !room.finishedAt && datesHeld(room) >= MIN_DATES;
