import { l10n } from 'vscode';
import { wordsText } from './resultWords';
import type { RunItem, RunRecord } from './runRecord';

/**
 * An item's exchange as a person reads it: the core's words for its result, then the request (method, URL,
 * headers with the token shown as [redacted], body) and the answer (status, key headers, body), as kept.
 */
export function exchangeDocument(run: RunRecord, item: RunItem): string {
  const result = item.result;
  const lines = [
    `# ${l10n.t('{0} → {1}, in the run of {2}', item.file, item.registrationId, new Date(run.startedAt).toISOString())}`,
    ...(result
      ? wordsText(result)
          .split('\n')
          .map((line) => `# ${line}`)
      : [`# ${l10n.t('No result yet: the run goes on.')}`]),
    `# request-id: ${result?.requestId ?? l10n.t('(none)')} · client-request-id: ${result?.clientRequestId ?? l10n.t('(none)')}`,
    '',
  ];
  const exchange = item.exchange;
  if (!exchange) {
    lines.push(`# ${result && result.attempts > 0 ? l10n.t('The exchange was not kept.') : l10n.t('Never sent: there is no exchange.')}`);
    return lines.join('\n') + '\n';
  }
  if (exchange.via === 'batch')
    lines.push(`# ${l10n.t('Sent inside a JSON batch (POST $batch): this request was one of its steps, and the answer is its inner one.')}`);
  const { request, response } = exchange;
  lines.push(`${request.method} ${request.url}`, ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`));
  if (request.body !== undefined) lines.push('', request.body);
  lines.push('');
  if (!response) {
    lines.push(`# ${l10n.t('No answer: {0}', result?.reason ?? l10n.t('none arrived'))}`);
  } else {
    const attempts = response.attempts === 1 ? l10n.t('1 attempt') : l10n.t('{0} attempts', String(response.attempts));
    lines.push(
      `HTTP ${response.status}${response.durationMs !== undefined ? ` · ${response.durationMs} ms` : ''} · ${attempts}`,
      ...Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`),
    );
    if (response.body) lines.push('', response.body);
  }
  return lines.join('\n') + '\n';
}
