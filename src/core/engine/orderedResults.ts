import type { ItemResult } from './jobTypes';

/** Hands results on in item order, each once, as soon as every item before it has its final result. */
export class OrderedResults {
  private readonly results: (ItemResult | undefined)[];
  private next = 0;

  constructor(
    count: number,
    private readonly onResult?: (result: ItemResult, index: number) => void,
  ) {
    this.results = new Array(count).fill(undefined);
  }

  set(index: number, result: ItemResult): void {
    if (this.results[index] !== undefined) return;
    this.results[index] = result;
    while (this.next < this.results.length && this.results[this.next] !== undefined) {
      this.onResult?.(this.results[this.next]!, this.next);
      this.next += 1;
    }
  }

  /** Every item has its final result. */
  complete(): boolean {
    return this.next === this.results.length;
  }

  all(): ItemResult[] {
    return this.results.map((result, index) => {
      if (!result) throw new Error(`item ${index} has no result`);
      return result;
    });
  }
}
