import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkUnknownOutcomes } from '../../src/core/engine/checkOutcomes';
import { JournalWriter, readJournal } from '../../src/core/engine/journal';
import { jobIdentity } from '../../src/core/engine/journalRecords';
import { resumeStateOf } from '../../src/core/engine/resumeState';
import { runJob } from '../../src/core/engine/runJob';
import type { JobItem } from '../../src/core/engine/jobTypes';
import { startHarness, type Harness } from '../support/engineHarness';

describe('engine: checking unknown outcomes later, without sending (checkUnknownOutcomes)', function () {
  this.timeout(60_000);
  let harness: Harness;
  let folder: string;
  before(async () => {
    harness = await startHarness(10);
  });
  after(() => harness.close());
  beforeEach(() => {
    harness.emulator.reset();
    folder = mkdtempSync(join(tmpdir(), 'mao-check-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  /** Runs the job without checks, so that its unknown outcomes stay unknown, and reads its journal back. */
  const runUnchecked = async (items: JobItem[]): Promise<string> => {
    const path = join(folder, 'run.ndjson');
    const identity = jobIdentity(items, harness.emulator.url, 'beta');
    const journal = JournalWriter.create(path, identity, Date.now());
    try {
      await runJob(items, { client: harness.client(), apiVersion: 'beta', journal, reconcile: false });
    } finally {
      journal.close();
    }
    return path;
  };
  const stateOf = (path: string, items: JobItem[]) => resumeStateOf(readJournal(path), jobIdentity(items, harness.emulator.url, 'beta'), path);

  /**
   * The operation the item would have created, written to Graph as another client would: a write behind a
   * gateway timeout that lands later. Well after the send, since an operation stamped within a few milliseconds
   * of it would be too close to tell (the created items' answers bound the clocks only that closely).
   */
  const landLater = async (item: JobItem): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const response = await fetch(`${harness.emulator.url}/beta/deviceAppManagement/managedAppRegistrations/${item.registrationId}/operations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.token}`, 'content-type': 'application/json' },
      body: item.body,
    });
    assert.equal(response.status, 201, 'the late operation was created');
  };

  it('finds an operation that landed after a 504, says when it checked what did not land, sends nothing and journals both', async () => {
    const items = harness.items(5);
    harness.emulator.injectFault({ method: 'POST', status: 504, skip: 2, times: 2 });
    const path = await runUnchecked(items);
    await landLater(items[2]!);
    const postsBefore = harness.emulator.stats().directPosts;
    const checked = await checkUnknownOutcomes(items, {
      client: harness.client(),
      apiVersion: 'beta',
      journalState: stateOf(path, items),
      journal: JournalWriter.resume(path, Date.now(), 'check'),
    });

    assert.equal(harness.emulator.stats().directPosts, postsBefore, 'a check sends nothing');
    assert.deepEqual(
      checked.map((c) => [c.key, c.outcome]),
      [
        [items[2]!.key, 'created'],
        [items[3]!.key, 'unknown'],
      ],
      'only the unknown items, in item order',
    );
    const created = harness.emulator.operationsOf(items[2]!.registrationId)[0]!['id'];
    assert.equal(checked[0]!.operationId, created);
    assert.deepEqual(checked[0]!.reconciliation, { checkedAt: checked[0]!.reconciliation.checkedAt, found: true, operationId: created });
    assert.equal(checked[1]!.reconciliation.found, false);
    assert.equal(checked[1]!.reconciliation.ambiguousOperationId, undefined, "the created items' answers tell Graph's clock apart from ours");
    assert.ok(checked[1]!.reconciliation.checkedAt >= checked[0]!.reconciliation.checkedAt - 60_000);

    const after = stateOf(path, items);
    assert.equal(after.items.get(items[2]!.key)?.last?.outcome, 'created');
    assert.equal(after.items.get(items[2]!.key)?.last?.operationId, created);
    assert.equal(after.items.get(items[3]!.key)?.last?.reconciliation?.found, false);
    assert.ok(
      readJournal(path).some((record) => record.type === 'check'),
      'the journal says a check happened',
    );
  });

  it('leaves the operation of an item known to be created to it: an unknown item with the same body on the same registration finds nothing', async () => {
    const [registrationId] = harness.ids;
    const body = '{"displayName": "Wipe", "state": "pending"}';
    const items: JobItem[] = ['a', 'b', 'c'].map((name) => ({
      key: `${name}.mao.json → ${registrationId}`,
      file: `${name}.mao.json`,
      registrationId: registrationId!,
      body,
    }));
    harness.emulator.injectFault({ method: 'POST', status: 504, skip: 1 });
    const path = await runUnchecked(items);
    assert.equal(harness.emulator.operationsOf(registrationId!).length, 2, 'a and c created, b answered 504 without creating');
    const checked = await checkUnknownOutcomes(items, { client: harness.client(), apiVersion: 'beta', journalState: stateOf(path, items) });
    assert.deepEqual(
      checked.map((c) => [c.key, c.outcome, c.reconciliation.found]),
      [[items[1]!.key, 'unknown', false]],
    );
  });

  it('says why when the operations cannot be listed, and checks nothing once stopped', async () => {
    const items = harness.items(3);
    harness.emulator.injectFault({ method: 'POST', status: 500, skip: 1 });
    const path = await runUnchecked(items);
    harness.emulator.injectFault({ method: 'GET', path: `${items[1]!.registrationId}/operations`, status: 403 });
    const [failed] = await checkUnknownOutcomes(items, { client: harness.client(), apiVersion: 'beta', journalState: stateOf(path, items) });
    assert.equal(failed?.outcome, 'unknown');
    assert.match(failed?.reconciliation.failure ?? '', /./);

    const stopped = new AbortController();
    stopped.abort();
    const gets = harness.emulator.stats().gets;
    assert.deepEqual(
      await checkUnknownOutcomes(items, { client: harness.client(), apiVersion: 'beta', journalState: stateOf(path, items), signal: stopped.signal }),
      [],
    );
    assert.equal(harness.emulator.stats().gets, gets);
  });
});
