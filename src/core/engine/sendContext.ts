import type { ApiVersion } from '../clouds';
import type { GraphClient } from '../graphClient';
import type { ClockSkew } from './clockSkew';
import type { ConcurrencyTarget } from './concurrency';
import type { EngineClock } from './engineClock';
import type { ItemResult, JobItem } from './jobTypes';
import type { WritePacer } from './writePacer';

/** One item as a run handles it. */
export interface ItemState {
  readonly index: number;
  readonly item: JobItem;
  /** One per item, kept across its retries and resends: what support looks for. */
  readonly clientRequestId: string;
  /** Sends in this run. */
  attempts: number;
  /** Its "sending" record is written for the current round (a resend starts a new one). */
  journaled: boolean;
  /** When its last request left. */
  lastSentAt?: number;
  /** The first send, in this run or (from the journal) an earlier one. */
  firstSentAt?: number;
  /** When its last request ended (an answer, or giving up on one). */
  lastAnsweredAt?: number;
  /** Times it was sent again after a check found nothing. */
  resends: number;
  /** Send it on its own: a batch answered it with a 4xx, which a direct send decides. */
  direct: boolean;
  /** Not before then (an inner Retry-After). */
  notBefore?: number;
  phase: 'queued' | 'sending' | 'checking' | 'done';
  result?: ItemResult;
  /** The unknown result a resend started from: kept when the resend never leaves. */
  beforeResend?: ItemResult;
}

/** What one send (direct or batch) decided for one of its items. */
export type SendVerdict =
  | { readonly kind: 'done'; readonly result: ItemResult }
  /** Answered 429/503 inside a batch: send it again. */
  | { readonly kind: 'again' }
  /** A batch answered it with a 4xx: send it on its own, which decides. */
  | { readonly kind: 'direct' };

export interface SendReport {
  readonly verdicts: ReadonlyMap<ItemState, SendVerdict>;
  /** An error thrown while sending (a sign-in that failed): the run stops starting items. */
  readonly stoppedBy?: Error;
  /** The batch as a whole was refused, in a way that proves nothing in it was processed: send without batching. */
  readonly batchingRefused?: boolean;
}

export interface SendContext {
  readonly client: GraphClient;
  readonly apiVersion: ApiVersion;
  readonly pacer: WritePacer;
  readonly clock: EngineClock;
  readonly skew: ClockSkew;
  readonly latency: { readonly direct: ConcurrencyTarget; readonly batch: ConcurrencyTarget };
  /** Aborted when no more items (nor retries) may start. */
  readonly stopStarting: AbortSignal;
  /** Aborted when what is in flight must stop (a second Ctrl+C, or the grace after the first has passed). */
  readonly inFlight: AbortSignal;
  /** Retries after 429/503 inside a batch (direct sends follow the client's own rule). */
  readonly maxRetries: number;
  readonly counters: { throttled: number; httpRequests: number };
  /** Writes the "sending" records (before the request leaves) and counts the attempt. */
  noteSending(states: readonly ItemState[], at: number, via: 'direct' | 'batch'): void;
}
