import type { Exchange } from '../core/graphClient';
import type { OperationResult } from '../core/sendOperation';
import type { Terminal } from './terminal';

export function formatResponse(exchange: Exchange): string {
  const lines = [`HTTP ${exchange.status}`];
  for (const [name, value] of Object.entries(exchange.headers)) lines.push(`${name}: ${value}`);
  lines.push('', exchange.json !== undefined ? JSON.stringify(exchange.json, null, 2) : exchange.bodyText);
  return lines.join('\n');
}

const labels = { created: '✔ created', failed: '✖ failed', unknown: '? unknown', invalid: '✖ invalid', skipped: '- skipped' } as const;

/** A few lines a person reads to know what happened to one file. */
export function resultSummary(result: OperationResult, terminal: Terminal): string[] {
  const exchange = result.exchange;
  const colour = result.outcome === 'created' ? 'green' : result.outcome === 'unknown' ? 'yellow' : 'red';
  const facts = exchange
    ? [
        exchange.status !== undefined ? `HTTP ${exchange.status}` : undefined,
        `${exchange.durationMs} ms`,
        `${exchange.attempts} attempt${exchange.attempts === 1 ? '' : 's'}`,
      ]
        .filter(Boolean)
        .join(', ')
    : '';
  const lines = [`${terminal.style(colour, labels[result.outcome])}  ${result.file} → ${result.registrationId ?? '?'}${facts ? ` (${facts})` : ''}`];
  const created = exchange?.json as { id?: unknown } | undefined;
  if (result.outcome === 'created' && typeof created?.id === 'string') lines.push(`    operation id ${created.id}`);
  const error = exchange?.error;
  if (result.outcome !== 'created') {
    const message = error?.message ?? exchange?.reason ?? result.message;
    if (message) lines.push(`    ${message}`);
    if (error && exchange?.reason) lines.push(`    ${exchange.reason}`);
    const details = [
      error?.code ? `code ${error.code}` : undefined,
      error?.activityId ? `activity id ${error.activityId}` : undefined,
      error?.date ? `date ${error.date}` : undefined,
    ].filter(Boolean);
    if (details.length) lines.push(terminal.style('dim', `    ${details.join(' · ')}`));
  }
  if (exchange) {
    lines.push(terminal.style('dim', `    request-id ${exchange.requestId ?? '(none)'} · client-request-id ${exchange.clientRequestId}`));
  }
  if (result.outcome === 'unknown' && result.registrationId) {
    lines.push(`    Check before sending again: intune-mao operations ${result.registrationId}`);
  }
  return lines;
}
