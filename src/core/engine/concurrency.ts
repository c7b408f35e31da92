/** How many requests to keep in flight at once: enough to use the write window, no more. */
export class ConcurrencyTarget {
  private readonly latencies: number[] = [];

  /**
   * `max`: the ceiling. Requests start one at a time; from the second answer on, Little's law with headroom:
   * eight times the requests the window allows per millisecond, times a typical latency. The headroom is what
   * lets a window's writes go out in an eighth of it once their slots free, rather than spread over all of it.
   */
  constructor(private readonly max: number) {}

  observe(latencyMs: number): void {
    this.latencies.push(Math.max(0, latencyMs));
    if (this.latencies.length > 16) this.latencies.shift();
  }

  /** For requests of `writesPerRequest` writes each, under a limit of `writesPerMs`. */
  current(writesPerMs: number, writesPerRequest: number): number {
    if (this.latencies.length < 2) return 1;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const typical = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const wanted = Math.ceil((8 * writesPerMs * typical) / Math.max(1, writesPerRequest));
    return Math.min(this.max, Math.max(1, wanted));
  }
}
