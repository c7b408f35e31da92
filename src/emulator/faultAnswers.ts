// The answers a scripted or random fault gives instead of (or after) the normal one.
import type { GraphAnswer, GraphCall } from './graphCall';
import { DEFAULT_WWW_AUTHENTICATE, errorAnswer, errorStyleFor, htmlGatewayPage, intuneMessage, jsonAnswer } from './graphResponses';
import type { Fault } from './types';

/** Whether the fault replaces the answer (as opposed to only delaying or decorating the normal one). */
export function replacesAnswer(fault: Fault): boolean {
  return (
    fault.status !== undefined ||
    fault.code !== undefined ||
    fault.retryAfter !== undefined ||
    fault.wwwAuthenticate !== undefined ||
    fault.intuneMessage !== undefined ||
    fault.redirectTo !== undefined ||
    fault.html === true ||
    fault.emptyBody === true ||
    fault.processFirst === true
  );
}

function statusOf(fault: Fault): number {
  if (fault.redirectTo !== undefined) return fault.redirectStatus ?? fault.status ?? 307;
  if (fault.status !== undefined) return fault.status;
  if (fault.retryAfter !== undefined) return 429;
  if (fault.wwwAuthenticate !== undefined) return 401;
  if (fault.processFirst) return 504;
  if (fault.html) return 502;
  return 500;
}

export function faultAnswer(call: GraphCall, fault: Fault): GraphAnswer {
  const status = statusOf(fault);
  const headers: Record<string, string> = { 'Cache-Control': 'no-cache' };
  if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
  if (fault.wwwAuthenticate !== undefined) headers['WWW-Authenticate'] = fault.wwwAuthenticate;
  else if (status === 401) headers['WWW-Authenticate'] = DEFAULT_WWW_AUTHENTICATE;

  if (fault.redirectTo !== undefined) return { status, headers: { ...headers, Location: fault.redirectTo }, body: '' };
  if (fault.emptyBody) return { status, headers, body: '' };
  if (fault.html) return { status, headers: { ...headers, 'Content-Type': 'text/html' }, body: htmlGatewayPage(status) };
  if (status < 300) return jsonAnswer(status, {}, headers);

  const style = errorStyleFor(status);
  const message = fault.intuneMessage !== undefined ? intuneMessage(call, fault.intuneMessage) : style.intune ? intuneMessage(call, style.text) : style.text;
  return errorAnswer(call, status, fault.code ?? style.code, message, headers);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a careless or hostile server does: reflect the caller's credentials back. */
export function echoAuthorization(answer: GraphAnswer, authorization: string): GraphAnswer {
  const headers: Record<string, string> = { ...answer.headers, 'x-echo-authorization': authorization };
  const contentType = headers['Content-Type'] ?? '';
  let body = answer.body;
  if (contentType.startsWith('application/json') && body !== '') {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const document = parsed as Record<string, unknown>;
      const error = document.error as Record<string, unknown> | undefined;
      if (error && typeof error.message === 'string') error.message += ` (received Authorization: ${authorization})`;
      document.echoedAuthorization = authorization;
      body = JSON.stringify(document);
    }
  } else if (contentType.startsWith('text/html')) {
    body = body.replace('</body>', `<pre>Authorization: ${escapeHtml(authorization)}</pre></body>`);
  }
  return { ...answer, headers, body };
}
