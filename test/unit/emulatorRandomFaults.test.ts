import assert from 'node:assert/strict';
import { type Emulator, type EmulatorOptions, type RandomFaults, sampleIds, startEmulator } from '../../src/emulator';

const REGISTRATION = sampleIds.registrations.lidiaAndroidTeams;
const OPERATIONS_URL = `/deviceAppManagement/managedAppRegistrations/${REGISTRATION}/operations`;

/** What a client sees of one POST: the status, or 'reset' when the connection was dropped. */
type Seen = number | 'reset';

describe('Graph emulator random faults', function () {
  this.timeout(20_000);
  const started: Emulator[] = [];
  const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
    const emulator = await startEmulator({ writeLimits: { perApp: null, perTenant: null }, ...options });
    started.push(emulator);
    return emulator;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });

  async function postOnce(emulator: Emulator, index: number): Promise<{ seen: Seen; retryAfter: string | null }> {
    try {
      const response = await fetch(`${emulator.url}/beta${OPERATIONS_URL}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ displayName: `Wipe ${index}` }),
      });
      await response.text();
      return { seen: response.status, retryAfter: response.headers.get('retry-after') };
    } catch {
      return { seen: 'reset', retryAfter: null };
    }
  }

  /** POSTs one after another, so the nth POST received is the nth sent. */
  async function postInTurn(emulator: Emulator, count: number): Promise<Seen[]> {
    const seen: Seen[] = [];
    for (let index = 0; index < count; index++) seen.push((await postOnce(emulator, index)).seen);
    return seen;
  }

  const bulk: RandomFaults = { probability: 0.3, statuses: [500, 502, 504], createdShare: 0.5, resetShare: 0.2, seed: 42 };

  it('fails the same POSTs the same way for the same seed, and others for another seed', async () => {
    const first = await postInTurn(await start({ randomFaults: bulk }), 80);
    const again = await postInTurn(await start({ randomFaults: bulk }), 80);
    const otherSeed = await postInTurn(await start({ randomFaults: { ...bulk, seed: 43 } }), 80);
    assert.deepEqual(again, first);
    assert.notDeepEqual(otherSeed, first);
    const failed = first.filter((seen) => seen !== 201).length;
    assert.ok(failed >= 12 && failed <= 36, `${failed} of 80 failed for a probability of 0.3`);
    assert.ok(first.includes('reset') && first.includes(500) && first.includes(504));
  });

  it('creates the operation for about the share asked, and says how many in its stats', async () => {
    const emulator = await start({ randomFaults: { probability: 1, statuses: [500, 504], createdShare: 0.5, seed: 7 } });
    const seen = await postInTurn(emulator, 200);
    assert.ok(seen.every((status) => status === 500 || status === 504));
    const created = emulator.operationsOf(REGISTRATION).length;
    assert.ok(created >= 70 && created <= 130, `${created} of 200 failures created the operation, for a share of 0.5`);
    const stats = emulator.stats();
    assert.equal(stats.faultsFired, 200);
    assert.equal(stats.faultsCreated, created);
    assert.equal(stats.operationsCreated, created);
    assert.equal(stats.directPosts, 200);
  });

  it('never creates with a status that proves nothing was processed (429, 503, 4xx)', async () => {
    const emulator = await start({ randomFaults: { probability: 1, statuses: [429, 503, 400], createdShare: 1, retryAfter: '0.25' } });
    const replies = await Promise.all(Array.from({ length: 30 }, (_, index) => postOnce(emulator, index)));
    assert.deepEqual(new Set(replies.map((reply) => reply.seen)), new Set([429, 503, 400]));
    for (const reply of replies) assert.equal(reply.retryAfter, reply.seen === 400 ? null : '0.25');
    assert.equal(emulator.operationsOf(REGISTRATION).length, 0);
    assert.equal(emulator.stats().throttledDirect, replies.filter((reply) => reply.seen === 429).length);
  });

  it('drops connections, some after creating the operation', async () => {
    const emulator = await start({ randomFaults: { probability: 1, resetShare: 1, createdShare: 0.5, seed: 3 } });
    const seen = await postInTurn(emulator, 40);
    assert.ok(seen.every((status) => status === 'reset'));
    const created = emulator.operationsOf(REGISTRATION).length;
    assert.ok(created > 0 && created < 40, String(created));
    assert.equal(emulator.stats().connectionsDropped, 40);
    assert.equal(emulator.stats().faultsCreated, created);
  });

  it('applies to operation POSTs inside batches too, never to reads; scripted faults come first', async () => {
    const emulator = await start({ randomFaults: { probability: 1, statuses: [500] } });
    emulator.injectFault({ inBatch: true, path: '/operations', status: 409 });
    const step = (id: string) => ({ id, method: 'POST', url: OPERATIONS_URL, headers: { 'Content-Type': 'application/json' }, body: { displayName: id } });
    const response = await fetch(`${emulator.url}/beta/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests: [step('1'), step('2'), { id: '3', method: 'GET', url: OPERATIONS_URL }, step('4')] }),
    });
    assert.equal(response.status, 200);
    const answered = (await response.json()) as { responses: { status: number }[] };
    assert.deepEqual(
      answered.responses.map((inner) => inner.status),
      [409, 500, 200, 500],
    );
  });

  it('is set, read and cleared through the control surface; reset restarts the sequence', async () => {
    const emulator = await start();
    const control = (method: string, body?: unknown) =>
      fetch(`${emulator.url}/_emulator/random-faults`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(await (await control('GET')).json(), null);
    const set = await control('PUT', { probability: 0.5, statuses: [504], createdShare: 1, seed: 11 });
    assert.equal(set.status, 200);
    assert.deepEqual(await set.json(), { probability: 0.5, seed: 11, statuses: [504], createdShare: 1, resetShare: 0, delayMs: 0 });
    const first = await postInTurn(emulator, 30);
    assert.ok(first.includes(504) && first.includes(201));
    assert.equal(emulator.operationsOf(REGISTRATION).length, 30, 'every 504 here was processed first');

    assert.equal((await control('PUT', { probability: 2 })).status, 400);
    assert.equal((await control('PUT', { probability: 0.1, statuses: [200] })).status, 400);
    assert.equal((await control('PUT', { chance: 0.1 })).status, 400);
    assert.equal((await control('DELETE')).status, 204);
    assert.deepEqual(new Set(await postInTurn(emulator, 10)), new Set([201]));

    const seeded = await start({ randomFaults: { probability: 0.5, statuses: [504], seed: 11 } });
    const before = await postInTurn(seeded, 20);
    seeded.reset();
    assert.deepEqual(await postInTurn(seeded, 20), before, 'reset starts the same sequence again');
    seeded.setRandomFaults(undefined);
    assert.deepEqual(new Set(await postInTurn(seeded, 5)), new Set([201]));
  });
});
