import { itemOutcomes, type ItemOutcome, type ItemResult, type JobSummary } from './jobTypes';
import type { WriteLimit } from './writeLimit';

/** `stopAsked`: a stop was asked for; the run counts as stopped when that left something undone. */
export function summarize(
  results: readonly ItemResult[],
  started: number,
  ended: number,
  stopAsked: boolean,
  counters: { readonly throttled: number; readonly httpRequests: number },
  finalWriteLimit: WriteLimit,
): JobSummary {
  const counts = Object.fromEntries(itemOutcomes.map((outcome) => [outcome, 0])) as Record<ItemOutcome, number>;
  for (const result of results) counts[result.outcome] += 1;
  return {
    total: results.length,
    counts,
    reconciled: results.filter((result) => result.outcome === 'created' && result.reconciliation?.found).length,
    fromJournal: results.filter((result) => result.fromJournal).length,
    durationMs: Math.max(0, ended - started),
    stopped: stopAsked && results.some((r) => r.outcome === 'skipped' || r.outcome === 'cancelled' || (r.outcome === 'unknown' && !r.reconciliation)),
    throttled: counters.throttled,
    httpRequests: counters.httpRequests,
    finalWriteLimit,
  };
}
