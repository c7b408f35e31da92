import assert from 'node:assert/strict';
import { emulatorsClosedAfterEach } from '../support/emulators';
import { type Emulator, sampleIds } from '../../src/emulator';

const REGISTRATION = sampleIds.registrations.alexIphoneOutlook;
const OPERATIONS_URL = `/deviceAppManagement/managedAppRegistrations/${REGISTRATION}/operations`;

interface Reply {
  status: number;
  text: string;
  // Tests read into Graph payloads; a precise type would only restate the assertions.
  json: any;
}

/** A $batch step that creates an operation. */
const createStep = (id: string, displayName = `Wipe ${id}`) => ({
  id,
  method: 'POST',
  url: OPERATIONS_URL,
  headers: { 'Content-Type': 'application/json' },
  body: { displayName, state: 'pending' },
});

describe('Graph emulator $batch for bulk runs', function () {
  this.timeout(10_000);
  const start = emulatorsClosedAfterEach();

  async function batchText(emulator: Emulator, envelope: string): Promise<Reply> {
    const response = await fetch(`${emulator.url}/beta/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
      body: envelope,
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
  }
  const batch = (emulator: Emulator, requests: unknown[]): Promise<Reply> => batchText(emulator, JSON.stringify({ requests }));
  const statuses = (reply: Reply): number[] => reply.json.responses.map((inner: { status: number }) => inner.status);

  it('counts each inner request on its own: the throttled ones get their own 429 and Retry-After, the others are created', async () => {
    let now = 0;
    const emulator = await start({ clock: () => now, writeLimits: { perApp: { writesPerWindow: 3, windowMs: 2000 } } });
    const first = await batch(
      emulator,
      ['1', '2', '3', '4', '5'].map((id) => createStep(id)),
    );
    assert.equal(first.status, 200);
    assert.deepEqual(statuses(first), [201, 201, 201, 429, 429]);
    for (const inner of first.json.responses.slice(3)) {
      assert.equal(inner.headers['Retry-After'], '2');
      assert.equal(inner.body.error.code, 'TooManyRequests');
      assert.equal(inner.body.error.innerError.status, '429');
    }
    assert.deepEqual(
      emulator.operationsOf(REGISTRATION).map((operation) => operation.displayName),
      ['Wipe 1', 'Wipe 2', 'Wipe 3'],
    );

    now = 1500;
    const second = await batch(emulator, [createStep('4')]);
    assert.equal(second.json.responses[0].headers['Retry-After'], '0.5');
    now = 2000;
    assert.deepEqual(statuses(await batch(emulator, [createStep('4'), createStep('5')])), [201, 201]);
    const stats = emulator.stats();
    assert.equal(stats.batchRequests, 3);
    assert.equal(stats.httpRequests, 3);
    assert.equal(stats.innerPosts, 8);
    assert.equal(stats.directPosts, 0);
    assert.equal(stats.writesAdmitted, 5);
    assert.equal(stats.throttledInner, 3);
    assert.equal(stats.throttledDirect, 0);
  });

  it('takes each inner body exactly as the envelope spells it, and splices each answer into the envelope as JSON', async () => {
    const emulator = await start();
    const body = '{ "displayName" : "Wipe",\n    "state": "pending", "@contoso.weight": 1.50e0, "@contoso.big": 12345678901234567890 }';
    const envelope =
      `{"requests":[{"id":"a","method":"POST","url":"${OPERATIONS_URL}","headers":{"Content-Type":"application/json","Authorization":"Bearer inner"},"body":${body}},` +
      `{"id":"b","method":"POST","url":"${OPERATIONS_URL}","headers":{"Content-Type":"application/json"},"body":"{\\"displayName\\":\\"As a string\\"}"}]}`;
    const answered = await batchText(emulator, envelope);
    assert.deepEqual(statuses(answered), [201, 201]);
    const [recorded] = emulator.requests;
    assert.equal(recorded.batchSteps?.[0].body, body);
    assert.equal(recorded.batchSteps?.[1].body, '{"displayName":"As a string"}');
    assert.deepEqual(
      emulator.operationsOf(REGISTRATION).map((operation) => operation.displayName),
      ['Wipe', 'As a string'],
    );

    const created = answered.json.responses[0];
    assert.equal(typeof created.body, 'object', 'a JSON answer is a JSON value, not a string');
    assert.equal(created.body.displayName, 'Wipe');
    assert.ok(answered.text.includes(`"body":{"@odata.context":`), 'spliced in as its own JSON text');

    const viaControl = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as any[];
    assert.equal(viaControl[0].batchSteps[0].headers.authorization, '[redacted]');
    assert.equal(viaControl[0].batchSteps[0].body, body);
  });

  it('a processFirst inner 504 creates the operation, an inner 500 does not, and the batch answers 200', async () => {
    const emulator = await start();
    emulator.injectFault({ inBatch: true, path: '/operations', processFirst: true, status: 504 });
    emulator.injectFault({ inBatch: true, path: '/operations', status: 500 });
    const answered = await batch(emulator, [createStep('1'), createStep('2'), createStep('3')]);
    assert.equal(answered.status, 200);
    assert.deepEqual(statuses(answered), [504, 500, 201]);
    assert.equal(answered.json.responses[0].body.error.code, 'GatewayTimeout');
    assert.deepEqual(
      emulator.operationsOf(REGISTRATION).map((operation) => operation.displayName),
      ['Wipe 1', 'Wipe 3'],
    );
    const stats = emulator.stats();
    assert.equal(stats.faultsFired, 2);
    assert.equal(stats.faultsCreated, 1);
    assert.equal(stats.operationsCreated, 2);
  });

  it('a reset inside a batch drops the whole batch connection; the steps before it were processed', async () => {
    const emulator = await start();
    emulator.injectFault({ inBatch: true, path: '/operations', skip: 1, reset: true });
    await assert.rejects(batch(emulator, [createStep('1'), createStep('2'), createStep('3')]), TypeError);
    assert.deepEqual(
      emulator.operationsOf(REGISTRATION).map((operation) => operation.displayName),
      ['Wipe 1'],
    );
    assert.equal(emulator.stats().connectionsDropped, 1);
    assert.equal(emulator.stats().innerPosts, 2, 'the third step never ran');

    emulator.injectFault({ inBatch: true, path: '/operations', processFirst: true, reset: true });
    await assert.rejects(batch(emulator, [createStep('4'), createStep('5')]), TypeError);
    assert.deepEqual(
      emulator.operationsOf(REGISTRATION).map((operation) => operation.displayName),
      ['Wipe 1', 'Wipe 4'],
    );
  });

  it('outer faults: a 504 after the whole batch was processed, a 502 before anything was', async () => {
    const emulator = await start();
    emulator.injectFault({ path: '/$batch', processFirst: true, status: 504 });
    const late = await batch(emulator, [createStep('1'), createStep('2')]);
    assert.equal(late.status, 504);
    assert.equal(emulator.operationsOf(REGISTRATION).length, 2);
    assert.equal(emulator.stats().faultsCreated, 1);

    emulator.injectFault({ path: '/$batch', status: 502 });
    assert.equal((await batch(emulator, [createStep('3')])).status, 502);
    emulator.injectFault({ path: '/$batch', delayMs: 50, reset: true });
    await assert.rejects(batch(emulator, [createStep('4')]), TypeError);
    assert.equal(emulator.operationsOf(REGISTRATION).length, 2);
  });

  it('inBatch and skip choose which request a fault hits', async () => {
    const emulator = await start();
    emulator.injectFault({ inBatch: false, path: '/operations', status: 503 });
    emulator.injectFault({ inBatch: true, skip: 2, status: 500, times: 2 });
    assert.deepEqual(
      statuses(await batch(emulator, [createStep('1'), createStep('2'), createStep('3'), createStep('4'), createStep('5')])),
      [201, 201, 500, 500, 201],
    );
    const direct = await fetch(`${emulator.url}/beta${OPERATIONS_URL}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
      body: '{"displayName":"Direct"}',
    });
    assert.equal(direct.status, 503, 'the direct-only fault waited for a direct request');
  });

  it('keeps the envelope rules: unique ids, dependsOn, relative urls, a Content-Type with a body', async () => {
    const emulator = await start();
    assert.equal((await batch(emulator, [createStep('1'), createStep('1')])).status, 400);
    assert.equal((await batch(emulator, [{ ...createStep('2'), dependsOn: ['9'] }])).status, 400);
    emulator.injectFault({ inBatch: true, status: 500 });
    const answered = await batch(emulator, [
      createStep('1'),
      { ...createStep('2'), dependsOn: ['1'] },
      { ...createStep('3'), url: `https://graph.microsoft.com/beta${OPERATIONS_URL}` },
      { ...createStep('4'), headers: {} },
    ]);
    assert.deepEqual(statuses(answered), [500, 424, 400, 400]);
    assert.equal(emulator.operationsOf(REGISTRATION).length, 0);
  });
});
