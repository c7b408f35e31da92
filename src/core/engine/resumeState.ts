import { dateSample, operationSample, type SkewSample } from './clockSkew';
import { JournalError } from './journal';
import type { JobIdentity, JobRecord, JournalRecord, ResultRecord } from './journalRecords';

/** What an earlier run's journal says about one item. */
export interface ResumedItem {
  /** The latest result written for it. */
  readonly last?: ResultRecord;
  /** It was sent after its latest result (or has none): killed, or stopped, before its answer was written. */
  readonly sentSinceResult: boolean;
  /** The first send since the last answer that proved nothing was created. */
  readonly firstSentAt?: number;
}

export interface ResumeState {
  readonly items: ReadonlyMap<string, ResumedItem>;
  /** Clock evidence from the earlier runs' answers. */
  readonly samples: readonly SkewSample[];
}

const provesNothingCreated = new Set(['failed', 'cancelled', 'skipped', 'invalid']);

/** The journal's state for `job`, or a clear refusal when the journal was written for another job. */
export function resumeStateOf(records: readonly JournalRecord[], job: JobIdentity, path: string): ResumeState {
  checkSameJob(records[0] as JobRecord, job, path);
  const items = new Map<string, { last?: ResultRecord; sentSinceResult: boolean; firstSentAt?: number }>();
  const samples: SkewSample[] = [];
  const entry = (key: string) => {
    let found = items.get(key);
    if (!found) items.set(key, (found = { sentSinceResult: false }));
    return found;
  };
  for (const record of records) {
    if (record.type === 'sending') {
      const item = entry(record.key);
      item.sentSinceResult = true;
      item.firstSentAt ??= record.at;
    } else if (record.type === 'result') {
      const item = entry(record.key);
      item.last = record;
      item.sentSinceResult = false;
      if (provesNothingCreated.has(record.outcome)) delete item.firstSentAt;
      else if (record.firstSentAt !== undefined) item.firstSentAt ??= record.firstSentAt;
      if (record.sentAt !== undefined && record.answeredAt !== undefined) {
        for (const sample of [
          operationSample(record.operationStamp, record.sentAt, record.answeredAt),
          dateSample(record.date, record.sentAt, record.answeredAt),
        ]) {
          if (sample) samples.push(sample);
        }
      }
    }
  }
  return { items, samples };
}

function checkSameJob(written: JobRecord, job: JobIdentity, path: string): void {
  const refuse = (why: string): never => {
    throw new JournalError(
      `The journal ${path} does not match this command: ${why}. Resume with the same files, targets, cloud and API version as the run that wrote it, or start a new journal.`,
    );
  };
  if (written.graphRoot !== job.graphRoot) refuse(`it was written for ${written.graphRoot}, not ${job.graphRoot}`);
  if (written.apiVersion !== job.apiVersion) refuse(`it was written for API version ${written.apiVersion}, not ${job.apiVersion}`);
  if (written.fingerprint === job.fingerprint) return;
  const before = new Map(written.items.map(([key, hash]) => [key, hash]));
  const now = new Map(job.items.map(([key, hash]) => [key, hash]));
  const added = [...now.keys()].filter((key) => !before.has(key));
  const dropped = [...before.keys()].filter((key) => !now.has(key));
  const changed = [...now.keys()].filter((key) => before.has(key) && before.get(key) !== now.get(key));
  const parts = [
    added.length ? `${added.length} item(s) named now are not in it (${example(added)})` : '',
    dropped.length ? `${dropped.length} item(s) in it are not named now (${example(dropped)})` : '',
    changed.length ? `${changed.length} body(ies) changed since (${example(changed)})` : '',
  ].filter(Boolean);
  refuse(parts.join('; ') || 'its items differ');
}

function example(keys: string[]): string {
  return (
    keys
      .slice(0, 2)
      .map((key) => JSON.stringify(key))
      .join(', ') + (keys.length > 2 ? ', …' : '')
  );
}
