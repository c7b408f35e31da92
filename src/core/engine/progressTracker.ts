import { itemOutcomes, type ItemOutcome, type JobProgress } from './jobTypes';

const rateWindowMs = 30_000;

/** Counts, rate and time left, for a front end to show while a job runs. */
export class ProgressTracker {
  private readonly outcomes = new Map<number, ItemOutcome>();
  private readonly answeredAt: number[] = [];

  constructor(
    private readonly total: number,
    private readonly started: number,
  ) {}

  /** An item has (for now) this outcome; an unknown one may still turn out created. */
  record(index: number, outcome: ItemOutcome, at: number): void {
    if (!this.outcomes.has(index) && outcome !== 'skipped' && outcome !== 'invalid') this.answeredAt.push(at);
    this.outcomes.set(index, outcome);
  }

  snapshot(at: number, inFlight: number, phase: JobProgress['phase'], waitingUntil?: number): JobProgress {
    const counts = Object.fromEntries(itemOutcomes.map((outcome) => [outcome, 0])) as Record<ItemOutcome, number>;
    for (const outcome of this.outcomes.values()) counts[outcome] += 1;
    while (this.answeredAt.length > 0 && this.answeredAt[0]! < at - rateWindowMs) this.answeredAt.shift();
    const span = Math.min(rateWindowMs, at - this.started);
    const ratePerSecond = span >= 1000 ? (this.answeredAt.length * 1000) / span : undefined;
    const left = this.total - this.outcomes.size;
    // While the write window is full, nothing more ends before it opens, whatever the rate so far says.
    const windowOpensIn = left > 0 && waitingUntil !== undefined ? Math.max(0, waitingUntil - at) : 0;
    return {
      total: this.total,
      done: this.outcomes.size,
      counts,
      inFlight,
      phase,
      ...(ratePerSecond !== undefined ? { ratePerSecond } : {}),
      ...(ratePerSecond ? { etaMs: Math.max(Math.round((left / ratePerSecond) * 1000), windowOpensIn) } : {}),
      ...(waitingUntil !== undefined ? { waitingUntil } : {}),
    };
  }
}
