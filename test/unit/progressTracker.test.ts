import assert from 'node:assert/strict';
import { ProgressTracker } from '../../src/core/engine/progressTracker';

describe('engine progress: counts, rate and time left', () => {
  it('estimates the time left from the rate of answers', () => {
    const tracker = new ProgressTracker(10, 0);
    for (let index = 0; index < 4; index++) tracker.record(index, 'created', 500 * (index + 1));
    const progress = tracker.snapshot(2000, 0, 'sending');
    assert.deepEqual([progress.done, progress.counts.created, progress.ratePerSecond, progress.etaMs], [4, 4, 2, 3000]);
  });

  it('never says less time is left than the wait for the write window to open', () => {
    const tracker = new ProgressTracker(3, 0);
    tracker.record(0, 'created', 100);
    tracker.record(1, 'failed', 200);
    // Two answers in 1 s: the rate alone says 0.5 s for the last one, but the window opens 4 s later.
    assert.equal(tracker.snapshot(1000, 0, 'sending', 5000).etaMs, 4000);
    assert.equal(tracker.snapshot(1000, 0, 'sending').etaMs, 500, 'without a wait, the rate decides');
    assert.equal(tracker.snapshot(6000, 0, 'sending', 5000).etaMs, 3000, 'a wait that is over adds nothing');
  });

  it('gives no estimate before a second has passed, and none left once every item is done (a wait no longer counts)', () => {
    const tracker = new ProgressTracker(1, 0);
    assert.equal(tracker.snapshot(500, 1, 'sending', 4000).etaMs, undefined);
    tracker.record(0, 'created', 900);
    assert.equal(tracker.snapshot(1500, 0, 'done', 4000).etaMs, 0);
  });
});
