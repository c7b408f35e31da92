import type { ItemOutcome, ItemResult, JobSummary, Reconciliation } from './jobTypes';
import { describeWriteLimit } from './writeLimit';

/**
 * The words a person reads about a result, the same in the CLI and in the extension; each front end styles
 * them (colour, symbols, buttons). `message`: what happened; `ids`: what support asks for; `advice`: what to do.
 */
export interface WordsLine {
  readonly text: string;
  readonly kind: 'message' | 'ids' | 'advice';
}

export interface ResultWords {
  /** One word for the outcome ("created", "unknown", …). */
  readonly label: string;
  readonly headline: string;
  readonly details: readonly WordsLine[];
}

/** How the front end says the things it offers. */
export interface WordsHints {
  /** How to list a registration's operations (the CLI: `intune-mao operations <id>`). */
  readonly listOperations?: (registrationId: string) => string;
  /** How to have an item the check did not find sent again (the CLI: `--resend-unknown`). */
  readonly resendUnknown?: string;
}

const labels: Record<ItemOutcome, string> = {
  created: 'created',
  failed: 'failed',
  unknown: 'unknown',
  invalid: 'invalid',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

export function describeResult(result: ItemResult, hints: WordsHints = {}): ResultWords {
  const facts = [
    result.status !== undefined ? `HTTP ${result.status}` : undefined,
    result.attempts > 0 && result.durationMs !== undefined ? `${result.durationMs} ms` : undefined,
    result.attempts > 0 ? `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}` : undefined,
    result.via === 'batch' ? 'in a batch' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const details: WordsLine[] = [];
  const say = (text: string | undefined, kind: WordsLine['kind'] = 'message'): void => {
    if (text) details.push({ text, kind });
  };

  if (result.outcome === 'created') {
    say(result.operationId ? `operation id ${result.operationId}` : 'Graph did not return the operation id.');
    if (result.fromJournal) say('Created by an earlier run, as its journal says; not sent again.');
    if (result.resent) say("Sent again, as asked, after its outcome was unknown and the registration's operations did not hold it.");
    if (result.reconciliation?.found)
      say(
        `The outcome was unknown (${firstSentence(result.reason ?? result.error?.message)}); the registration's operations, listed at ${time(result.reconciliation.checkedAt)}, hold it: reconciled.`,
      );
  } else {
    const error = result.error;
    // Once the operations were listed, the advice to list them is stale.
    const reason =
      result.reconciliation && !result.reconciliation.failure ? result.reason?.replace(/\s*List the registration's operations to check\.$/, '') : result.reason;
    const message = error?.message ?? reason;
    say(message);
    if (error && reason && reason !== message) say(reason);
    say(
      [error?.code && `code ${error.code}`, error?.activityId && `activity id ${error.activityId}`, error?.date && `date ${error.date}`]
        .filter(Boolean)
        .join(' · '),
      'ids',
    );
  }
  if (result.attempts > 0 || result.requestId) {
    say(`request-id ${result.requestId ?? '(none)'} · client-request-id ${result.clientRequestId ?? '(none)'}`, 'ids');
  }
  if (result.outcome === 'unknown') {
    say(describeCheck(result.reconciliation, hints));
    const list = hints.listOperations?.(result.registrationId);
    say(list ? `Check before sending again: ${list}` : "Check the registration's operations before sending it again.", 'advice');
  }
  return { label: labels[result.outcome], headline: `${result.file} → ${result.registrationId}${facts ? ` (${facts})` : ''}`, details };
}

function describeCheck(check: Reconciliation | undefined, hints: WordsHints): string | undefined {
  if (!check) return undefined;
  if (check.failure) return `The registration's operations could not be checked (${check.failure}).`;
  if (check.ambiguousOperationId) {
    return `An operation with the same properties (id ${check.ambiguousOperationId}) was created about when this was sent, too close to tell it from one that already existed: it is probably this one. It is not sent again.`;
  }
  return `Not among the registration's operations at ${time(check.checkedAt)}; it was not sent again${hints.resendUnknown ? ` (${hints.resendUnknown} sends such items again)` : ''}.`;
}

export interface SummaryWords {
  readonly headline: string;
  readonly details: readonly WordsLine[];
}

export function describeSummary(summary: JobSummary): SummaryWords {
  const { counts } = summary;
  const headline = [
    `${counts.created} created`,
    `${counts.failed} failed`,
    `${counts.unknown} unknown`,
    `${counts.skipped} skipped`,
    ...(counts.cancelled ? [`${counts.cancelled} cancelled`] : []),
    ...(counts.invalid ? [`${counts.invalid} invalid`] : []),
  ].join(', ');
  const details: WordsLine[] = [];
  if (summary.fromJournal) details.push({ kind: 'message', text: `${summary.fromJournal} created by an earlier run (from the journal), not sent again.` });
  if (summary.reconciled) details.push({ kind: 'message', text: `${summary.reconciled} found among the registrations' operations after an unknown outcome.` });
  if (summary.stopped)
    details.push({
      kind: 'message',
      text: `Stopped: ${counts.skipped + counts.cancelled} not sent${counts.unknown ? `, ${counts.unknown} left unknown` : ''}.`,
    });
  const seconds = (summary.durationMs / 1000).toFixed(1);
  details.push({
    kind: 'ids',
    text: `${summary.httpRequests} HTTP request${summary.httpRequests === 1 ? '' : 's'} in ${seconds} s${summary.throttled ? `; ${summary.throttled} answered 429, ending at ${describeWriteLimit(summary.finalWriteLimit)}` : ''}.`,
  });
  if (counts.unknown)
    details.push({
      kind: 'advice',
      text: `${counts.unknown} outcome${counts.unknown === 1 ? ' is' : 's are'} unknown: the operation may exist. Check before sending again.`,
    });
  return { headline, details };
}

function time(at: number): string {
  return new Date(at).toISOString();
}

function firstSentence(text: string | undefined): string {
  return (text ?? 'no answer').split(/(?<=\.)\s/)[0]!.replace(/\.$/, '');
}
