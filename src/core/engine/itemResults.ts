import type { AttemptAnswer, Exchange } from '../graphClient';
import { decodeGraphError } from '../graphError';
import type { ItemOutcome, ItemResult } from './jobTypes';
import type { ItemState } from './sendContext';

/** The parts every result of a sent item has. */
export function sentParts(
  state: ItemState,
  endedAt: number,
): Pick<ItemResult, 'key' | 'file' | 'registrationId' | 'attempts' | 'clientRequestId' | 'firstSentAt' | 'durationMs'> {
  const { item } = state;
  return {
    key: item.key,
    file: item.file,
    registrationId: item.registrationId,
    attempts: state.attempts,
    clientRequestId: state.clientRequestId,
    ...(state.firstSentAt !== undefined ? { firstSentAt: state.firstSentAt, durationMs: Math.max(0, endedAt - state.firstSentAt) } : {}),
  };
}

export function notSentResult(state: ItemState, outcome: 'skipped' | 'invalid', reason: string): ItemResult {
  const { item } = state;
  return { key: item.key, file: item.file, registrationId: item.registrationId, outcome, attempts: state.attempts, reason };
}

/** A direct send's exchange as the item's result. */
export function resultOfExchange(state: ItemState, exchange: Exchange, endedAt: number): ItemResult {
  const outcome: ItemOutcome =
    exchange.outcome === 'succeeded' ? 'created' : exchange.outcome === 'cancelled' ? (state.attempts === 0 ? 'skipped' : 'cancelled') : exchange.outcome;
  const id = (exchange.json as { id?: unknown } | undefined)?.id;
  return {
    ...sentParts(state, endedAt),
    outcome,
    via: 'direct',
    exchange,
    ...(exchange.status !== undefined ? { status: exchange.status } : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    ...(exchange.reason ? { reason: exchange.reason } : {}),
    ...(exchange.requestId ? { requestId: exchange.requestId } : {}),
    ...(outcome === 'created' && typeof id === 'string' ? { operationId: id } : {}),
    ...(exchange.status !== undefined ? { responseBody: exchange.json ?? (exchange.bodyText || undefined) } : {}),
  };
}

/** An item whose send ended in a thrown error (a sign-in that failed) after Graph had answered it. */
export function resultAfterAnswerThenError(
  state: ItemState,
  answer: AttemptAnswer & { status: number },
  error: Error,
  endedAt: number,
  via: 'direct' | 'batch',
): ItemResult {
  const decoded = decodeGraphError(answer.status, { ...answer.headers }, answer.bodyText ?? '');
  return {
    ...sentParts(state, endedAt),
    outcome: 'failed',
    via,
    status: answer.status,
    error: decoded,
    reason: `${error.message} Graph answered the request with HTTP ${answer.status}, so nothing was created.`,
    ...(answer.headers['request-id'] ? { requestId: answer.headers['request-id'] } : {}),
  };
}

/** Words for an unknown outcome: what happened, and that nothing was sent again. */
export function unknownReason(what: string): string {
  return `${what} The operation may or may not have been created; it was not sent again.`;
}

/** An item still queued when the run stopped: skipped, or cancelled when it had been answered 429/503 already. */
export function stoppedResult(state: ItemState, stoppedBy: Error | undefined): ItemResult {
  if (state.beforeResend) return state.beforeResend;
  const reason = stoppedBy ? `Not sent: ${stoppedBy.message}` : 'Not sent: the run was stopped.';
  if (state.attempts === 0) return notSentResult(state, 'skipped', reason);
  return {
    ...sentParts(state, state.lastAnsweredAt ?? state.firstSentAt ?? 0),
    outcome: 'cancelled',
    reason: 'Graph answered 429 or 503 (nothing was created); the run was stopped before it was sent again.',
  };
}
