import { noLongerNeeded, type EngineClock } from './engineClock';
import type { WriteLimit } from './writeLimit';

/** Write slots taken for one request (a send, or a batch of them). */
export interface WriteTicket {
  readonly count: number;
}

interface Hold extends WriteTicket {
  count: number;
  /** Until when the slots count: Infinity while the request waits for its answer. */
  until: number;
}

interface Waiter {
  readonly count: number;
  readonly resolve: (ticket: WriteTicket) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal?: AbortSignal;
  readonly onAbort?: () => void;
}

/** Our clock reads whole milliseconds: a slot is kept one more, so a write never lands inside the server's window. */
const clockMarginMs = 1;
/** A 429 without Retry-After stops everyone this long. */
const pauseWithoutRetryAfterMs = 1000;
/** Windows without a 429 before the limit is raised again, and how long a 429 is remembered. */
const calmWindowsBeforeRaise = 4;
const throttleMemoryWindows = 10;
/** 429s whose Retry-After ends within this of each other speak of the same freed slot. */
const sameMomentMs = 50;

/**
 * Keeps every sliding window within the write limit. The server counts a write when it arrives, which the
 * client cannot see; so a write counts here from when it is sent until one window after its answer. Any
 * two writes that reach the server less than a window apart then overlap here too, and a server with the
 * same limit never has more of them in its window than the limit.
 *
 * On a 429 everyone waits (Retry-After); when 429s repeat, the limit drops to the writes that were let through
 * in the window: a server whose real limit is lower is found after a few 429s, not a storm of them. The limit creeps
 * back up (+1 per four calm windows near the last 429, a quarter more once it is long past).
 */
export class WritePacer {
  private readonly holds = new Set<Hold>();
  private readonly waiters: Waiter[] = [];
  private writes: number;
  private pausedUntil = 0;
  private lastThrottleAt = -Infinity;
  private lastChangeAt: number;
  private pumping = false;
  private wake: (() => void) | undefined;
  /** When the first waiting request may go, while one waits for a known moment. */
  waitingUntil: number | undefined;

  constructor(
    private readonly configured: WriteLimit,
    private readonly clock: EngineClock,
  ) {
    this.writes = configured.writes;
    this.lastChangeAt = clock.now();
  }

  /** The limit in force now (lower than configured after 429s). */
  get limit(): WriteLimit {
    return { writes: this.writes, windowMs: this.configured.windowMs };
  }

  /** Resolves when `count` writes may be sent now (in the order asked); they count from then on. */
  acquire(count: number, signal?: AbortSignal): Promise<WriteTicket> {
    return new Promise<WriteTicket>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal!.reason);
        this.wake?.();
      };
      const waiter: Waiter = { count, resolve, reject, ...(signal ? { signal, onAbort } : {}) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      void this.pump();
    });
  }

  /** The request was answered (or given up on) at `at`; `admitted` of its writes may have been counted by the server. */
  release(ticket: WriteTicket, at: number, admitted: number = ticket.count): void {
    const hold = ticket as Hold;
    if (!this.holds.has(hold)) return;
    if (admitted <= 0) this.holds.delete(hold);
    else Object.assign(hold, { count: Math.min(admitted, hold.count), until: at + this.configured.windowMs + clockMarginMs });
    this.wake?.();
  }

  /** The request was never sent: its slots are free at once. */
  cancel(ticket: WriteTicket): void {
    this.holds.delete(ticket as Hold);
    this.wake?.();
  }

  /**
   * Graph answered 429 at `at` (release the throttled writes first): everyone waits; at a 429 that follows
   * another within ten windows, the limit comes down to the answered writes still counting (those in flight may be throttled too).
   * One 429 alone may be someone else's burst. Retry-After says when the server's next slot frees: the oldest write held here then
   * stops counting too (once per such moment), so a server with a shorter window than ours is not waited
   * out a whole window of ours.
   */
  throttled(retryAfterMs: number | undefined, at: number): void {
    const freesAt = at + (retryAfterMs ?? pauseWithoutRetryAfterMs);
    this.pausedUntil = Math.max(this.pausedUntil, freesAt);
    this.heldAt(at);
    if (at - this.lastThrottleAt < throttleMemoryWindows * this.configured.windowMs) {
      const answered = [...this.holds].filter((hold) => Number.isFinite(hold.until)).reduce((sum, hold) => sum + hold.count, 0);
      this.writes = Math.max(1, Math.min(this.writes, answered));
    }
    if (retryAfterMs !== undefined) {
      const released = [...this.holds].filter((hold) => Number.isFinite(hold.until));
      if (!released.some((hold) => hold.until <= freesAt + sameMomentMs)) {
        const oldest = released.sort((a, b) => a.until - b.until)[0];
        if (oldest) this.split(oldest, freesAt);
      }
    }
    this.lastThrottleAt = at;
    this.lastChangeAt = at;
    this.wake?.();
  }

  /** One of the hold's slots stops counting at `at`. */
  private split(hold: Hold, at: number): void {
    if (hold.count > 1) {
      hold.count -= 1;
      this.holds.add({ count: 1, until: at });
    } else {
      hold.until = at;
    }
  }

  /** Graph asked everyone to wait (503 with Retry-After) without saying the limit was reached. */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    this.wake?.();
  }

  private heldAt(now: number): number {
    let held = 0;
    for (const hold of this.holds) {
      if (hold.until <= now) this.holds.delete(hold);
      else held += hold.count;
    }
    return held;
  }

  private raiseWhenCalm(now: number): void {
    const windowMs = this.configured.windowMs;
    if (this.writes >= this.configured.writes || now - this.lastChangeAt < calmWindowsBeforeRaise * windowMs) return;
    const nearLastThrottle = now - this.lastThrottleAt < throttleMemoryWindows * windowMs;
    this.writes = Math.min(this.configured.writes, nearLastThrottle ? this.writes + 1 : Math.ceil(this.writes * 1.25));
    this.lastChangeAt = now;
  }

  /** 0 when `count` writes fit now; else how long until they may (Infinity: until an answer comes). */
  private waitMs(count: number, now: number): number {
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.raiseWhenCalm(now);
    const needed = Math.min(count, this.writes);
    let free = this.writes - this.heldAt(now);
    if (free >= needed) return 0;
    const expiring = [...this.holds].filter((hold) => Number.isFinite(hold.until)).sort((a, b) => a.until - b.until);
    for (const hold of expiring) {
      free += hold.count;
      if (free >= needed) return hold.until - now;
    }
    return Infinity;
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.wake?.();
      return;
    }
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const head = this.waiters[0]!;
        const now = this.clock.now();
        const wait = this.waitMs(head.count, now);
        if (wait <= 0) {
          this.waiters.shift();
          if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort);
          const hold: Hold = { count: head.count, until: Infinity };
          this.holds.add(hold);
          head.resolve(hold);
          continue;
        }
        this.waitingUntil = Number.isFinite(wait) ? now + wait : undefined;
        await this.nap(wait);
      }
    } finally {
      this.pumping = false;
      this.waitingUntil = undefined;
    }
  }

  /** Sleeps `ms` or until something changes (an answer, a 429, a waiter leaving). */
  private nap(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const stop = new AbortController();
      const done = (): void => {
        if (this.wake === done) this.wake = undefined;
        stop.abort(noLongerNeeded);
        resolve();
      };
      this.wake = done;
      if (Number.isFinite(ms)) this.clock.sleep(ms, stop.signal).then(done, () => undefined);
    });
  }
}
