import { l10n } from 'vscode';
import type { Exchange } from '../../core/graphClient';
import type { GraphRequest } from '../../core/operationRequest';
import type { Problem } from '../../core/validation/index';
import { loadCore } from '../shared/loadCore';

/** Response headers a person (or Microsoft support) needs, in this order; the others go to the debug level. */
const keyResponseHeaders = ['request-id', 'client-request-id', 'date', 'content-type', 'retry-after', 'www-authenticate', 'x-ms-ags-diagnostic'];

/** The request as sent: method, URL, headers (the token already shown as [redacted]) and body. */
export function describeRequest(request: GraphRequest): string {
  return loadCore().describeRequest(request);
}

/** Status, key headers, duration, attempts and the body (JSON pretty-printed). */
export function describeResponse(exchange: Exchange): string {
  const attempts = exchange.attempts === 1 ? l10n.t('1 attempt') : l10n.t('{0} attempts', String(exchange.attempts));
  const lines = [`HTTP ${exchange.status ?? '—'} · ${exchange.durationMs} ms · ${attempts}`];
  for (const name of keyResponseHeaders) {
    const value = exchange.headers[name];
    if (value !== undefined) lines.push(`${name}: ${value}`);
  }
  const body = exchange.json !== undefined ? JSON.stringify(exchange.json, null, 2) : exchange.bodyText;
  if (body) lines.push('', body);
  return lines.join('\n');
}

export function otherResponseHeaders(exchange: Exchange): string {
  return Object.entries(exchange.headers)
    .filter(([name]) => !keyResponseHeaders.includes(name))
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

export function describeProblem(file: string, problem: Problem): string {
  return `${file}:${problem.line}:${problem.column} ${problem.severity}: ${problem.message}${problem.pointer ? ` (${problem.pointer})` : ''}`;
}
