import { JobRun } from './jobRun';
import type { JobItem, JobReport } from './jobTypes';
import type { RunOptions } from './runOptions';

/**
 * Sends every item through the Graph client and returns one result per item, in item order.
 *
 * Paced to the write limit (see WritePacer), several at once where that helps, in JSON batches when asked.
 * A request is repeated only when Graph's answer proves nothing was created (429, 503). Unknown outcomes are
 * checked against the registration's operations (see matchOperations); one found absent is sent again
 * only with `resendUnknown`. With a journal, every send is on disk before it leaves, and a later run given
 * the journal (`resume`) sends nothing that was created.
 *
 * Throws only when nothing could be sent at all (a sign-in that failed before the first request); the
 * error is the sign-in's.
 */
export function runJob(items: readonly JobItem[], options: RunOptions): Promise<JobReport> {
  return new JobRun(items, options).run();
}
