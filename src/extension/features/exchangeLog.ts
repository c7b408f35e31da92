import { l10n } from 'vscode';
import type { Exchange } from '../../core/graphClient';
import type { GraphRequest } from '../../core/operationRequest';
import type { OperationResult } from '../../core/sendOperation';
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
  return Object.entries(exchange.headers).filter(([name]) => !keyResponseHeaders.includes(name)).map(([name, value]) => `${name}: ${value}`).join('\n');
}

export function describeProblem(file: string, problem: Problem): string {
  return `${file}:${problem.line}:${problem.column} ${problem.severity}: ${problem.message}${problem.pointer ? ` (${problem.pointer})` : ''}`;
}

/** The verdict in words, with Intune's error decoded and what to do about an unknown outcome. */
export function describeOutcome(result: OperationResult): string {
  const exchange = result.exchange;
  const error = exchange?.error;
  const lines: string[] = [];
  switch (result.outcome) {
    case 'created': {
      const id = (exchange?.json as { id?: unknown } | undefined)?.id;
      lines.push(typeof id === 'string'
        ? l10n.t('✔ Created: operation {0} on registration {1}.', id, result.registrationId ?? '?')
        : l10n.t('✔ Created on registration {0}.', result.registrationId ?? '?'));
      break;
    }
    case 'unknown':
      lines.push(l10n.t('? Outcome unknown: {0}', exchange?.reason ?? error?.message ?? result.message ?? ''));
      lines.push(l10n.t('  The operation may or may not have been created. Before sending again, list the registration\'s operations to check: the "List Operations" button, or `intune-mao operations {0}`.', result.registrationId ?? '<registrationId>'));
      break;
    case 'skipped':
      lines.push(l10n.t('- Not sent: {0}', exchange?.reason ?? result.message ?? l10n.t('cancelled')));
      break;
    default:
      lines.push(l10n.t('✖ Failed: {0}', error?.message ?? exchange?.reason ?? result.message ?? l10n.t('unknown error')));
      if (error && exchange?.reason) lines.push(`  ${exchange.reason}`);
  }
  if (error && result.outcome !== 'created') {
    if (error.code) lines.push(`  ${l10n.t('Error code')}: ${error.code}`);
    if (error.innerMessage) lines.push(`  ${l10n.t('Intune message')}: ${error.innerMessage}`);
    if (error.activityId) lines.push(`  Activity ID: ${error.activityId}`);
    if (error.operationId) lines.push(`  Operation ID: ${error.operationId}`);
    if (error.date) lines.push(`  ${l10n.t('Date')}: ${error.date}`);
  }
  if (exchange) {
    lines.push(`  request-id: ${exchange.requestId ?? l10n.t('(none)')} · client-request-id: ${exchange.clientRequestId}`);
  }
  return lines.join('\n');
}
