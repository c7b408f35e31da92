import { describeResult, describeSummary, type WordsHints, type WordsLine } from '../core/engine/describeResult';
import type { ItemOutcome, ItemResult, JobSummary } from '../core/engine/jobTypes';
import { describeRequest } from '../core/describeHttp';
import { formatResponse } from './describeExchange';
import type { Terminal } from './terminal';

const symbols: Record<ItemOutcome, string> = { created: '✔', failed: '✖', unknown: '?', invalid: '✖', skipped: '-', cancelled: '-' };

export const cliHints: WordsHints = {
  listOperations: (registrationId) => `intune-mao operations ${registrationId}`,
  resendUnknown: 'the same command with --resend-unknown',
};

/** A few lines a person reads about one item. */
export function printResult(result: ItemResult, terminal: Terminal, verbose: boolean): void {
  const exchange = result.exchange;
  if (verbose && exchange) {
    // The dump is for the person watching; standard output stays the results a pipe can read.
    terminal.errBlock(terminal.style('dim', describeRequest(exchange.request)));
    if (exchange.status !== undefined) terminal.errBlock(terminal.style('dim', formatResponse(exchange)));
  }
  const words = describeResult(result, cliHints);
  const colour = result.outcome === 'created' ? 'green' : result.outcome === 'unknown' ? 'yellow' : 'red';
  terminal.out(`${terminal.style(colour, `${symbols[result.outcome]} ${words.label}`)}  ${words.headline}`);
  for (const line of words.details) terminal.out(styled(terminal, line, 'out'));
}

export function printSummary(summary: JobSummary, terminal: Terminal, stream: 'out' | 'err'): void {
  const words = describeSummary(summary);
  const write = (text: string): void => (stream === 'out' ? terminal.out(text) : terminal.err(text));
  write(words.headline);
  for (const line of words.details) write(styled(terminal, line, stream));
}

function styled(terminal: Terminal, line: WordsLine, stream: 'out' | 'err'): string {
  return `    ${line.kind === 'ids' ? terminal.style('dim', line.text, stream) : line.text}`;
}

/** One `--json` line: the fields the CLI has always printed, and what the engine adds. */
export function resultJson(result: ItemResult): Record<string, unknown> {
  const error = result.error;
  const failed = result.outcome !== 'created';
  const check = result.reconciliation;
  return {
    file: result.file,
    registrationId: result.registrationId ?? null,
    ok: !failed,
    outcome: result.outcome,
    status: result.status ?? null,
    requestId: result.requestId ?? null,
    clientRequestId: result.clientRequestId ?? null,
    attempts: result.attempts,
    durationMs: result.durationMs ?? 0,
    body: result.responseBody ?? null,
    operationId: result.operationId ?? null,
    ...(result.via ? { via: result.via } : {}),
    ...(result.fromJournal ? { fromJournal: true } : {}),
    ...(result.resent ? { resent: true } : {}),
    ...(check
      ? {
          reconciliation: {
            checkedAt: new Date(check.checkedAt).toISOString(),
            found: check.found,
            ...(check.operationId ? { operationId: check.operationId } : {}),
            ...(check.ambiguousOperationId ? { ambiguousOperationId: check.ambiguousOperationId } : {}),
            ...(check.failure ? { failure: check.failure } : {}),
          },
        }
      : {}),
    ...(failed
      ? {
          error: {
            code: error?.code ?? null,
            message: result.reason ?? error?.message ?? null,
            innerMessage: error?.innerMessage ?? null,
            activityId: error?.activityId ?? null,
          },
        }
      : {}),
  };
}
