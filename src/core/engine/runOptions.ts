import type { ApiVersion } from '../clouds';
import type { GraphClient } from '../graphClient';
import { settings } from '../settings';
import { systemClock, type EngineClock } from './engineClock';
import type { ItemResult, JobProgress } from './jobTypes';
import type { JournalWriter } from './journal';
import type { ResumeState } from './resumeState';
import { defaultWriteLimit, type WriteLimit } from './writeLimit';

export interface RunOptions {
  /** Sends everything: its token handling, redaction and retry rules apply to every request. */
  readonly client: GraphClient;
  readonly apiVersion: ApiVersion;
  /** Default: Intune's documented 100 writes per 20 s per app per tenant. */
  readonly writeLimit?: WriteLimit;
  /** Group sends into JSON batches of up to 20. Default off (see the README). */
  readonly batching?: boolean;
  /** Requests in flight at most. Default 8. */
  readonly maxConcurrency?: number;
  /** Retries after 429/503 inside a batch; direct sends follow the client's own setting. Default 3. */
  readonly maxRetries?: number;
  /** List the registration's operations to settle unknown outcomes. Default on. */
  readonly reconcile?: boolean;
  /** Send an unknown item again when the check found nothing. Default off. */
  readonly resendUnknown?: boolean;
  /** How many times one item may be sent again that way. Default 2. */
  readonly maxResends?: number;
  /** How long after an item's last answer its registration is checked (a late write can still land). Default 2000 ms. */
  readonly settleMs?: number;
  /** Appends every send and result; the caller opens and closes it. */
  readonly journal?: JournalWriter;
  /** An earlier run's journal, read for this job: created items are not sent again, unknown ones are checked first. */
  readonly resume?: ResumeState;
  /** Stops starting items (a first Ctrl+C): what is in flight has `inFlightGraceMs` to finish, then it is stopped. */
  readonly signal?: AbortSignal;
  /** Stops what is in flight at once (a second Ctrl+C): it ends unknown. */
  readonly stopNow?: AbortSignal;
  /** Default 3000 ms. */
  readonly inFlightGraceMs?: number;
  readonly onProgress?: (progress: JobProgress) => void;
  /** Each item's final result, once, in item order. */
  readonly onResult?: (result: ItemResult, index: number) => void;
  readonly clock?: EngineClock;
}

export interface RunSettings {
  readonly clock: EngineClock;
  readonly writeLimit: WriteLimit;
  readonly batching: boolean;
  readonly maxConcurrency: number;
  readonly maxRetries: number;
  readonly reconcile: boolean;
  readonly resendUnknown: boolean;
  readonly maxResends: number;
  readonly settleMs: number;
  readonly inFlightGraceMs: number;
}

export function defaultRunSettings(options: RunOptions): RunSettings {
  return {
    clock: options.clock ?? systemClock,
    writeLimit: options.writeLimit ?? defaultWriteLimit,
    batching: options.batching ?? false,
    maxConcurrency: Math.max(1, options.maxConcurrency ?? 8),
    maxRetries: options.maxRetries ?? settings.maxRetries.default,
    reconcile: options.reconcile ?? true,
    resendUnknown: options.resendUnknown ?? false,
    maxResends: options.maxResends ?? 2,
    settleMs: options.settleMs ?? 2000,
    inFlightGraceMs: options.inFlightGraceMs ?? 3000,
  };
}
