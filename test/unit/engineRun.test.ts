import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../src/core/engine/runJob';
import { JournalWriter, readJournal } from '../../src/core/engine/journal';
import { jobIdentity } from '../../src/core/engine/journalRecords';
import { resumeStateOf } from '../../src/core/engine/resumeState';
import type { ItemResult } from '../../src/core/engine/jobTypes';
import { startHarness, type Harness } from '../support/engineHarness';

describe('engine: runJob against the emulator', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness(60);
  });
  after(() => harness.close());
  beforeEach(() => harness.emulator.reset());
  const posts = () => harness.emulator.requests.filter((r) => r.method === 'POST');

  it('creates every operation once, returns results in item order and hands them on in that order', async () => {
    const items = harness.items(12);
    const order: number[] = [];
    const report = await runJob(items, { client: harness.client(), apiVersion: 'beta', onResult: (_result, index) => order.push(index) });
    assert.deepEqual(
      order,
      items.map((_, index) => index),
    );
    assert.deepEqual(
      report.results.map((r) => r.key),
      items.map((i) => i.key),
    );
    assert.ok(report.results.every((r) => r.outcome === 'created' && r.attempts === 1 && r.via === 'direct'));
    assert.deepEqual(
      harness.operationCounts(items),
      items.map(() => 1),
    );
    for (const [index, result] of report.results.entries()) {
      assert.equal(result.operationId, harness.emulator.operationsOf(items[index]!.registrationId)[0]!['id']);
    }
    assert.equal(report.summary.counts.created, 12);
    assert.equal(report.summary.httpRequests, 12);
  });

  it('batches up to 20 with each body exactly as written (1.50 and odd spacing survive)', async () => {
    const body = (index: number): string => `{ "displayName" :"Wipe ${index}",\n  "state":"pending",  "@contoso.priority": 1.50 }`;
    const items = harness.items(25, body);
    const report = await runJob(items, { client: harness.client(), apiVersion: 'beta', batching: true });
    assert.ok(
      report.results.every((r) => r.outcome === 'created' && r.via === 'batch'),
      JSON.stringify(report.results.map((r) => r.outcome)),
    );
    const batches = posts().filter((r) => r.path === '/beta/$batch');
    assert.deepEqual(
      batches.map((b) => b.batchSteps!.length),
      [20, 5],
    );
    const sent = batches.flatMap((b) => b.batchSteps!.map((step) => step.body));
    assert.deepEqual(
      sent,
      items.map((item) => item.body),
    );
    assert.deepEqual(
      batches[0]!.batchSteps!.map((s) => s.url.split('/')[3]),
      items.slice(0, 20).map((i) => i.registrationId),
    );
    assert.deepEqual(
      harness.operationCounts(items),
      items.map(() => 1),
    );
  });

  it('sends again only inner 429/503 (after their Retry-After), and settles an inner 500 by listing the operations', async () => {
    const { emulator } = harness;
    emulator.injectFault({ inBatch: true, status: 429, retryAfter: '0.2', skip: 2 });
    emulator.injectFault({ inBatch: true, status: 503, skip: 4 });
    emulator.injectFault({ inBatch: true, status: 500, processFirst: true, skip: 6 });
    emulator.injectFault({ inBatch: true, status: 504, skip: 8 });
    const items = harness.items(14);
    const report = await runJob(items, { client: harness.client(), apiVersion: 'beta', batching: true, settleMs: 0 });
    const byIndex = (i: number): ItemResult => report.results[i]!;
    assert.equal(byIndex(2).outcome, 'created');
    assert.equal(byIndex(2).attempts, 2, 'the 429 was sent again');
    assert.equal(byIndex(4).attempts, 2, 'the 503 was sent again');
    assert.equal(byIndex(6).outcome, 'created', 'the 500 that did create is found');
    assert.equal(byIndex(6).attempts, 1);
    assert.equal(byIndex(6).reconciliation?.found, true);
    assert.equal(byIndex(6).operationId, emulator.operationsOf(items[6]!.registrationId)[0]!['id']);
    assert.equal(byIndex(8).outcome, 'unknown', 'the 504 that did not create stays unknown');
    assert.equal(byIndex(8).reconciliation?.found, false);
    assert.equal(typeof byIndex(8).reconciliation?.checkedAt, 'number');
    assert.deepEqual(
      harness.operationCounts(items),
      items.map((_, i) => (i === 8 ? 0 : 1)),
    );
    assert.equal(report.summary.reconciled, 1);
    assert.equal(report.summary.throttled, 1);
  });

  it('sends an unknown item again when asked, only after the check found nothing', async () => {
    const { emulator } = harness;
    emulator.injectFault({ method: 'POST', status: 504, skip: 3 });
    emulator.injectFault({ method: 'POST', status: 500, processFirst: true, skip: 5 });
    const items = harness.items(8);
    const report = await runJob(items, { client: harness.client(), apiVersion: 'beta', resendUnknown: true, settleMs: 0 });
    assert.deepEqual(
      harness.operationCounts(items),
      items.map(() => 1),
      'exactly one operation per target',
    );
    assert.equal(report.results[3]!.outcome, 'created');
    assert.equal(report.results[3]!.attempts, 2, 'found absent, sent again');
    assert.equal(report.results[3]!.resent, true);
    assert.equal(report.results[5]!.attempts, 1, 'its operation exists: never sent again');
    assert.ok(report.results[5]!.reconciliation?.found || report.results[5]!.reconciliation?.ambiguousOperationId);
    assert.ok(report.results.every((r, i) => i === 5 || r.outcome === 'created'));
  });

  it('decides an inner 4xx by a direct send, so batching never fails an operation, and stops batching when that creates it', async () => {
    harness.emulator.injectFault({ inBatch: true, status: 400, code: 'BadRequest', skip: 1 });
    const items = harness.items(30);
    const report = await runJob(items, { client: harness.client(), apiVersion: 'beta', batching: true });
    assert.ok(report.results.every((r) => r.outcome === 'created'));
    assert.equal(report.results[1]!.via, 'direct');
    assert.equal(report.results[1]!.attempts, 2);
    assert.ok(
      report.results.slice(20).every((r) => r.via === 'direct'),
      'the batch refused a request that a direct send created: no more batches',
    );
    assert.deepEqual(
      harness.operationCounts(items),
      items.map(() => 1),
    );
  });

  it('sends directly when Graph refuses the batch as a whole, and leaves a lost batch unknown until the operations show it', async () => {
    const { emulator } = harness;
    emulator.injectFault({ path: '$batch', inBatch: false, status: 400, code: 'BadRequest' });
    const refused = harness.items(5);
    const first = await runJob(refused, { client: harness.client(), apiVersion: 'beta', batching: true });
    assert.ok(first.results.every((r) => r.outcome === 'created' && r.via === 'direct'));
    assert.deepEqual(
      harness.operationCounts(refused),
      refused.map(() => 1),
    );

    emulator.reset();
    emulator.injectFault({ path: '$batch', inBatch: false, reset: true, processFirst: true, skip: 1 });
    const items = harness.items(30);
    const lost = await runJob(items, { client: harness.client(), apiVersion: 'beta', batching: true, resendUnknown: true, settleMs: 0 });
    assert.deepEqual(
      harness.operationCounts(items),
      items.map(() => 1),
      'nothing sent twice',
    );
    assert.ok(lost.results.slice(0, 20).every((r) => r.outcome === 'created' && !r.reconciliation));
    for (const [index, result] of lost.results.slice(20).entries()) {
      const own = harness.emulator.operationsOf(items[20 + index]!.registrationId)[0]!['id'];
      assert.equal(result.attempts, 1, 'an item of a lost batch is not sent again: its operation exists');
      // Found, or (created within the clock's uncertainty of the send) named as probably its own.
      assert.ok(
        result.outcome === 'created' ? result.operationId === own && result.reconciliation?.found : result.reconciliation?.ambiguousOperationId === own,
        JSON.stringify(result.reconciliation),
      );
    }
  });

  it('resumes from its journal: created items are not sent, unknown ones are checked before anything else is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mao-resume-'));
    try {
      const { emulator } = harness;
      const path = join(dir, 'job.ndjson');
      const items = harness.items(6);
      const job = jobIdentity(items, harness.client().target.root, 'beta');
      emulator.injectFault({ method: 'POST', reset: true, processFirst: true, skip: 2 });
      emulator.injectFault({ method: 'POST', status: 400, code: 'BadRequest', skip: 4 });
      const first = JournalWriter.create(path, job, Date.now());
      const before = await runJob(items, { client: harness.client(), apiVersion: 'beta', journal: first, reconcile: false });
      first.close();
      assert.deepEqual(
        before.results.map((r) => r.outcome),
        ['created', 'created', 'unknown', 'created', 'failed', 'created'],
      );
      emulator.clearFaults();
      const seen = emulator.requests.length;

      const resume = resumeStateOf(readJournal(path), job, path);
      const again = JournalWriter.resume(path, Date.now());
      const after = await runJob(items, { client: harness.client(), apiVersion: 'beta', journal: again, resume, settleMs: 0 });
      again.close();
      assert.deepEqual(
        after.results.map((r) => r.fromJournal === true),
        [true, true, false, true, false, true],
      );
      assert.equal(after.results[2]!.attempts, 0, 'the unknown one is not sent again');
      assert.ok(after.results[2]!.reconciliation, 'it was checked');
      assert.equal(after.results[4]!.outcome, 'created', 'the failed one is sent again');
      const requests = emulator.requests.slice(seen).map((r) => `${r.method} ${r.path.split('/')[4]}`);
      assert.deepEqual(requests, [`GET ${items[2]!.registrationId}`, `POST ${items[4]!.registrationId}`], 'checked first, then sent');
      assert.deepEqual(
        harness.operationCounts(items),
        items.map(() => 1),
      );
      const third = await runJob(items, { client: harness.client(), apiVersion: 'beta', resume: resumeStateOf(readJournal(path), job, path), settleMs: 0 });
      assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 7, 'resuming again sends nothing');
      assert.ok(third.results.every((r, i) => (i === 2 ? r.attempts === 0 : r.fromJournal)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after a 401 claims challenge with a token that cannot be renewed: that item failed (it was sent), the rest not sent', async () => {
    harness.emulator.injectFault({
      method: 'POST',
      status: 401,
      wwwAuthenticate: 'Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="',
      skip: 1,
    });
    const items = harness.items(4);
    const report = await runJob(items, { client: harness.client({ fixedToken: true }), apiVersion: 'beta' });
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['created', 'failed', 'skipped', 'skipped'],
    );
    assert.equal(report.results[1]!.status, 401);
    assert.equal(report.results[1]!.error?.code, 'InvalidAuthenticationToken');
    assert.match(report.results[1]!.reason!, /cannot be renewed.*answered the request with HTTP 401, so nothing was created/);
    assert.match(report.results[2]!.reason!, /^Not sent: /);
  });

  it('throws the sign-in failure when nothing could be sent at all', async () => {
    const client = harness.client();
    (client as unknown as { options: { getToken: () => Promise<string> } }).options.getToken = () => Promise.reject(new Error('no token here'));
    await assert.rejects(runJob(harness.items(3), { client, apiVersion: 'beta' }), /no token here/);
    assert.equal(harness.emulator.requests.length, 0);
  });
});
