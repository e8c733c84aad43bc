import type { Clock } from '../../src/shared/clock.ts';

/** A clock the test can move: forward by some time, to a moment, and back to the real time. */
export function movableClock(): Clock & { advance(ms: number): void; travelTo(at: Date): void; reset(): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
    travelTo: (at) => {
      offset = at.getTime() - Date.now();
    },
    reset: () => {
      offset = 0;
    },
  };
}
