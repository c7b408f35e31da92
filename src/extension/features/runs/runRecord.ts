import type { Exchange } from '../../../core/graphClient';
import type { ItemOutcome, ItemResult } from '../../../core/engine/jobTypes';
import type { TargetSummary } from '../../shared/targetSummary';

/** What a run keeps of any one text (a body, an answer): enough to read, never a whole dump. */
export const keptTextBytes = 64 * 1024;

/** A file of the run: the body each of its operations carried (the local keys already removed). */
export interface RunFile {
  readonly label: string;
  readonly body: string;
  /** The body was longer than a run keeps: only its start is here, and its items cannot be sent again from the run. */
  readonly bodyCut?: boolean;
}

/** One HTTP exchange as the run keeps it: the token shown as [redacted], bodies cut at keptTextBytes. */
export interface RunExchange {
  readonly request: { readonly method: string; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly body?: string };
  readonly via: 'direct' | 'batch';
  readonly response?: {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly durationMs?: number;
    readonly attempts: number;
  };
}

/** An item's result as kept: the engine's result without its live exchange, the answer body as text. */
export type KeptResult = Omit<ItemResult, 'exchange' | 'responseBody'> & { readonly responseText?: string };

/** A file to a registration: one operation. */
export interface RunItem {
  readonly key: string;
  readonly file: string;
  readonly registrationId: string;
  readonly target?: TargetSummary;
  /** Undefined until the engine settled it (a run in progress, or one the window closed on). */
  result?: KeptResult;
  exchange?: RunExchange;
}

export type RoundKind = 'send' | 'check' | 'resendFailures' | 'resendUnknown';

/** One pass over (some of) the run's items: the first send, a check of unknown outcomes, a re-send. */
export interface RunRound {
  readonly kind: RoundKind;
  readonly at: number;
  /** How many items it was for. */
  readonly items: number;
  endedAt?: number;
  stopped?: boolean;
}

/** A send from the extension, one operation or many, as the Runs view shows it and keeps it. Never a token. */
export interface RunRecord {
  readonly format: 'intune-mao-run';
  readonly version: 1;
  /** Sorts like the start time: `20250122T191704512Z-3fa2`. */
  readonly id: string;
  readonly startedAt: number;
  readonly graphRoot: string;
  readonly apiVersion: string;
  readonly cloud: { readonly name: string; readonly label: string; readonly emulator: boolean };
  tenantId?: string;
  account?: string;
  readonly files: readonly RunFile[];
  readonly items: RunItem[];
  readonly rounds: RunRound[];
}

export const keyResponseHeaders = ['request-id', 'client-request-id', 'date', 'content-type', 'retry-after', 'www-authenticate', 'x-ms-ags-diagnostic'];

export function cutText(text: string, bytes = keptTextBytes): { text: string; cut: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= bytes) return { text, cut: false };
  const kept = Buffer.from(text, 'utf8')
    .subarray(0, bytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return { text: `${kept}\n… [cut: the run keeps the first ${bytes / 1024} KB]`, cut: true };
}

/** The answer body as text: JSON (also JSON text, such as an error's body) pretty-printed, cut to what a run keeps. */
export function answerText(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  return cutText(typeof body === 'string' ? prettyJson(body) : JSON.stringify(body, null, 2)).text;
}

function prettyJson(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? JSON.stringify(parsed, null, 2) : text;
  } catch {
    return text;
  }
}

/** The result as a run keeps it. */
export function keptResult(result: ItemResult): KeptResult {
  const { exchange: _exchange, responseBody, ...rest } = result;
  const responseText = answerText(responseBody);
  return { ...rest, ...(responseText !== undefined ? { responseText } : {}) };
}

/** A direct send's last exchange as a run keeps it. */
export function keptExchange(exchange: Exchange): RunExchange {
  const headers = Object.fromEntries(keyResponseHeaders.flatMap((name) => (exchange.headers[name] !== undefined ? [[name, exchange.headers[name]!]] : [])));
  const body = exchange.json !== undefined ? answerText(exchange.json) : answerText(exchange.bodyText);
  const { method, url, headers: requestHeaders, body: requestBody } = exchange.request;
  return {
    via: 'direct',
    request: { method, url, headers: requestHeaders, ...(requestBody !== undefined ? { body: cutText(requestBody).text } : {}) },
    ...(exchange.status !== undefined
      ? {
          response: { status: exchange.status, headers, ...(body !== undefined ? { body } : {}), durationMs: exchange.durationMs, attempts: exchange.attempts },
        }
      : {}),
  };
}

export function outcomeOf(item: RunItem): ItemOutcome | undefined {
  return item.result?.outcome;
}

export type RunCounts = Record<ItemOutcome, number> & { pending: number; reconciled: number };

export function countsOf(run: RunRecord): RunCounts {
  const counts: RunCounts = { created: 0, failed: 0, unknown: 0, invalid: 0, skipped: 0, cancelled: 0, pending: 0, reconciled: 0 };
  for (const item of run.items) {
    const outcome = outcomeOf(item);
    if (outcome) counts[outcome] += 1;
    else counts.pending += 1;
    if (outcome === 'created' && item.result?.reconciliation?.found) counts.reconciled += 1;
  }
  return counts;
}

/** Items whose answer proves nothing was created: what "Re-send Definite Failures" sends. */
export function definiteFailures(run: RunRecord): RunItem[] {
  return run.items.filter((item) => item.result && ['failed', 'skipped', 'cancelled'].includes(item.result.outcome));
}

/** Unknown items that a check looked for and did not find (nor found too close to tell). */
export function unknownNotFound(run: RunRecord): RunItem[] {
  return run.items.filter((item) => {
    const check = item.result?.outcome === 'unknown' ? item.result.reconciliation : undefined;
    return !!check && !check.found && !check.ambiguousOperationId && !check.failure;
  });
}

export function unknownItems(run: RunRecord): RunItem[] {
  return run.items.filter((item) => item.result?.outcome === 'unknown');
}

/** The last round ended (a run the window closed on never ends). */
export function isOver(run: RunRecord): boolean {
  return run.rounds.every((round) => round.endedAt !== undefined);
}

export function lastEnd(run: RunRecord): number | undefined {
  const ends = run.rounds.map((round) => round.endedAt);
  return ends.every((end) => end !== undefined) ? Math.max(...(ends as number[])) : undefined;
}

export function runId(at: number): string {
  return `${new Date(at).toISOString().replace(/[-:.]/g, '')}-${Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}
