import assert from 'node:assert/strict';
import { ClockSkew, dateSample, operationSample } from '../../src/core/engine/clockSkew';
import { matchOperations, signatureOf, type Claimant, type ListedOperation } from '../../src/core/engine/matchOperations';

const base = Date.UTC(2025, 0, 22, 19, 17, 4, 500);
const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '0000Z');
const wipe = '{"displayName": "Wipe", "state": "pending", "version": "7", "@contoso.note": 1.50}';
const op = (id: string, at: number, fields: Record<string, unknown> = { displayName: 'Wipe', state: 'pending' }): ListedOperation => ({
  id,
  lastModifiedDateTime: iso(at),
  version: 'W/"server"',
  ...fields,
});
const exact = { low: 0, high: 0 };

describe('reconciliation: which listed operation an unknown item created', () => {
  it('matches on the properties Graph echoes (displayName, state), not on version or annotations', () => {
    assert.deepEqual(signatureOf(wipe), [
      ['displayName', 'Wipe'],
      ['state', 'pending'],
    ]);
    assert.deepEqual(signatureOf('{"displayName": null}'), [['displayName', null]]);
    const verdicts = matchOperations(
      [{ index: 0, firstSentAt: base, body: wipe }],
      [op('other', base + 5, { displayName: 'Retire', state: 'pending' }), op('mine', base + 6)],
      new Set(),
      exact,
    );
    assert.deepEqual(verdicts.get(0), { kind: 'found', operationId: 'mine' });
  });

  it('never takes an operation stamped before the item was first sent', () => {
    const verdicts = matchOperations([{ index: 0, firstSentAt: base, body: wipe }], [op('older', base - 5000)], new Set(), exact);
    assert.deepEqual(verdicts.get(0), { kind: 'absent' });
  });

  it('is count-aware: three items with the same body, two operations: two found, one absent, no operation twice', () => {
    const claimants: Claimant[] = [0, 1, 2].map((index) => ({ index, firstSentAt: base + index * 100, body: wipe }));
    const verdicts = matchOperations(claimants, [op('x', base + 150), op('y', base + 260)], new Set(), exact);
    const found = [...verdicts.values()].filter((v) => v.kind === 'found').map((v) => (v as { operationId: string }).operationId);
    assert.deepEqual(found.sort(), ['x', 'y']);
    assert.equal([...verdicts.values()].filter((v) => v.kind === 'absent').length, 1);
    assert.deepEqual(verdicts.get(2), { kind: 'found', operationId: 'y' }, 'the latest operation goes to the latest item sent before it');
  });

  it('leaves operations already known (created items) to their items, and lets a created item without an id take one', () => {
    const known = matchOperations([{ index: 0, firstSentAt: base, body: wipe }], [op('known', base + 10)], new Set(['known']), exact);
    assert.deepEqual(known.get(0), { kind: 'absent' });
    const shared = matchOperations(
      [
        { index: 0, firstSentAt: base, body: wipe },
        { index: 1, firstSentAt: base, body: wipe, created: true },
      ],
      [op('only', base + 10)],
      new Set(),
      exact,
    );
    assert.deepEqual(shared.get(0), { kind: 'absent' }, "the one operation is the created item's");
    assert.equal(shared.has(1), false);
  });

  it('survives a Graph clock far behind ours, measured from created operations, and still refuses older ones', () => {
    const skew = new ClockSkew();
    const behind = -90_000;
    // Our sends at base+1000 and base+2000, answered 30 ms later; Graph stamped them in between, 90 s behind.
    skew.add(operationSample(iso(base + 1010 + behind), base + 1000, base + 1030));
    skew.add(operationSample(iso(base + 2004 + behind), base + 2000, base + 2030));
    const offset = skew.offset();
    assert.ok(offset.low <= behind && offset.high >= behind && offset.high - offset.low < 40, JSON.stringify(offset));
    const sentAt = base + 3000;
    const verdicts = matchOperations(
      [
        { index: 0, firstSentAt: sentAt, body: wipe },
        { index: 1, firstSentAt: sentAt, body: '{"displayName":"Retire"}' },
      ],
      [op('mine', sentAt + behind + 12), op('before', sentAt + behind - 200, { displayName: 'Retire' })],
      new Set(),
      offset,
    );
    assert.deepEqual(verdicts.get(0), { kind: 'found', operationId: 'mine' }, 'a naive comparison would call it older than the send');
    assert.deepEqual(verdicts.get(1), { kind: 'absent' }, "an operation stamped before the send, in Graph's clock, is not taken");
  });

  it('calls a match within the clock uncertainty ambiguous: neither found nor absent (so it is not sent again)', () => {
    const skew = new ClockSkew();
    // Only a Date header: whole seconds, from Graph's front door: the offset is known to a couple of seconds.
    skew.add(dateSample(new Date(base + 40).toUTCString(), base, base + 60));
    const offset = skew.offset();
    assert.ok(offset.high - offset.low > 1000);
    const verdicts = matchOperations([{ index: 0, firstSentAt: base, body: wipe }], [op('close', base + 5)], new Set(), offset);
    assert.deepEqual(verdicts.get(0), { kind: 'ambiguous', operationId: 'close' });
    const far = matchOperations([{ index: 0, firstSentAt: base, body: wipe }], [op('later', base + 10_000)], new Set(), offset);
    assert.deepEqual(far.get(0), { kind: 'found', operationId: 'later' });
  });

  it('without any clock evidence, finds nothing for sure', () => {
    const none = new ClockSkew().offset();
    const verdicts = matchOperations([{ index: 0, firstSentAt: base, body: wipe }], [op('any', base + 60_000)], new Set(), none);
    assert.equal(verdicts.get(0)!.kind, 'ambiguous');
  });

  it('falls back to everything the samples allow when they disagree', () => {
    const skew = new ClockSkew();
    skew.add(operationSample(iso(base + 10), base, base + 20));
    skew.add(operationSample(iso(base + 5000), base, base + 20));
    const offset = skew.offset();
    assert.ok(offset.low <= 0 && offset.high >= 5000, JSON.stringify(offset));
  });
});
