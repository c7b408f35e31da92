import { createHash } from 'node:crypto';
import type { ItemOutcome, JobItem, Reconciliation } from './jobTypes';

/** The first line of a journal: which job it is for. */
export interface JobRecord {
  readonly type: 'job';
  readonly format: 'intune-mao-journal';
  readonly version: 1;
  readonly createdAt: string;
  /** sha256 over the items' keys and body hashes. */
  readonly fingerprint: string;
  readonly graphRoot: string;
  readonly apiVersion: string;
  /** [key, sha256 of the body] per item, so that a mismatch can be named. */
  readonly items: ReadonlyArray<readonly [string, string]>;
}

/** A run (the first, or a resumed one) starts. */
export interface RunRecord {
  readonly type: 'run';
  readonly at: number;
  readonly resumed: boolean;
}

/** A check of unknown outcomes starts (checkUnknownOutcomes): it sends nothing, its result lines follow. */
export interface CheckRecord {
  readonly type: 'check';
  readonly at: number;
}

/** Written (and on disk) before the item's request leaves. */
export interface SendingRecord {
  readonly type: 'sending';
  readonly key: string;
  readonly at: number;
  readonly clientRequestId: string;
  readonly via: 'direct' | 'batch';
}

/** An item's outcome as it became known; the last one for a key is the one that counts. */
export interface ResultRecord {
  readonly type: 'result';
  readonly key: string;
  readonly outcome: ItemOutcome;
  readonly at: number;
  readonly attempts: number;
  readonly status?: number;
  readonly operationId?: string;
  /** The created operation's lastModifiedDateTime, with the send and answer times: clock evidence for a resume. */
  readonly operationStamp?: string;
  readonly sentAt?: number;
  readonly answeredAt?: number;
  readonly date?: string;
  readonly firstSentAt?: number;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly errorCode?: string;
  /** A short reason (Graph's decoded message or ours), never a whole response body. */
  readonly message?: string;
  readonly reconciliation?: Reconciliation;
}

export type JournalRecord = JobRecord | RunRecord | CheckRecord | SendingRecord | ResultRecord;

export function bodyHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export interface JobIdentity {
  readonly graphRoot: string;
  readonly apiVersion: string;
  readonly items: ReadonlyArray<readonly [string, string]>;
  readonly fingerprint: string;
}

/** What identifies a job: its items (keys and body hashes, in any order), Graph root and API version. */
export function jobIdentity(items: readonly JobItem[], graphRoot: string, apiVersion: string): JobIdentity {
  const pairs = items.map((item) => [item.key, bodyHash(item.body)] as const);
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const fingerprint = createHash('sha256')
    .update(sorted.map(([key, hash]) => `${JSON.stringify(key)} ${hash}\n`).join(''), 'utf8')
    .digest('hex');
  return { graphRoot, apiVersion, items: pairs, fingerprint };
}
