import assert from 'node:assert/strict';
import { describeResult, describeSummary } from '../../src/core/engine/describeResult';
import type { ItemResult } from '../../src/core/engine/jobTypes';

const reg = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const base: ItemResult = {
  key: 'k',
  file: 'wipe.mao.json',
  registrationId: reg,
  outcome: 'created',
  attempts: 1,
  durationMs: 312,
  status: 201,
  requestId: 'r-1',
  clientRequestId: 'c-1',
  operationId: 'op-1',
};
const hints = { listOperations: (id: string) => `intune-mao operations ${id}`, resendUnknown: '--resend-unknown' };
const text = (result: ItemResult): string => {
  const words = describeResult(result, hints);
  return [`${words.label}  ${words.headline}`, ...words.details.map((d) => d.text)].join('\n');
};

describe('engine words (one place for what a person reads)', () => {
  it('a created operation: file, target, status, time, attempts, id and the request ids', () => {
    assert.equal(text(base), `created  wipe.mao.json → ${reg} (HTTP 201, 312 ms, 1 attempt)\noperation id op-1\nrequest-id r-1 · client-request-id c-1`);
    assert.match(text({ ...base, fromJournal: true, attempts: 0 }), /Created by an earlier run, as its journal says; not sent again/);
  });

  it("a failure: Intune's decoded message, its Activity ID and the request ids, no colours", () => {
    const failed = text({
      ...base,
      outcome: 'failed',
      status: 403,
      operationId: undefined,
      error: {
        status: 403,
        code: 'Forbidden',
        message: 'Application is not authorized',
        activityId: 'a-1',
        date: '2025-01-22T19:17:04',
        bodyKind: 'graph-json',
      },
    });
    assert.match(failed, /^failed {2}wipe\.mao\.json/);
    assert.match(failed, /\nApplication is not authorized\ncode Forbidden · activity id a-1 · date 2025-01-22T19:17:04\nrequest-id r-1/);
    assert.ok(!failed.includes('\u001b['));
  });

  it('an unknown outcome says what the check found and what to do', () => {
    const unknown: ItemResult = {
      ...base,
      outcome: 'unknown',
      status: 504,
      operationId: undefined,
      reason: 'HTTP 504: Graph did not say whether the operation was created.',
    };
    assert.match(text(unknown), /Check before sending again: intune-mao operations 3f2504e0/);
    const absent = text({ ...unknown, reconciliation: { checkedAt: Date.UTC(2025, 0, 22, 19, 17, 9), found: false } });
    assert.match(
      absent,
      /Not among the registration's operations at 2025-01-22T19:17:09\.000Z; it was not sent again \(--resend-unknown sends such items again\)/,
    );
    const close = text({ ...unknown, reconciliation: { checkedAt: 1, found: false, ambiguousOperationId: 'op-9' } });
    assert.match(close, /id op-9.*probably this one\. It is not sent again/);
    const found = text({
      ...unknown,
      outcome: 'created',
      operationId: 'op-2',
      reconciliation: { checkedAt: Date.UTC(2025, 0, 22, 19, 17, 9), found: true, operationId: 'op-2' },
    });
    assert.match(found, /^created/);
    assert.match(
      found,
      /operation id op-2\nThe outcome was unknown \(HTTP 504: Graph did not say whether the operation was created\); the registration's operations, listed at 2025-01-22T19:17:09\.000Z, hold it: reconciled\./,
    );
  });

  it('the summary counts every outcome and says what to do about unknown ones', () => {
    const words = describeSummary({
      total: 6,
      counts: { created: 3, failed: 1, unknown: 1, invalid: 0, skipped: 1, cancelled: 0 },
      reconciled: 1,
      fromJournal: 1,
      durationMs: 2500,
      stopped: true,
      throttled: 2,
      httpRequests: 7,
      finalWriteLimit: { writes: 90, windowMs: 20_000 },
    });
    assert.equal(words.headline, '3 created, 1 failed, 1 unknown, 1 skipped');
    const details = words.details.map((d) => d.text).join('\n');
    assert.match(details, /1 created by an earlier run/);
    assert.match(details, /1 found among the registrations' operations/);
    assert.match(details, /Stopped: 1 not sent, 1 left unknown/);
    assert.match(details, /7 HTTP requests in 2\.5 s; 2 answered 429, ending at 90 per 20 s/);
    assert.match(details, /1 outcome is unknown/);
  });
});
