import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describeProgress, ProgressLine } from '../../src/cli/progressLine';
import { Terminal } from '../../src/cli/terminal';
import type { JobProgress } from '../../src/core/engine/jobTypes';

const progress = (extra: Partial<JobProgress> = {}): JobProgress => ({
  total: 1000,
  done: 120,
  inFlight: 4,
  phase: 'sending',
  ratePerSecond: 4.96,
  etaMs: 177_000,
  counts: { created: 117, failed: 1, unknown: 2, invalid: 0, skipped: 0, cancelled: 0 },
  ...extra,
});

describe('CLI progress line', () => {
  it('says done/total, the counts, the rate, the time left and what it waits for', () => {
    const now = Date.UTC(2025, 0, 22, 19, 17, 4);
    assert.equal(
      describeProgress(progress({ waitingUntil: now + 3000 }), now),
      'progress: 120/1000 · 117 created · 1 failed · 2 unknown · 5.0/s · ETA 2m 57s · waiting for the write window until 19:17:07 UTC',
    );
    assert.equal(
      describeProgress(progress({ phase: 'checking', done: 1000, waitingUntil: now - 1 }), now),
      'progress: 1000/1000 · 117 created · 1 failed · 2 unknown · 5.0/s · checking unknown outcomes',
    );
  });

  it('on a terminal, redraws one line in place on standard error and takes it away before results', () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    let written = '';
    stderr.on('data', (chunk: Buffer) => {
      written += chunk.toString();
    });
    const line = new ProgressLine(new Terminal({ stdout, stderr, env: {} }), true);
    line.update(progress());
    line.clear();
    line.stop();
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    assert.match(written, /^\r\u001b\[2Kprogress: 120\/1000 .*\r\u001b\[2K$/);
    assert.ok(!written.includes('\n'), 'the live line never scrolls');
  });
});
