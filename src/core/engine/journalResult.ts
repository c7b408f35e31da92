import type { ItemResult } from './jobTypes';
import type { ResultRecord } from './journalRecords';
import type { ItemState } from './sendContext';

/** What the journal keeps of a result: ids, times, status and a short reason; never a body or a header full of secrets. */
export function journalResultRecord(state: ItemState, result: ItemResult, at: number): ResultRecord {
  const stamp = (result.responseBody as { lastModifiedDateTime?: unknown } | undefined)?.lastModifiedDateTime;
  const date = result.exchange?.headers['date'];
  const message = result.error?.message ?? result.reason;
  return {
    type: 'result',
    key: result.key,
    outcome: result.outcome,
    at,
    attempts: result.attempts,
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.operationId ? { operationId: result.operationId } : {}),
    ...(result.outcome === 'created' && typeof stamp === 'string' ? { operationStamp: stamp } : {}),
    ...(state.lastSentAt !== undefined ? { sentAt: state.lastSentAt } : {}),
    ...(state.lastAnsweredAt !== undefined ? { answeredAt: state.lastAnsweredAt } : {}),
    ...(date ? { date } : {}),
    ...(result.firstSentAt !== undefined ? { firstSentAt: result.firstSentAt } : {}),
    ...(result.requestId ? { requestId: result.requestId } : {}),
    ...(result.clientRequestId ? { clientRequestId: result.clientRequestId } : {}),
    ...(result.error?.code ? { errorCode: result.error.code } : {}),
    ...(message ? { message } : {}),
    ...(result.reconciliation ? { reconciliation: result.reconciliation } : {}),
  };
}
