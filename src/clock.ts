/** A source of the current time; injected everywhere so tests and the sandbox clock can drive time. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests. */
export function createManualClock(
  start: Date = new Date(),
): Clock & { set(d: Date): void; advance(ms: number): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d: Date) => {
      t = d.getTime();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}
