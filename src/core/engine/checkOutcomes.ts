import type { ApiVersion } from '../clouds';
import type { GraphClient } from '../graphClient';
import { ClockSkew } from './clockSkew';
import { systemClock, type EngineClock } from './engineClock';
import type { JobItem, Reconciliation } from './jobTypes';
import type { JournalWriter } from './journal';
import type { ResultRecord } from './journalRecords';
import type { Claimant } from './matchOperations';
import { checkRegistration } from './reconcile';
import type { ResumedItem, ResumeState } from './resumeState';

/** What a check settled for one item whose outcome was unknown. */
export interface CheckedOutcome {
  readonly key: string;
  /** created: the registration's operations hold it; unknown: they do not, or it cannot be told, or they could not be listed. */
  readonly outcome: 'created' | 'unknown';
  readonly operationId?: string;
  readonly reconciliation: Reconciliation;
}

export interface CheckOptions {
  readonly client: GraphClient;
  readonly apiVersion: ApiVersion;
  /** The job's journal as read (resumeStateOf): which items are unknown, which are created with which operation, and the clock evidence. */
  readonly journalState: ResumeState;
  /** Receives a result line for each item checked. */
  readonly journal?: JournalWriter;
  /** Stops listing: registrations not listed yet are left as they were. */
  readonly signal?: AbortSignal;
  readonly clock?: EngineClock;
  /** Registrations listed at once. Default 4. */
  readonly maxConcurrency?: number;
  readonly onChecked?: (checked: CheckedOutcome) => void;
}

/**
 * Settles the unknown outcomes of a job that ran before, and sends nothing: for each registration with an item
 * the journal shows unknown (or sent without an answer), its operations are listed and matched as the engine
 * does after a send (see matchOperations): operations of the job's created items stay theirs, the clock offset
 * comes from the journal's answers and the listing's Date header. Items that are not unknown are left alone.
 * Returns what was settled, in item order.
 */
export async function checkUnknownOutcomes(items: readonly JobItem[], options: CheckOptions): Promise<CheckedOutcome[]> {
  const clock = options.clock ?? systemClock;
  const skew = new ClockSkew();
  for (const sample of options.journalState.samples) skew.add(sample);
  const known = (item: JobItem): ResumedItem | undefined => options.journalState.items.get(item.key);
  const byRegistration = new Map<string, number[]>();
  items.forEach((item, index) => {
    const registration = item.registrationId.toLowerCase();
    byRegistration.set(registration, [...(byRegistration.get(registration) ?? []), index]);
  });
  const due = [...byRegistration.values()].filter((indexes) => indexes.some((index) => isUnknown(known(items[index]!))));
  const settled = new Map<number, CheckedOutcome>();

  const checkOne = async (indexes: readonly number[]): Promise<void> => {
    const unknown = indexes.filter((index) => isUnknown(known(items[index]!)));
    const operationIds = new Set<string>();
    const claimants: Claimant[] = [];
    for (const index of indexes) {
      const entry = known(items[index]!);
      const firstSentAt = entry?.firstSentAt ?? entry?.last?.firstSentAt;
      if (isUnknown(entry)) {
        if (firstSentAt !== undefined) claimants.push({ index, firstSentAt, body: items[index]!.body });
      } else if (entry?.last?.outcome === 'created') {
        if (entry.last.operationId) operationIds.add(entry.last.operationId.toLowerCase());
        else claimants.push({ index, firstSentAt: firstSentAt ?? 0, body: items[index]!.body, created: true });
      }
    }
    const outcome = await checkRegistration(
      options.client,
      options.apiVersion,
      items[unknown[0]!]!.registrationId,
      claimants,
      operationIds,
      skew,
      clock,
      options.signal,
    );
    for (const index of unknown) {
      const verdict = outcome.verdicts?.get(index);
      const checkedAt = outcome.checkedAt;
      const checked: CheckedOutcome = !verdict
        ? {
            key: items[index]!.key,
            outcome: 'unknown',
            reconciliation: { checkedAt, found: false, failure: outcome.failure ?? 'not checked: the journal holds no time at which it was sent' },
          }
        : verdict.kind === 'found'
          ? {
              key: items[index]!.key,
              outcome: 'created',
              operationId: verdict.operationId,
              reconciliation: { checkedAt, found: true, operationId: verdict.operationId },
            }
          : {
              key: items[index]!.key,
              outcome: 'unknown',
              reconciliation: { checkedAt, found: false, ...(verdict.kind === 'ambiguous' ? { ambiguousOperationId: verdict.operationId } : {}) },
            };
      options.journal?.result(resultLine(checked, known(items[index]!), checkedAt));
      settled.set(index, checked);
      options.onChecked?.(checked);
    }
  };

  const pending = [...due];
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next && !options.signal?.aborted; next = pending.shift()) await checkOne(next);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.maxConcurrency ?? 4, due.length)) }, worker));
  return [...settled.entries()].sort(([a], [b]) => a - b).map(([, checked]) => checked);
}

/** Unknown in the journal: its last result says so, or it was sent after its last result (killed or stopped before the answer). */
function isUnknown(entry: ResumedItem | undefined): boolean {
  return !!entry && (entry.sentSinceResult || entry.last?.outcome === 'unknown');
}

/** The journal line for a checked item: what the last one said, with the check's verdict. */
function resultLine(checked: CheckedOutcome, entry: ResumedItem | undefined, at: number): ResultRecord {
  const last = entry?.last;
  const firstSentAt = entry?.firstSentAt ?? last?.firstSentAt;
  return {
    type: 'result',
    key: checked.key,
    outcome: checked.outcome,
    at,
    attempts: last?.attempts ?? 0,
    ...(last?.status !== undefined ? { status: last.status } : {}),
    ...(checked.operationId ? { operationId: checked.operationId } : {}),
    ...(firstSentAt !== undefined ? { firstSentAt } : {}),
    ...(last?.requestId ? { requestId: last.requestId } : {}),
    ...(last?.clientRequestId ? { clientRequestId: last.clientRequestId } : {}),
    ...(last?.errorCode ? { errorCode: last.errorCode } : {}),
    ...(last?.message ? { message: last.message } : {}),
    reconciliation: checked.reconciliation,
  };
}
