import type { Exchange } from '../graphClient';
import type { GraphErrorDetails } from '../graphError';

/** One operation to create: a body for a registration. */
export interface JobItem {
  /** The same for the same file and target in every run: the journal knows an item by it. */
  readonly key: string;
  readonly file: string;
  readonly registrationId: string;
  /** The request body exactly as it is sent (the local keys already removed). */
  readonly body: string;
}

/**
 * - created: Graph answered 2xx, or the operation was found among the registration's operations afterwards.
 * - failed: Graph's answer proves nothing was created.
 * - unknown: it may or may not have been created (timeout, lost connection, 500/502/504, a redirect).
 * - invalid: refused before sending (not a GUID, a key named twice).
 * - skipped: never sent.
 * - cancelled: sent, answered 429/503 (so nothing was created), then stopped before it could be sent again.
 */
export type ItemOutcome = 'created' | 'failed' | 'unknown' | 'invalid' | 'skipped' | 'cancelled';

export const itemOutcomes: readonly ItemOutcome[] = ['created', 'failed', 'unknown', 'invalid', 'skipped', 'cancelled'];

/** What listing the registration's operations said about an item whose outcome was unknown. */
export interface Reconciliation {
  /** When the operations were listed (ms since the epoch, this machine's clock). */
  readonly checkedAt: number;
  readonly found: boolean;
  /** The operation this item created, when found. */
  readonly operationId?: string;
  /**
   * An operation with the same properties that was created too close to the send to tell it from one that
   * existed before; the item stays unknown and is not sent again.
   */
  readonly ambiguousOperationId?: string;
  /** Why the operations could not be listed, when they could not. */
  readonly failure?: string;
}

export interface ItemResult {
  readonly key: string;
  readonly file: string;
  readonly registrationId: string;
  readonly outcome: ItemOutcome;
  readonly status?: number;
  readonly error?: GraphErrorDetails;
  /** Why, in words, when no Graph error says it. */
  readonly reason?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  /** Times the item's request was sent (directly or inside a batch), in this run. */
  readonly attempts: number;
  /** When the item was first sent (ms since the epoch), in this run or an earlier one. */
  readonly firstSentAt?: number;
  /** From the first send to the last answer. */
  readonly durationMs?: number;
  /** The created operation's id. */
  readonly operationId?: string;
  /** Graph's answer body: the created operation, or the error (JSON when it is JSON). */
  readonly responseBody?: unknown;
  readonly via?: 'direct' | 'batch';
  readonly reconciliation?: Reconciliation;
  /** Created in an earlier run, as its journal says: not sent in this one. */
  readonly fromJournal?: boolean;
  /** Sent again (asked for) after its outcome was unknown and a check of the operations found nothing. */
  readonly resent?: boolean;
  /** The last HTTP exchange of a direct send (for verbose output). */
  readonly exchange?: Exchange;
}

export type OutcomeCounts = Readonly<Record<ItemOutcome, number>>;

export interface JobProgress {
  readonly total: number;
  /** Items with an outcome so far (an unknown one may still be checked). */
  readonly done: number;
  readonly counts: OutcomeCounts;
  readonly inFlight: number;
  /** Items answered per second, over the last half minute or so. */
  readonly ratePerSecond?: number;
  readonly etaMs?: number;
  /** Sending waits for the write window (or Graph's Retry-After) until then (ms since the epoch). */
  readonly waitingUntil?: number;
  readonly phase: 'sending' | 'checking' | 'stopping' | 'done';
}

export interface JobSummary {
  readonly total: number;
  readonly counts: OutcomeCounts;
  /** Created items found by listing the operations after an unknown outcome. */
  readonly reconciled: number;
  /** Created items known from the journal of an earlier run. */
  readonly fromJournal: number;
  readonly durationMs: number;
  /** The run was stopped (a signal) before every item was sent. */
  readonly stopped: boolean;
  /** 429 answers received, direct and inside batches. */
  readonly throttled: number;
  /** HTTP requests this run made (sends, batches and listings). */
  readonly httpRequests: number;
  /** The write limit in force at the end, after slowing down on 429s. */
  readonly finalWriteLimit: { readonly writes: number; readonly windowMs: number };
}

export interface JobReport {
  /** One per item, in item order. */
  readonly results: readonly ItemResult[];
  readonly summary: JobSummary;
}
