import type { EngineClock } from '../../src/core/engine/engineClock';

interface Timer {
  readonly at: number;
  readonly resolve: () => void;
}

/** A clock that moves only when the test moves it; sleeps end in time order as it passes them. */
export class ManualClock implements EngineClock {
  private time: number;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2025, 0, 22, 19, 17, 4)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new Error('aborted'));
        return;
      }
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Moves time on by `ms`, ending each sleep on the way and letting what it started run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
      await settle();
    }
    this.time = target;
    await settle();
  }
}

/** Lets every promise chain that can move, move. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
