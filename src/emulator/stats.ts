import type { EmulatorStats } from './types';

export function emptyStats(): EmulatorStats {
  return {
    httpRequests: 0,
    batchRequests: 0,
    innerRequests: 0,
    directPosts: 0,
    innerPosts: 0,
    gets: 0,
    writesAdmitted: 0,
    throttledDirect: 0,
    throttledInner: 0,
    faultsFired: 0,
    faultsCreated: 0,
    connectionsDropped: 0,
    operationsCreated: 0,
  };
}

/** The counters behind `emulator.stats()`; every part of the emulator adds to the same object. */
export class StatsCounter {
  counts: EmulatorStats = emptyStats();

  add(name: keyof EmulatorStats, by = 1): void {
    this.counts[name] += by;
  }

  snapshot(): EmulatorStats {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = emptyStats();
  }
}
