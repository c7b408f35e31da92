/**
 * How far Graph's clock is from ours (Graph minus local, in ms), as an interval the evidence allows.
 *
 * Two kinds of evidence, each from an answer to a request sent at local time `sentAt` and answered at
 * `answeredAt`: the created operation's `lastModifiedDateTime` (Intune's own clock, the one reconciliation
 * compares with; it was stamped between the two), and the `Date` header (whole seconds, and written by
 * Graph's front door, whose clock may differ from Intune's: widened by a second either way). Both clocks are
 * read in whole milliseconds; the lower bound gives one more, since an offset found too high could call an
 * operation this item created "older than the send" (and a resend would duplicate it).
 */
export interface Offset {
  readonly low: number;
  readonly high: number;
}

export interface SkewSample extends Offset {
  readonly kind: 'operation' | 'date';
}

const frontDoorMarginMs = 1000;

export function operationSample(createdAt: unknown, sentAt: number, answeredAt: number): SkewSample | undefined {
  const stamped = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
  if (Number.isNaN(stamped)) return undefined;
  return { kind: 'operation', low: stamped - answeredAt - 1, high: stamped - sentAt };
}

export function dateSample(date: string | undefined, sentAt: number, answeredAt: number): SkewSample | undefined {
  const stamped = date ? Date.parse(date) : NaN;
  if (Number.isNaN(stamped)) return undefined;
  return { kind: 'date', low: stamped - answeredAt - 1 - frontDoorMarginMs, high: stamped + 999 - sentAt + frontDoorMarginMs };
}

export class ClockSkew {
  private operations: Offset | undefined;
  private dates: Offset | undefined;
  private hull: Offset | undefined;

  add(sample: SkewSample | undefined): void {
    if (!sample) return;
    if (sample.kind === 'operation') this.operations = intersect(this.operations, sample);
    else this.dates = intersect(this.dates, sample);
    this.hull = this.hull ? { low: Math.min(this.hull.low, sample.low), high: Math.max(this.hull.high, sample.high) } : sample;
  }

  /**
   * The tightest interval all evidence agrees on; when it disagrees (an empty intersection), everything any
   * sample allows, so that nothing is matched on a guess. Without any evidence: any offset at all.
   */
  offset(): Offset {
    const both = this.operations && this.dates ? intersect(this.operations, this.dates) : (this.operations ?? this.dates);
    if (both && both.low <= both.high) return both;
    return this.hull ?? { low: -Infinity, high: Infinity };
  }
}

function intersect(a: Offset | undefined, b: Offset): Offset {
  return a ? { low: Math.max(a.low, b.low), high: Math.min(a.high, b.high) } : { low: b.low, high: b.high };
}
