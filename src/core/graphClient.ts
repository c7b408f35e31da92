import { assertSendableToken } from './accessToken';
import { isTokenDestination, type GraphTarget } from './clouds';
import { IntuneFailure } from './failures';
import { decodeGraphError, type GraphErrorDetails } from './graphError';
import { abortableSleep } from './abort';
import { newGuid } from './validation';
import { describeRoute, type ProxySettings } from './proxy';
import { HttpExchangeError, incompleteAnswerCode, sendHttp } from './httpExchange';
import { ProxyAgents } from './proxyAgent';
import type { GraphRequest } from './operationRequest';
import { Redactor, redactedMark } from './redact';
import { settings } from './settings';
import { describeCertificateFailure } from './tlsFailure';
import { backoffDelay, defaultRetrySettings, isRetryableRead, isSafeToRepeatPost, parseRetryAfter, type RetrySettings } from './retryPolicy';

export interface TokenRequest {
  /** Ask for a new token rather than a cached one (after a 401 challenge). */
  readonly forceRefresh: boolean;
  /** Claims from a 401 `WWW-Authenticate` challenge (Continuous Access Evaluation). */
  readonly claims?: string;
  readonly wwwAuthenticate?: string;
}
export type TokenProvider = (request: TokenRequest) => Promise<string>;

/**
 * - succeeded: the answer was 2xx.
 * - failed: the answer proves nothing was created (or a read failed).
 * - unknown: a write may or may not have happened (timeout, lost connection, 500/502/504).
 * - cancelled: stopped before anything could have been created.
 */
export type Outcome = 'succeeded' | 'failed' | 'unknown' | 'cancelled';

export interface Exchange {
  /** What was sent, with the token replaced by [redacted]. */
  readonly request: GraphRequest;
  readonly outcome: Outcome;
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  readonly json?: unknown;
  readonly attempts: number;
  readonly durationMs: number;
  readonly clientRequestId: string;
  readonly requestId?: string;
  readonly error?: GraphErrorDetails;
  /** Why the outcome is not success, in words, when there is no Graph error body to say it. */
  readonly reason?: string;
}

export type ClientEvent =
  | { readonly type: 'attempt'; readonly attempt: number; readonly method: string; readonly url: string; readonly route?: string }
  | { readonly type: 'response'; readonly attempt: number; readonly status: number; readonly ms: number }
  | { readonly type: 'retry-wait'; readonly attempt: number; readonly waitMs: number; readonly because: string }
  | { readonly type: 'redirect'; readonly from: string; readonly to: string; readonly withToken: boolean }
  | { readonly type: 'reauthenticate'; readonly because: string };

export interface GraphClientOptions {
  readonly target: GraphTarget;
  readonly getToken: TokenProvider;
  readonly userAgent: string;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetrySettings>;
  /** Response bodies beyond this many bytes (once decompressed) are not read. */
  readonly maxResponseBytes?: number;
  /** Proxy to use (the CLI's HTTPS_PROXY / HTTP_PROXY / NO_PROXY); none by default. */
  readonly proxy?: ProxySettings | ProxyAgents;
  readonly onEvent?: (event: ClientEvent) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Pages listAll follows before calling a list endless; 10,000 by default. */
  readonly maxPages?: number;
}

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  /** Reuse a client-request-id (e.g. shown in a dry run); one is made otherwise. */
  readonly clientRequestId?: string;
  /** Holds each attempt back until it may be sent, and hears its answer (the bulk engine's pacing). */
  readonly gate?: AttemptGate;
}

/** What an attempt came back with: its status, headers and body (secrets redacted), or nothing (no answer). */
export interface AttemptAnswer {
  readonly status?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText?: string;
}

export interface AttemptGate {
  /** Resolves when the attempt may go; a rejection sends nothing more (the exchange ends cancelled). */
  beforeSend(attempt: number): Promise<void>;
  afterAnswer(attempt: number, answer: AttemptAnswer): void;
}

/** Thrown when a URL would carry the token somewhere that is not the configured Graph root. */
export class UnsafeDestinationError extends IntuneFailure {
  readonly kind = 'unsafe-destination' as const;
}

/** Thrown when Graph's @odata.nextLink leads back to a page already read, or on past the page limit. */
export class EndlessPagingError extends IntuneFailure {
  readonly kind = 'graph' as const;

  constructor(
    readonly pagesRead: number,
    readonly repeated: boolean,
  ) {
    super(
      repeated
        ? `Graph's @odata.nextLink led back to a page already read (page ${pagesRead + 1}): the list would be endless, so it was stopped.`
        : `Graph kept sending more pages (more than ${pagesRead}): the list looks endless, so it was stopped.`,
    );
  }
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const writeMayHaveHappened = new Set([301, 302, 303]);
const maxRedirects = 5;

/** `connected` is false only when the request cannot have reached the server (see HttpExchangeError). */
type AttemptResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; bodyText: string; bodyTooLarge: boolean }
  | { kind: 'timeout'; connected: boolean }
  | { kind: 'aborted'; connected: boolean }
  | { kind: 'network'; code: string; message: string; connected: boolean; duringHandshake: boolean; host: string; proxy?: string };

