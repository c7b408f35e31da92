import type { ClientEvent } from './graphClient';
import type { GraphRequest } from './operationRequest';

/** The request as sent: method, URL, headers (the token already shown as [redacted]) and body. */
export function describeRequest(request: GraphRequest): string {
  const lines = [`${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (request.body !== undefined) lines.push('', request.body);
  return lines.join('\n');
}

/** One log line for something the Graph client did. */
export function describeClientEvent(event: ClientEvent): string {
  switch (event.type) {
    case 'attempt':
      return `[http] attempt ${event.attempt}: ${event.method} ${event.url}${event.route ? ` (${event.route})` : ''}`;
    case 'response':
      return `[http] attempt ${event.attempt}: HTTP ${event.status} in ${event.ms} ms`;
    case 'retry-wait':
      return `[retry] ${event.because}; waiting ${(event.waitMs / 1000).toFixed(2)} s before retry ${event.attempt}`;
    case 'redirect':
      return `[http] redirected to ${event.to}${event.withToken ? '' : ' (another origin: sent without the token)'}`;
    case 'reauthenticate':
      return `[auth] ${event.because}`;
  }
}
