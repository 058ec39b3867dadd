/** The one source of "now" for history and maintenance arithmetic, so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