export class GraphClient {
  private readonly retry: RetrySettings;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly proxy: ProxyAgents | undefined;
  private readonly maxPages: number;

  constructor(private readonly options: GraphClientOptions) {
    const proxy = options.proxy;
    this.proxy = proxy === undefined ? undefined : proxy instanceof ProxyAgents ? proxy : new ProxyAgents(proxy);
    this.retry = { ...defaultRetrySettings, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? settings.timeoutSeconds.default * 1000;
    this.maxResponseBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
    this.sleep = options.sleep ?? abortableSleep;
    this.maxPages = options.maxPages ?? 10_000;
  }

  get target(): GraphTarget {
    return this.options.target;
  }

  /** The headers a request is sent with, the token shown as [redacted]. */
  displayHeaders(request: GraphRequest, clientRequestId: string, attempt = 1): Record<string, string> {
    return this.headersFor(request, clientRequestId, attempt, redactedMark);
  }

  /**
   * Sends a request once or, when the answer proves it safe, several times. A POST is repeated only
   * after 429 or 503; reads are repeated after any transient failure. Throws InvalidTokenError, before
   * anything is sent, for a token that cannot go into a header.
   */
  async execute(request: GraphRequest, options: ExecuteOptions = {}): Promise<Exchange> {
    this.assertTokenDestination(request.url);
    const isWrite = request.method !== 'GET';
    const clientRequestId = options.clientRequestId ?? newGuid();
    const redactor = new Redactor();
    const started = Date.now();
    let totalWaitMs = 0;
    let reauthenticated = false;
    let tokenRequest: TokenRequest = { forceRefresh: false };

    const finish = (attempts: number, outcome: Outcome, parts: Partial<Exchange> = {}): Exchange => ({
      request: { ...request, headers: this.displayHeaders(request, clientRequestId, attempts) },
      outcome,
      headers: {},
      bodyText: '',
      attempts,
      durationMs: Date.now() - started,
      clientRequestId,
      ...parts,
    });

    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) {
        return finish(attempt - 1, 'cancelled', { reason: 'Cancelled before the request was sent.' });
      }
      const token = await this.options.getToken(tokenRequest);
      redactor.addSecret(token);
      assertSendableToken(token);
      if (options.gate) {
        try {
          await options.gate.beforeSend(attempt);
        } catch (error) {
          return finish(attempt - 1, 'cancelled', { reason: error instanceof Error ? error.message : 'Not sent.' });
        }
      }
      const result = await this.attempt(request, token, clientRequestId, attempt, options.signal);

      if (result.kind !== 'response') {
        options.gate?.afterAnswer(attempt, { headers: {} });
        const connected = result.connected;
        const reason = describeFailure(result, this.timeoutMs);
        if (isWrite && connected) {
          return finish(attempt, 'unknown', {
            reason: `${reason} The operation may or may not have been created; it was not sent again. List the registration's operations to check.`,
          });
        }
        if (result.kind === 'aborted') {
          return finish(attempt, 'cancelled', { reason });
        }
        const wait = isWrite ? undefined : this.nextWait(attempt, undefined, totalWaitMs);
        if (wait === undefined) {
          return finish(attempt, 'failed', { reason: isWrite ? `${reason} Nothing reached Graph, so nothing was created.` : reason });
        }
        totalWaitMs += wait;
        this.options.onEvent?.({ type: 'retry-wait', attempt, waitMs: wait, because: reason });
        if (!(await this.waitOrCancel(wait, options.signal))) {
          return finish(attempt, 'cancelled', { reason: 'Cancelled while waiting to retry.' });
        }
        continue;
      }

      const headers = redactHeaders(result.headers, redactor);
      const bodyText = result.bodyTooLarge ? `[response body larger than ${this.maxResponseBytes} bytes, not read]` : redactor.redact(result.bodyText);
      options.gate?.afterAnswer(attempt, { status: result.status, headers, bodyText });
      const requestId = headers['request-id'];
      const parts: Partial<Exchange> = { status: result.status, headers, bodyText, ...(requestId ? { requestId } : {}) };

      if (result.status >= 200 && result.status < 300) {
        // A write's status says what happened; a read without its body has read nothing.
        if (result.bodyTooLarge && !isWrite) {
          return finish(attempt, 'failed', {
            ...parts,
            reason: `The answer was larger than ${this.maxResponseBytes} bytes once decompressed, so it was not read.`,
          });
        }
        const json = parseJson(bodyText);
        return finish(attempt, 'succeeded', { ...parts, ...(json !== undefined ? { json } : {}) });
      }
      const error = decodeGraphError(result.status, headers, bodyText);
      const withError = { ...parts, error };

      if (result.status === 401 && !reauthenticated) {
        const challenge = result.headers['www-authenticate'] ?? '';
        const claims = /claims="([^"]+)"/i.exec(challenge)?.[1];
        if (claims) {
          reauthenticated = true;
          tokenRequest = { forceRefresh: true, claims, wwwAuthenticate: challenge };
          this.options.onEvent?.({ type: 'reauthenticate', because: 'Graph asked for a fresh sign-in (claims challenge)' });
          continue;
        }
      }
      const repeatable = isWrite ? isSafeToRepeatPost(result.status) : isRetryableRead(result.status);
      if (repeatable) {
        const retryAfterMs = parseRetryAfter(result.headers['retry-after']);
        const wait = this.nextWait(attempt, retryAfterMs, totalWaitMs);
        if (wait !== undefined) {
          totalWaitMs += wait;
          this.options.onEvent?.({ type: 'retry-wait', attempt, waitMs: wait, because: `HTTP ${result.status}` });
          if (!(await this.waitOrCancel(wait, options.signal))) {
            return finish(attempt, 'cancelled', { ...withError, reason: `Cancelled while waiting to retry after HTTP ${result.status}; nothing was created.` });
          }
          continue;
        }
        return finish(attempt, 'failed', { ...withError, reason: this.givingUpReason(attempt, result.status, retryAfterMs, totalWaitMs) });
      }
      // 301/302/303 to a POST may follow processing (post/redirect/get); only 307/308 ask to repeat it elsewhere.
      if (isWrite && (result.status >= 500 || result.status === 408 || writeMayHaveHappened.has(result.status))) {
        return finish(attempt, 'unknown', {
          ...withError,
          reason: `HTTP ${result.status}: Graph did not say whether the operation was created; it was not sent again. List the registration's operations to check.`,
        });
      }
      return finish(attempt, 'failed', withError);
    }
  }

  /**
   * Follows @odata.nextLink to the end, handing each page's items over as they arrive. Throws
   * EndlessPagingError when a link repeats or the pages go on past the limit.
   */
  async listAll<T = Record<string, unknown>>(
    request: GraphRequest,
    onPage?: (items: T[], pageNumber: number) => void,
    options: ExecuteOptions = {},
  ): Promise<{ items: T[]; exchange: Exchange }> {
    const items: T[] = [];
    const seen = new Set<string>();
    let next: GraphRequest | undefined = request;
    let exchange: Exchange | undefined;
    for (let page = 1; next; page++) {
      if (seen.has(next.url)) throw new EndlessPagingError(page - 1, true);
      if (page > this.maxPages) throw new EndlessPagingError(page - 1, false);
      seen.add(next.url);
      exchange = await this.execute(next, options);
      if (exchange.outcome !== 'succeeded') {
        return { items, exchange };
      }
      const body = exchange.json as { value?: unknown; '@odata.nextLink'?: unknown } | undefined;
      const pageItems = Array.isArray(body?.value) ? (body.value as T[]) : [];
      items.push(...pageItems);
      onPage?.(pageItems, page);
      const link = typeof body?.['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
      next = link ? { method: 'GET', url: link, headers: request.headers } : undefined;
    }
    return { items, exchange: exchange! };
  }

  private assertTokenDestination(url: string): void {
    if (!isTokenDestination(this.options.target, url)) {
      throw new UnsafeDestinationError(`Refusing to send the token to ${safeOrigin(url)}: it is not the configured Graph root (${this.options.target.root}).`);
    }
  }

  private headersFor(request: GraphRequest, clientRequestId: string, attempt: number, token: string): Record<string, string> {
    return {
      ...request.headers,
      Authorization: `Bearer ${token}`,
      'User-Agent': this.options.userAgent,
      'client-request-id': clientRequestId,
      ...(attempt > 1 ? { 'Retry-Attempt': String(attempt - 1) } : {}),
    };
  }

  private nextWait(attempt: number, retryAfterMs: number | undefined, waitedMs: number): number | undefined {
    if (attempt > this.retry.maxRetries) return undefined;
    const wait = retryAfterMs ?? backoffDelay(attempt, this.retry);
    return waitedMs + wait > this.retry.maxTotalWaitMs ? undefined : wait;
  }

  private givingUpReason(attempt: number, status: number, retryAfterMs: number | undefined, waitedMs: number): string {
    if (attempt > this.retry.maxRetries) {
      return `HTTP ${status} after ${attempt} attempt(s); gave up (at most ${this.retry.maxRetries} retries). Nothing was created.`;
    }
    return `HTTP ${status}: Graph asked to wait ${((retryAfterMs ?? 0) / 1000).toFixed(1)} s more, beyond the ${Math.round(this.retry.maxTotalWaitMs / 1000)} s wait budget (waited ${Math.round(waitedMs / 1000)} s). Nothing was created.`;
  }

  private async waitOrCancel(ms: number, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.sleep(ms, signal);
      return !signal?.aborted;
    } catch {
      return false;
    }
  }

  private async attempt(request: GraphRequest, token: string, clientRequestId: string, attempt: number, signal?: AbortSignal): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    let url = request.url;
    let method: string = request.method;
    let body = request.body;
    let withToken = true;
    let proxy: string | undefined;
    try {
      for (let hop = 0; ; hop++) {
        const route = this.proxy?.rules.active ? this.proxy.rules.route(url) : undefined;
        proxy = route?.kind === 'proxy' ? route.server.display : undefined;
        this.options.onEvent?.({ type: 'attempt', attempt, method, url, ...(route ? { route: describeRoute(route) } : {}) });
        const headers = this.headersFor(request, clientRequestId, attempt, token);
        if (!withToken) delete headers['Authorization'];
        const response = await sendHttp({ url, method, headers, body, agent: this.proxy?.agentFor(url), signal: controller.signal });
        const nextUrl = redirectStatuses.has(response.status) && hop < maxRedirects ? redirectTarget(response.headers['location'], url) : undefined;
        if (nextUrl) {
          const keepsMethod = response.status === 307 || response.status === 308;
          if (keepsMethod || method === 'GET') {
            withToken = withToken && isTokenDestination(this.options.target, nextUrl.href);
            this.options.onEvent?.({ type: 'redirect', from: url, to: nextUrl.href, withToken });
            response.discard();
            url = nextUrl.href;
            if (!keepsMethod) {
              method = 'GET';
              body = undefined;
            }
            continue;
          }
        }
        const read = await response.readBody(this.maxResponseBytes);
        this.options.onEvent?.({ type: 'response', attempt, status: response.status, ms: Date.now() - started });
        return { kind: 'response', status: response.status, headers: { ...response.headers }, bodyText: read.text, bodyTooLarge: read.tooLarge };
      }
    } catch (error) {
      const connected = !(error instanceof HttpExchangeError) || error.mayHaveArrived;
      if (timedOut) return { kind: 'timeout', connected };
      if (signal?.aborted) return { kind: 'aborted', connected };
      const code = error instanceof HttpExchangeError ? error.code : String((error as { code?: unknown }).code ?? 'ERROR');
      const duringHandshake = error instanceof HttpExchangeError && error.stage === 'handshake';
      return { kind: 'network', code, message: (error as Error).message, connected, duringHandshake, host: new URL(url).host, ...(proxy ? { proxy } : {}) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Where a redirect leads, when it names an http(s) URL. */
function redirectTarget(location: string | undefined, from: string): URL | undefined {
  if (!location) return undefined;
  try {
    const next = new URL(location, from);
    return next.protocol === 'http:' || next.protocol === 'https:' ? next : undefined;
  } catch {
    return undefined;
  }
}

function describeFailure(result: Exclude<AttemptResult, { kind: 'response' }>, timeoutMs: number): string {
  switch (result.kind) {
    case 'timeout':
      return result.connected ? `No answer within ${seconds(timeoutMs)} s (timed out).` : `Could not connect within ${seconds(timeoutMs)} s (timed out).`;
    case 'aborted':
      return result.connected ? 'Cancelled while waiting for the answer.' : 'Cancelled before the request could be sent.';
    case 'network': {
      const through = result.proxy ? `; through the proxy ${result.proxy}` : '';
      if (result.code === incompleteAnswerCode)
        return `The connection was lost in the middle of the answer (it closed before the whole body arrived${through}).`;
      if (result.connected) return `The connection was lost (${result.code}${through}).`;
      const certificate = describeCertificateFailure(result.code, result.host, result.proxy);
      if (certificate) return certificate;
      if (result.duringHandshake) return `The TLS handshake with ${result.host} failed (${result.code}${through}).`;
      if (result.proxy) {
        const status = /\(HTTP (\d{3})/.exec(result.message)?.[1];
        return result.code === 'ERR_PROXY_REFUSED'
          ? `The proxy ${result.proxy} refused to connect to Graph${status ? ` (HTTP ${status}${status === '407' ? ': the proxy wants credentials, or other ones' : ''})` : ''}.`
          : `Could not connect through the proxy ${result.proxy} (${result.code}).`;
      }
      return `Could not connect (${result.code}).`;
    }
  }
}

function seconds(ms: number): string {
  return String(Math.round((ms / 1000) * 10) / 10);
}

function redactHeaders(headers: Record<string, string>, redactor: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = redactor.redact(value);
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
