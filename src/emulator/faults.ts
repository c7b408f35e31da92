import { DROP_CONNECTION, type GraphAnswer, type GraphCall, type GraphOutcome } from './graphCall';
import {
  DEFAULT_WWW_AUTHENTICATE,
  errorAnswer,
  errorStyleFor,
  htmlGatewayPage,
  intuneMessage,
  jsonAnswer,
} from './graphResponses';
import type { Fault } from './types';

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  private queued: QueuedFault[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times > 0)) throw new RangeError('Fault.times must be a positive number.');
    this.queued.push({ fault: { ...fault }, remaining: times });
  }

  clear(): void {
    this.queued = [];
  }

  /** The first queued fault that matches, with one of its uses spent. */
  take(method: string, target: string): Fault | undefined {
    const index = this.queued.findIndex((entry) => matches(entry.fault, method, target));
    if (index < 0) return undefined;
    const entry = this.queued[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queued.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, method: string, target: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return target.includes(fault.path);
  fault.path.lastIndex = 0;
  return fault.path.test(target);
}

/** Whether the fault replaces the answer (as opposed to only delaying or decorating the normal one). */
function replacesAnswer(fault: Fault): boolean {
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
  const message =
    fault.intuneMessage !== undefined
      ? intuneMessage(call, fault.intuneMessage)
      : style.intune
        ? intuneMessage(call, style.text)
        : style.text;
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

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs `handle` unless a queued fault says otherwise. */
export async function answerWithFaults(
  call: GraphCall,
  faults: FaultQueue,
  handle: () => Promise<GraphOutcome>,
): Promise<GraphOutcome> {
  const fault = faults.take(call.method, call.target);
  if (!fault) return handle();

  const delay = async (): Promise<boolean> => {
    if (fault.delayMs !== undefined && fault.delayMs > 0) await pause(fault.delayMs, call.signal);
    return !call.signal.aborted;
  };

  let outcome: GraphOutcome;
  if (fault.processFirst) {
    // The write happens before the delay, so a client that times out is left not knowing it succeeded.
    const processed = await handle();
    if (!(await delay()) || fault.reset || processed === DROP_CONNECTION) return DROP_CONNECTION;
    outcome = faultAnswer(call, fault);
  } else {
    if (!(await delay()) || fault.reset) return DROP_CONNECTION;
    outcome = replacesAnswer(fault) ? faultAnswer(call, fault) : await handle();
  }
  if (outcome === DROP_CONNECTION || !fault.echoAuthorization) return outcome;
  return echoAuthorization(outcome, call.headers.authorization ?? '');
}
