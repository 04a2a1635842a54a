import type { Clock } from '../../../src/core/clock.js';

/** The clock seam: time moves only when a test (or a sleep) moves it. */
export function manualClock(start = Date.parse('2026-11-23T12:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
