import { abortableSleep } from '../abort';

/** Time as the engine sees it; tests inject one that they move by hand. */
export interface EngineClock {
  /** Milliseconds since the epoch, never going backwards. */
  now(): number;
  /** Waits `ms`, or rejects as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock as read at start-up, moved on by the monotonic clock: close to Date.now(), and never stepped back. */
export const systemClock: EngineClock = {
  now: () => Math.floor(performance.timeOrigin + performance.now()),
  sleep: abortableSleep,
};

/** The reason given when a wait is simply no longer needed: made once, since each new abort reason costs a stack trace. */
export const noLongerNeeded: Error = new Error('No longer needed.');
