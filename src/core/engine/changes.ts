import { noLongerNeeded, type EngineClock } from './engineClock';

/** Wakes the run's loops when something they wait on changes, or at a moment asked for (an alarm). */
export class Changes {
  private waiters: (() => void)[] = [];
  private alarm: { at: number; stop: AbortController } | undefined;
  private readonly disposed = new AbortController();

  constructor(private readonly clock: EngineClock) {}

  /** Resolves at the next notify(). */
  next(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Notifies at `at` (ms since the epoch), unless an earlier alarm is already set. */
  alarmAt(at: number): void {
    if (this.disposed.signal.aborted || (this.alarm && this.alarm.at <= at)) return;
    this.alarm?.stop.abort(noLongerNeeded);
    const stop = new AbortController();
    this.alarm = { at, stop };
    this.clock.sleep(Math.max(0, at - this.clock.now()), AbortSignal.any([stop.signal, this.disposed.signal])).then(
      () => {
        if (this.alarm?.stop === stop) this.alarm = undefined;
        this.notify();
      },
      () => undefined,
    );
  }

  /** Waits `ms`, or less once disposed; never rejects. */
  sleep(ms: number): Promise<void> {
    return this.clock.sleep(ms, this.disposed.signal).catch(() => undefined);
  }

  /** Calls `tick` every `ms` until disposed. */
  async every(ms: number, tick: () => void): Promise<void> {
    while (!this.disposed.signal.aborted) {
      await this.sleep(ms);
      if (!this.disposed.signal.aborted) tick();
    }
  }

  dispose(): void {
    this.disposed.abort(noLongerNeeded);
    this.notify();
  }
}
