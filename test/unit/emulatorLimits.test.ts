import assert from 'node:assert/strict';
import { type Emulator, type EmulatorOptions, sampleIds, startEmulator } from '../../src/emulator';
import { formatRetryAfter, WriteLimiter } from '../../src/emulator/throttle';

const OPERATIONS = `/beta/deviceAppManagement/managedAppRegistrations/${sampleIds.registrations.meganAndroidOutlook}/operations`;
const OTHER_TENANT = '06805082-8944-4d26-b2da-3a56e61a4522';

/** A clock the test moves by hand, so windows are exact. */
function manualClock(start = 10_000): { read: () => number; advance: (ms: number) => void } {
  let now = start;
  return { read: () => now, advance: (ms) => void (now += ms) };
}

interface Reply {
  status: number;
  retryAfter: string | null;
  // Tests read into Graph payloads; a precise type would only restate the assertions.
  json: any;
}

async function send(emulator: Emulator, target: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<Reply> {
  const response = await fetch(`${emulator.url}${target}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${init.token ?? emulator.mintToken()}`, 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: text ? JSON.parse(text) : undefined };
}

const post = (emulator: Emulator, token?: string): Promise<Reply> => send(emulator, OPERATIONS, { token, body: { displayName: 'Wipe', state: 'pending' } });

describe('Graph emulator write limits', () => {
  describe('the sliding window, on an injected clock', () => {
    const perTenantOnly = (writesPerWindow: number, windowMs: number) => ({ perApp: null, perTenant: { writesPerWindow, windowMs }, retryAfterDecimals: 3 });
    const writer = { tenant: 't', app: 'a' };

    it('admits up to the limit in any window and frees a slot exactly when the oldest write leaves it', () => {
      const clock = manualClock(0);
      const limiter = new WriteLimiter(perTenantOnly(3, 1000), clock.read);
      for (const at of [0, 100, 250]) {
        clock.advance(at - clock.read());
        assert.deepEqual(limiter.admit(writer), { admitted: true }, `write at ${at}`);
      }
      clock.advance(50);
      assert.deepEqual(limiter.admit(writer), { admitted: false, limit: 'perTenant', waitMs: 700, retryAfter: '0.7' });
      clock.advance(699.5);
      assert.equal(limiter.admit(writer).admitted, false);
      assert.equal((limiter.admit(writer) as { retryAfter: string }).retryAfter, '0.001', 'half a millisecond rounds up, never to 0');
      clock.advance(0.5);
      assert.deepEqual(limiter.admit(writer), { admitted: true }, 'at 1000 the write made at 0 has left');
      assert.deepEqual(limiter.admit(writer), { admitted: false, limit: 'perTenant', waitMs: 100, retryAfter: '0.1' });
    });

    it('counts only admitted writes', () => {
      const clock = manualClock();
      const limiter = new WriteLimiter(perTenantOnly(2, 500), clock.read);
      limiter.admit(writer);
      limiter.admit(writer);
      for (let index = 0; index < 50; index++) assert.equal(limiter.admit(writer).admitted, false);
      clock.advance(500);
      assert.equal(limiter.admit(writer).admitted, true);
      assert.equal(limiter.admit(writer).admitted, true);
      assert.equal(limiter.admit(writer).admitted, false);
    });

    it('keeps a window per app per tenant inside a window per tenant', () => {
      const clock = manualClock();
      const limiter = new WriteLimiter(
        { perApp: { writesPerWindow: 2, windowMs: 1000 }, perTenant: { writesPerWindow: 3, windowMs: 2000 }, retryAfterDecimals: 3 },
        clock.read,
      );
      const appA = { tenant: 't1', app: 'a' };
      const appB = { tenant: 't1', app: 'b' };
      assert.equal(limiter.admit(appA).admitted, true);
      assert.equal(limiter.admit(appA).admitted, true);
      assert.deepEqual(limiter.admit(appA), { admitted: false, limit: 'perApp', waitMs: 1000, retryAfter: '1' });
      assert.equal(limiter.admit(appB).admitted, true, 'another app of the tenant has its own window');
      assert.deepEqual(limiter.admit(appB), { admitted: false, limit: 'perTenant', waitMs: 2000, retryAfter: '2' });
      assert.equal(limiter.admit({ tenant: 't2', app: 'a' }).admitted, true, 'the same app in another tenant');

      clock.advance(1000);
      assert.deepEqual(
        limiter.admit(appA),
        { admitted: false, limit: 'perTenant', waitMs: 1000, retryAfter: '1' },
        'its app window is free, the tenant is not',
      );
      clock.advance(1000);
      assert.equal(limiter.admit(appA).admitted, true);
    });

    it('applies changed limits to the writes already admitted', () => {
      const clock = manualClock();
      const limiter = new WriteLimiter(perTenantOnly(10, 1000), clock.read);
      for (let index = 0; index < 4; index++) limiter.admit(writer);
      limiter.configure(perTenantOnly(3, 1000));
      assert.equal(limiter.admit(writer).admitted, false);
      limiter.configure(perTenantOnly(3, 5000));
      clock.advance(2000);
      assert.deepEqual(limiter.admit(writer), { admitted: false, limit: 'perTenant', waitMs: 3000, retryAfter: '3' }, 'a longer window still sees them');
    });

    it('writes Retry-After in seconds with up to three decimals, rounded up, never 0', () => {
      assert.equal(formatRetryAfter(2127.2, 3), '2.128');
      assert.equal(formatRetryAfter(250, 3), '0.25');
      assert.equal(formatRetryAfter(20_000, 3), '20');
      assert.equal(formatRetryAfter(0, 3), '0.001');
      assert.equal(formatRetryAfter(1234, 1), '1.3');
      assert.equal(formatRetryAfter(995, 0), '1');
      assert.equal(formatRetryAfter(1001, 0), '2');
      assert.equal(formatRetryAfter(0, 0), '1');
    });
  });

  describe('over HTTP', function () {
    this.timeout(20_000);
    const started: Emulator[] = [];
    const start = async (options: EmulatorOptions): Promise<Emulator> => {
      const emulator = await startEmulator(options);
      started.push(emulator);
      return emulator;
    };
    afterEach(async () => {
      await Promise.all(started.splice(0).map((emulator) => emulator.close()));
    });

    it("limits each app (appid, or azp in a v2 token) in its tenant, and all the tenant's apps together", async () => {
      const clock = manualClock();
      const emulator = await start({
        clock: clock.read,
        writeLimits: { perApp: { writesPerWindow: 2, windowMs: 20_000 }, perTenant: { writesPerWindow: 3, windowMs: 20_000 } },
      });
      const appA = emulator.mintToken({ appid: 'app-a' });
      const appAv2 = emulator.mintToken({ ver: '2.0', azp: 'APP-A' });
      const appB = emulator.mintToken({ appid: 'app-b' });
      const appAElsewhere = emulator.mintToken({ appid: 'app-a', tid: OTHER_TENANT });

      assert.equal((await post(emulator, appA)).status, 201);
      assert.equal((await post(emulator, appAv2)).status, 201, 'the same app through a v2 token');
      const throttled = await post(emulator, appA);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.retryAfter, '20');
      assert.equal(throttled.json.error.code, 'TooManyRequests');
      assert.equal(throttled.json.error.innerError.status, '429');

      assert.equal((await post(emulator, appB)).status, 201, 'app B has room of its own');
      const tenantFull = await post(emulator, appB);
      assert.equal(tenantFull.status, 429, 'the tenant allows three writes in all');
      assert.equal((await post(emulator, appAElsewhere)).status, 201, 'another tenant counts apart');
      assert.equal((await send(emulator, OPERATIONS)).status, 200, 'reads are not limited');

      clock.advance(19_999);
      assert.equal((await post(emulator, appB)).retryAfter, '0.001');
      clock.advance(1);
      assert.equal((await post(emulator, appB)).status, 201);
      assert.equal(emulator.operationsOf(sampleIds.registrations.meganAndroidOutlook).length, 5);
    });

    it("defaults to Intune's documented limits: 100 writes per app per tenant and 200 per tenant, per 20 s", async () => {
      const clock = manualClock();
      const emulator = await start({ clock: clock.read });
      assert.deepEqual(emulator.writeLimits(), {
        perApp: { writesPerWindow: 100, windowMs: 20_000 },
        perTenant: { writesPerWindow: 200, windowMs: 20_000 },
        retryAfterDecimals: 3,
      });
      const appA = emulator.mintToken();
      const appB = emulator.mintToken({ appid: 'second-app' });
      const appC = emulator.mintToken({ appid: 'third-app' });
      const statuses = async (token: string, count: number): Promise<number[]> =>
        (await Promise.all(Array.from({ length: count }, () => post(emulator, token)))).map((reply) => reply.status);
      assert.deepEqual(new Set(await statuses(appA, 100)), new Set([201]));
      assert.equal((await post(emulator, appA)).status, 429);
      assert.deepEqual(new Set(await statuses(appB, 100)), new Set([201]));
      const third = await post(emulator, appC);
      assert.equal(third.status, 429, 'the tenant is at 200');
      assert.equal(third.retryAfter, '20');
    });

    it('honours a window of a few hundred milliseconds with a fractional Retry-After', async () => {
      const emulator = await start({ writeLimits: { perApp: { writesPerWindow: 2, windowMs: 300 } } });
      // One write at a time, so nothing else takes the slot the 429 points to; however slowly a loaded
      // machine delivers them, three soon fall within 300 ms.
      let throttled: Reply | undefined;
      for (let attempt = 0; attempt < 50 && !throttled; attempt++) {
        const reply = await post(emulator);
        if (reply.status === 429) throttled = reply;
      }
      assert.ok(throttled, 'no write was throttled');
      assert.match(throttled.retryAfter!, /^0\.\d{1,3}$/);
      const seconds = Number(throttled.retryAfter);
      assert.ok(seconds > 0 && seconds <= 0.3, throttled.retryAfter!);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 25));
      assert.equal((await post(emulator)).status, 201, 'after Retry-After a slot is free');
    });

    it('keeps the original throttle option: one window per tenant, whole-second Retry-After', async () => {
      const emulator = await start({ throttle: { writesPerWindow: 3, windowMs: 1000 } });
      assert.deepEqual(emulator.writeLimits(), { perApp: null, perTenant: { writesPerWindow: 3, windowMs: 1000 }, retryAfterDecimals: 0 });
      const refined = await start({ throttle: { writesPerWindow: 3, windowMs: 1000 }, writeLimits: { retryAfterDecimals: 2 } });
      assert.equal(refined.writeLimits().retryAfterDecimals, 2);
      await assert.rejects(startEmulator({ writeLimits: { perApp: { writesPerWindow: 1.5, windowMs: 100 } } }), RangeError);
      await assert.rejects(startEmulator({ writeLimits: { retryAfterDecimals: 4 } }), RangeError);
    });

    it('survives a 429 storm from limits far below what a client assumes, direct and inside a batch', async () => {
      const clock = manualClock();
      const emulator = await start({ clock: clock.read, writeLimits: { perApp: { writesPerWindow: 5, windowMs: 60_000 } } });
      const replies = await Promise.all(Array.from({ length: 60 }, () => post(emulator)));
      assert.equal(replies.filter((reply) => reply.status === 201).length, 5);
      const throttled = replies.filter((reply) => reply.status === 429);
      assert.equal(throttled.length, 55);
      assert.ok(throttled.every((reply) => reply.retryAfter === '60'));

      const step = (id: number) => ({
        id: String(id),
        method: 'POST',
        url: OPERATIONS.slice('/beta'.length),
        headers: { 'Content-Type': 'application/json' },
        body: { displayName: 'Wipe' },
      });
      const batch = await send(emulator, '/beta/$batch', { body: { requests: Array.from({ length: 20 }, (_, index) => step(index + 1)) } });
      assert.equal(batch.status, 200);
      assert.ok(batch.json.responses.every((inner: any) => inner.status === 429 && inner.headers['Retry-After'] === '60'));
      const stats = emulator.stats();
      assert.equal(stats.writesAdmitted, 5);
      assert.equal(stats.throttledDirect, 55);
      assert.equal(stats.throttledInner, 20);
      assert.equal(emulator.operationsOf(sampleIds.registrations.meganAndroidOutlook).length, 5);
    });

    it('changes the limits at run time through the control surface; reset restores the start-up ones', async () => {
      const emulator = await start({});
      const control = async (method: string, body?: unknown): Promise<{ status: number; json: any }> => {
        const response = await fetch(`${emulator.url}/_emulator/limits`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await response.text();
        return { status: response.status, json: text ? JSON.parse(text) : undefined };
      };
      const changed = await control('PUT', { perApp: { writesPerWindow: 1, windowMs: 60_000 }, perTenant: null, retryAfterDecimals: 1 });
      assert.equal(changed.status, 200);
      assert.deepEqual(changed.json, { perApp: { writesPerWindow: 1, windowMs: 60_000 }, perTenant: null, retryAfterDecimals: 1 });
      assert.deepEqual((await control('GET')).json, changed.json);
      assert.equal((await post(emulator)).status, 201);
      const throttled = await post(emulator);
      assert.equal(throttled.status, 429);
      assert.match(throttled.retryAfter!, /^\d+(\.\d)?$/, 'one decimal');
      assert.ok(Number(throttled.retryAfter) > 30 && Number(throttled.retryAfter) <= 60, throttled.retryAfter!);

      assert.equal((await control('PUT', { perApp: { writesPerWindow: 0, windowMs: 1 } })).status, 400);
      assert.equal((await control('PUT', { perHour: 5 })).status, 400);
      assert.equal((await control('PUT', { perApp: { writesPerWindow: 5 } })).status, 400);
      assert.equal((await control('GET')).json.perApp.writesPerWindow, 1, 'a refused change changes nothing');

      emulator.reset();
      assert.equal(emulator.writeLimits().perApp?.writesPerWindow, 100);
      assert.equal((await post(emulator)).status, 201);
    });
  });
});
