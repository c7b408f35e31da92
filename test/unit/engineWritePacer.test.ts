import assert from 'node:assert/strict';
import { WritePacer } from '../../src/core/engine/writePacer';
import { ManualClock, settle } from '../support/manualClock';

/** A server counting writes on arrival in a sliding window, like the emulator and (by its documentation) Intune. */
class WindowServer {
  readonly admitted: number[] = [];
  throttled = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}
  /** undefined when admitted, else the Retry-After in ms until a slot frees. */
  arrive(at: number): number | undefined {
    const inWindow = this.admitted.filter((t) => t > at - this.windowMs);
    if (inWindow.length < this.limit) {
      this.admitted.push(at);
      return undefined;
    }
    this.throttled += 1;
    return inWindow[inWindow.length - this.limit]! + this.windowMs - at;
  }
}

interface Sent {
  sentAt: number;
  answeredAt: number;
}

/** `workers` loops sending `count` writes through the pacer; each reaches the server `arrivalMs` after it leaves. */
async function drive(
  clock: ManualClock,
  pacer: WritePacer,
  server: WindowServer,
  count: number,
  workers: number,
  latencyMs: number,
  arrivalMs: number,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  let left = count;
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left -= 1;
      for (;;) {
        const ticket = await pacer.acquire(1);
        const sentAt = clock.now();
        await clock.sleep(arrivalMs);
        const retryAfter = server.arrive(clock.now());
        await clock.sleep(latencyMs - arrivalMs);
        const answeredAt = clock.now();
        pacer.release(ticket, answeredAt, retryAfter === undefined ? 1 : 0);
        if (retryAfter === undefined) {
          sent.push({ sentAt, answeredAt });
          break;
        }
        pacer.throttled(retryAfter, answeredAt);
        await clock.sleep(retryAfter);
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  let done = false;
  void running.then(() => {
    done = true;
  });
  for (let step = 0; !done && step < 100_000; step++) await clock.advance(5);
  assert.ok(done, 'the writes all went');
  return sent;
}

function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('write pacer (injected clock)', () => {
  it('keeps every sliding window within the limit, however late in the request the server counts it', async () => {
    for (const arrivalMs of [0, 20, 37]) {
      const clock = new ManualClock();
      const pacer = new WritePacer({ writes: 10, windowMs: 1000 }, clock);
      const server = new WindowServer(10, 1000);
      const sent = await drive(clock, pacer, server, 120, 4, 37, arrivalMs);
      assert.equal(sent.length, 120);
      assert.equal(server.throttled, 0, `a server with the same limit never throttles (arrival after ${arrivalMs} ms)`);
      assert.ok(
        mostInAnyWindow(
          sent.map((s) => s.sentAt),
          1000,
        ) <= 10,
      );
      assert.ok(
        mostInAnyWindow(
          sent.map((s) => s.answeredAt),
          1000,
        ) <= 10,
      );
    }
  });

  it('uses the window: 120 writes at 10 per second take about 11 windows, not more', async () => {
    const clock = new ManualClock();
    const pacer = new WritePacer({ writes: 10, windowMs: 1000 }, clock);
    const started = clock.now();
    const sent = await drive(clock, pacer, new WindowServer(10, 1000), 120, 8, 10, 5);
    const span = Math.max(...sent.map((s) => s.sentAt)) - started;
    // A sent write counts until a window after its answer: each window costs 1000 ms plus the 10 ms answer.
    assert.ok(span >= 11 * 1000 && span <= 11 * 1010 + 100, `last write sent after ${span} ms`);
  });

  it('finds a server whose real limit is lower than configured after a few 429s, not a storm', async () => {
    const clock = new ManualClock();
    const pacer = new WritePacer({ writes: 40, windowMs: 1000 }, clock);
    const server = new WindowServer(10, 1000);
    const sent = await drive(clock, pacer, server, 200, 4, 20, 10);
    assert.equal(sent.length, 200);
    assert.ok(server.throttled <= 10, `${server.throttled} 429s for 200 writes`);
    assert.ok(pacer.limit.writes <= 11, `limit now ${pacer.limit.writes}`);
    assert.ok(mostInAnyWindow(server.admitted, 1000) <= 10);
  });

  it('makes everyone wait for Retry-After, and lets the oldest slot go when the server says one frees', async () => {
    const clock = new ManualClock();
    const pacer = new WritePacer({ writes: 2, windowMs: 20_000 }, clock);
    const first = await pacer.acquire(1);
    const second = await pacer.acquire(1);
    pacer.release(first, clock.now());
    pacer.release(second, clock.now());
    const start = clock.now();
    let third: number | undefined;
    void pacer.acquire(1).then(() => {
      third = clock.now();
    });
    await clock.advance(100);
    assert.equal(third, undefined, 'both slots are held for a window');
    pacer.throttled(1500, clock.now());
    await clock.advance(1499);
    assert.equal(third, undefined, 'nobody goes before Retry-After');
    await clock.advance(2);
    assert.equal(third, start + 1600, 'the server said a slot frees then: it does not wait out 20 s');
  });

  it('creeps back up once the 429s stop', async () => {
    const clock = new ManualClock();
    const pacer = new WritePacer({ writes: 10, windowMs: 1000 }, clock);
    const held = await Promise.all([pacer.acquire(1), pacer.acquire(1), pacer.acquire(1)]);
    for (const ticket of held) pacer.release(ticket, clock.now());
    pacer.throttled(500, clock.now());
    assert.equal(pacer.limit.writes, 10, "one 429 alone may be another app's burst: everyone waits, the limit stays");
    pacer.throttled(500, clock.now());
    assert.equal(pacer.limit.writes, 3, 'the next one brings it down to the writes that counted');
    await clock.advance(3900);
    await pacer.acquire(1);
    assert.equal(pacer.limit.writes, 3, 'not before four calm windows');
    await clock.advance(200);
    await pacer.acquire(1);
    assert.equal(pacer.limit.writes, 4, 'one more after four calm windows near the last 429');
    await clock.advance(12_000);
    await pacer.acquire(1);
    assert.equal(pacer.limit.writes, 5, 'a quarter more once the 429 is long past (ceil(4 × 1.25))');
  });

  it('serves waiters in order (a batch is not starved by single writes) and forgets one that gives up', async () => {
    const clock = new ManualClock();
    const pacer = new WritePacer({ writes: 3, windowMs: 1000 }, clock);
    const first = await pacer.acquire(3);
    const order: string[] = [];
    const stop = new AbortController();
    const gone = pacer.acquire(1, stop.signal).catch(() => order.push('gave up'));
    void pacer.acquire(3).then((batch) => {
      order.push('batch');
      pacer.release(batch, clock.now());
    });
    void pacer.acquire(1).then(() => order.push('single'));
    stop.abort();
    await gone;
    pacer.release(first, clock.now());
    await clock.advance(1001);
    await settle();
    assert.deepEqual(order, ['gave up', 'batch']);
    await clock.advance(2000);
    assert.deepEqual(order, ['gave up', 'batch', 'single']);
  });
});
