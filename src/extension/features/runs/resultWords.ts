import { l10n } from 'vscode';
import type { ResultWords, WordsHints } from '../../../core/engine/describeResult';
import type { ItemOutcome, ItemResult, JobProgress } from '../../../core/engine/jobTypes';
import { loadCore } from '../../shared/loadCore';

/** How the extension says what the core's words advise: its own buttons and views. */
export function extensionHints(): WordsHints {
  return {
    listOperations: () =>
      l10n.t(
        'list the registration\'s operations ("List Operations", "Check Unknown Outcomes" on the run in the Runs view, or the registration in the Registrations view)',
      ),
    resendUnknown: l10n.t('"Re-send Unknown Not Found" on the run in the Runs view'),
  };
}

export const outcomeSymbols: Record<ItemOutcome, string> = { created: '✔', failed: '✖', unknown: '?', invalid: '✖', skipped: '-', cancelled: '-' };

/** The core's words for a result (the same as the CLI's), with the extension's hints. */
export function wordsOf(result: ItemResult): ResultWords {
  return loadCore().describeResult(result, extensionHints());
}

/** The words as lines of text: the outcome and headline, then each detail indented. */
export function wordsText(result: ItemResult): string {
  const words = wordsOf(result);
  return [`${outcomeSymbols[result.outcome]} ${words.label}  ${words.headline}`, ...words.details.map((line) => `    ${line.text}`)].join('\n');
}

/** What the progress notification says while a run goes on: done/total, counts, time left, what it waits for. */
export function progressMessage(progress: JobProgress, standingBy: number, now: number): string {
  const { counts } = progress;
  const created = counts.created - standingBy;
  const parts = [
    `${progress.done - standingBy}/${progress.total - standingBy}`,
    l10n.t('{0} created', String(created)),
    ...(counts.failed ? [l10n.t('{0} failed', String(counts.failed))] : []),
    ...(counts.unknown ? [l10n.t('{0} unknown', String(counts.unknown))] : []),
    ...(counts.skipped + counts.cancelled ? [l10n.t('{0} not sent', String(counts.skipped + counts.cancelled))] : []),
    ...(counts.invalid ? [l10n.t('{0} invalid', String(counts.invalid))] : []),
  ];
  if (progress.etaMs !== undefined && progress.done < progress.total && progress.phase === 'sending')
    parts.push(l10n.t('about {0} left', duration(progress.etaMs)));
  if (progress.waitingUntil !== undefined && progress.waitingUntil > now && progress.phase === 'sending') {
    parts.push(l10n.t('waiting for the write window until {0}', new Date(progress.waitingUntil).toLocaleTimeString()));
  }
  if (progress.phase === 'checking') parts.push(l10n.t("checking unknown outcomes against the registrations' operations"));
  if (progress.phase === 'stopping') parts.push(l10n.t('stopping: the requests in flight get a moment to be answered'));
  return parts.join(' · ');
}

export function duration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? l10n.t('{0} s', String(seconds)) : l10n.t('{0} min {1} s', String(Math.floor(seconds / 60)), String(seconds % 60));
}
