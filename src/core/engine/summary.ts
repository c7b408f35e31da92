import { itemOutcomes, type ItemOutcome, type ItemResult, type JobSummary } from './jobTypes';
import type { WriteLimit } from './writeLimit';

export function summarize(
  results: readonly ItemResult[], started: number, ended: number, stopped: boolean,
  counters: { readonly throttled: number; readonly httpRequests: number }, finalWriteLimit: WriteLimit,
): JobSummary {
  const counts = Object.fromEntries(itemOutcomes.map((outcome) => [outcome, 0])) as Record<ItemOutcome, number>;
  for (const result of results) counts[result.outcome] += 1;
  return {
    total: results.length, counts,
    reconciled: results.filter((result) => result.outcome === 'created' && result.reconciliation?.found).length,
    fromJournal: results.filter((result) => result.fromJournal).length,
    durationMs: Math.max(0, ended - started), stopped,
    throttled: counters.throttled, httpRequests: counters.httpRequests, finalWriteLimit,
  };
}
