import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalError, JournalWriter, readJournal } from '../../src/core/engine/journal';
import { jobIdentity } from '../../src/core/engine/journalRecords';
import { resumeStateOf } from '../../src/core/engine/resumeState';
import type { JobItem } from '../../src/core/engine/jobTypes';

const items: JobItem[] = ['a', 'b', 'c', 'd'].map((name) => ({
  key: `${name}.mao.json → 3f2504e0-4f89-11d3-9a0c-0305e82c3301`,
  file: `${name}.mao.json`,
  registrationId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  body: `{"displayName":"${name}"}`,
}));
const root = 'https://graph.microsoft.com';

describe('journal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mao-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('identifies the job by its items (in any order), Graph root and API version', () => {
    const job = jobIdentity(items, root, 'beta');
    assert.equal(jobIdentity([...items].reverse(), root, 'beta').fingerprint, job.fingerprint);
    assert.notEqual(jobIdentity(items.slice(1), root, 'beta').fingerprint, job.fingerprint);
    assert.notEqual(
      jobIdentity([{ ...items[0]!, body: '{"displayName": "a"}' }, ...items.slice(1)], root, 'beta').fingerprint,
      job.fingerprint,
      'one space more is another body',
    );
  });

  it('writes a header, then records as they happen; a line cut short by a kill is left out and the next run starts a new line', () => {
    const path = join(dir, 'run.ndjson');
    const job = jobIdentity(items, root, 'beta');
    const writer = JournalWriter.create(path, job, 1000);
    writer.sending([{ type: 'sending', key: items[0]!.key, at: 1001, clientRequestId: 'c-a', via: 'direct' }]);
    writer.result({
      type: 'result',
      key: items[0]!.key,
      outcome: 'created',
      at: 1010,
      attempts: 1,
      status: 201,
      operationId: 'op-a',
      operationStamp: '2025-01-22T19:17:04.0000000Z',
      sentAt: 1001,
      answeredAt: 1009,
    });
    writer.sending([
      { type: 'sending', key: items[1]!.key, at: 1020, clientRequestId: 'c-b', via: 'batch' },
      { type: 'sending', key: items[2]!.key, at: 1020, clientRequestId: 'c-c', via: 'batch' },
    ]);
    writer.result({
      type: 'result',
      key: items[2]!.key,
      outcome: 'failed',
      at: 1030,
      attempts: 1,
      status: 400,
      message: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig in an echo',
    });
    writer.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    appendFileSync(path, '{"type":"result","key":"half');
    const records = readJournal(path);
    assert.deepEqual(
      records.map((r) => r.type),
      ['job', 'run', 'sending', 'result', 'sending', 'sending', 'result'],
    );
    assert.ok(!readFileSync(path, 'utf8').includes('eyJhbGciOiJub25lIn0'), 'nothing token-shaped is kept');

    const state = resumeStateOf(records, job, path);
    assert.equal(state.items.get(items[0]!.key)!.last!.outcome, 'created');
    assert.equal(state.items.get(items[1]!.key)!.sentSinceResult, true, 'sent, no answer written: to be checked');
    assert.equal(state.items.get(items[1]!.key)!.firstSentAt, 1020);
    assert.equal(state.items.get(items[2]!.key)!.firstSentAt, undefined, 'a 400 proves nothing was created: a new send starts afresh');
    assert.equal(state.items.has(items[3]!.key), false);
    assert.equal(state.samples.length, 1, "the created operation's stamp is clock evidence for the resume");

    const resumed = JournalWriter.resume(path, 2000);
    resumed.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.deepEqual(JSON.parse(lines.at(-2)!), { type: 'run', at: 2000, resumed: true });
  });

  it('refuses to start a journal over another run, and names what differs when resuming the wrong one', () => {
    const path = join(dir, 'run.ndjson');
    JournalWriter.create(path, jobIdentity(items, root, 'beta'), 1).close();
    assert.throws(
      () => JournalWriter.create(path, jobIdentity(items, root, 'beta'), 2),
      (error: Error) => error instanceof JournalError && /already holds a run.*--resume/.test(error.message),
    );
    const records = readJournal(path);
    const changed = [{ ...items[0]!, body: '{"displayName":"A"}' }, ...items.slice(1, 3), { ...items[3]!, key: 'e.mao.json → x' }];
    assert.throws(
      () => resumeStateOf(records, jobIdentity(changed, root, 'beta'), path),
      /does not match this command: 1 item\(s\) named now are not in it \("e\.mao\.json → x"\); 1 item\(s\) in it are not named now \("d\.mao\.json → [^"]+"\); 1 body\(ies\) changed since \("a\.mao\.json/,
    );
    assert.throws(() => resumeStateOf(records, jobIdentity(items, root, 'v1.0'), path), /written for API version beta, not v1\.0/);
    assert.throws(
      () => resumeStateOf(records, jobIdentity(items, 'https://graph.microsoft.us', 'beta'), path),
      /written for https:\/\/graph\.microsoft\.com, not https:\/\/graph\.microsoft\.us/,
    );
    assert.throws(() => readJournal(join(dir, 'missing.ndjson')), /does not exist/);
    appendFileSync(join(dir, 'other.json'), '{"hello":1}\n');
    assert.throws(() => readJournal(join(dir, 'other.json')), /is not an intune-mao journal/);
  });

  it("passes every line through the scrubber it was given (a front end's redactor), a check line included", () => {
    const path = join(dir, 'scrubbed.ndjson');
    const scrub = (text: string): string => text.split('opaque-secret-value').join('[redacted]');
    const writer = JournalWriter.create(path, jobIdentity(items, root, 'beta'), 1, scrub);
    writer.result({ type: 'result', key: items[0]!.key, outcome: 'failed', at: 2, attempts: 1, message: 'the server echoed opaque-secret-value' });
    writer.close();
    JournalWriter.resume(path, 3, 'check', scrub).close();
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes('opaque-secret-value'));
    assert.match(text, /echoed \[redacted\]/);
    assert.deepEqual(
      readJournal(path).map((record) => record.type),
      ['job', 'run', 'result', 'check'],
    );
  });
});
