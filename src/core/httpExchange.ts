import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import zlib from 'node:zlib';
import type { TunnelRequestOptions } from './proxyAgent';

export interface HttpRequestSpec {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  /** A proxy agent; none means Node's default (which VS Code's proxy support replaces in the extension host). */
  readonly agent?: http.Agent | undefined;
  /** Aborting drops the connection at once, whatever stage the exchange is in. */
  readonly signal: AbortSignal;
}

/**
 * How far an exchange got: still connecting, in the TLS handshake (for https), or connected, from when on
 * the request may have reached the server. Before that nothing can have been sent.
 */
export type ExchangeStage = 'connecting' | 'handshake' | 'connected';

/** Why an exchange failed, and at which stage. */
export class HttpExchangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly stage: ExchangeStage,
  ) {
    super(message);
  }

  get mayHaveArrived(): boolean {
    return this.stage === 'connected';
  }
}

/** The code of a connection that ended before the whole answer (as its Content-Length or chunks announced) arrived. */
export const incompleteAnswerCode = 'ERR_INCOMPLETE_ANSWER';

export interface HttpBody {
  readonly text: string;
  /** The decoded body went past the limit: reading stopped there and `text` is empty. */
  readonly tooLarge: boolean;
}

export interface HttpResponseHead {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body decoded (gzip, deflate, br) as UTF-8, at most `maxBytes` of it once decoded. The connection is dropped once it settles. */
  readBody(maxBytes: number): Promise<HttpBody>;
  /** Drops the connection without reading the body (a redirect being followed). */
  discard(): void;
}

/**
 * One HTTP exchange on node:http/https, which (unlike node-fetch 2) notices a connection that closes in the
 * middle of a body, stops reading and decompressing the moment the result is known, and never leaves a
 * connection behind. Every request asks for `Connection: close`: the Graph client never reuses a connection,
 * so an idle one the server dropped can never turn a POST's outcome unknown.
 */
export function sendHttp(spec: HttpRequestSpec): Promise<HttpResponseHead> {
  return new Promise((resolve, reject) => {
    const url = new URL(spec.url);
    const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
    const headers: Record<string, string> = {
      ...spec.headers,
      'Accept-Encoding': 'gzip, deflate, br',
      Connection: 'close',
      ...(body !== undefined ? { 'Content-Length': String(body.length) } : {}),
    };
    let stage: ExchangeStage = 'connecting';
    let response: http.IncomingMessage | undefined;
    /** The first thing that went wrong once the answer had begun, for readBody. */
    let broken: HttpExchangeError | undefined;
    let onBroken: ((error: HttpExchangeError) => void) | undefined;
    let request: http.ClientRequest | undefined;

    const drop = (): void => {
      spec.signal.removeEventListener('abort', onAbort);
      request?.destroy();
      response?.destroy();
    };
    const fail = (error: HttpExchangeError): void => {
      if (!response) {
        drop();
        reject(error);
        return;
      }
      broken ??= error;
      onBroken?.(broken);
    };
    const onAbort = (): void => fail(new HttpExchangeError('ABORT_ERR', 'the exchange was aborted', stage));
    if (spec.signal.aborted) {
      reject(new HttpExchangeError('ABORT_ERR', 'the exchange was aborted', stage));
      return;
    }
    spec.signal.addEventListener('abort', onAbort, { once: true });

    let sending: http.ClientRequest;
    // The signal also reaches a tunnel agent: a CONNECT the proxy never answers must not outlive the exchange.
    const options: http.RequestOptions & TunnelRequestOptions = {
      method: spec.method,
      headers,
      connectSignal: spec.signal,
      ...(spec.agent ? { agent: spec.agent } : {}),
    };
    try {
      sending = request = (url.protocol === 'https:' ? https : http).request(url, options);
    } catch (error) {
      drop();
      reject(new HttpExchangeError(codeOf(error), (error as Error).message, stage));
      return;
    }
    sending.on('socket', (socket: Socket) => {
      if (sending.reusedSocket || isEstablished(socket)) {
        stage = 'connected';
      } else if (socket instanceof tls.TLSSocket) {
        // A TLS socket over a tunnel is handed over connected; a direct one connects first.
        if (!socket.connecting) stage = 'handshake';
        else
          socket.once('connect', () => {
            stage = 'handshake';
          });
        socket.once('secureConnect', () => {
          stage = 'connected';
        });
      } else {
        socket.once('connect', () => {
          stage = 'connected';
        });
      }
    });
    sending.on('error', (error) => fail(new HttpExchangeError(codeOf(error), error.message, stage)));
    sending.on('response', (answer: http.IncomingMessage) => {
      stage = 'connected';
      response = answer;
      const incomplete = (): void => {
        if (!answer.complete) fail(new HttpExchangeError(incompleteAnswerCode, 'the connection closed before the whole answer arrived', 'connected'));
      };
      answer.on('aborted', incomplete);
      answer.on('close', incomplete);
      answer.on('error', (error) => fail(new HttpExchangeError(codeOf(error), error.message, 'connected')));
      resolve({
        status: answer.statusCode ?? 0,
        headers: flattenHeaders(answer.headers),
        discard: drop,
        readBody: (maxBytes) =>
          new Promise<HttpBody>((done, failed) => {
            if (broken) {
              drop();
              failed(broken);
              return;
            }
            const decoder = decoderFor(answer.headers['content-encoding']);
            const output: Readable = decoder ?? answer;
            const chunks: Buffer[] = [];
            let size = 0;
            let settled = false;
            const finish = (settle: () => void): void => {
              if (settled) return;
              settled = true;
              drop();
              decoder?.destroy();
              settle();
            };
            onBroken = (error) => finish(() => failed(error));
            output.on('data', (chunk: Buffer) => {
              if (settled) return;
              size += chunk.length;
              if (size > maxBytes) finish(() => done({ text: '', tooLarge: true }));
              else chunks.push(chunk);
            });
            output.on('end', () => {
              if (!answer.complete) return; // 'close' says why
              finish(() => done({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: false }));
            });
            decoder?.on('error', (error) =>
              fail(
                new HttpExchangeError(
                  codeOf(error),
                  `the ${String(answer.headers['content-encoding'])} body could not be decoded (${error.message})`,
                  'connected',
                ),
              ),
            );
            if (decoder) answer.pipe(decoder);
          }),
      });
    });
    sending.end(body);
  });
}

/** True when the connection is already there: a TCP socket that connected, a TLS socket past its handshake. */
function isEstablished(socket: Socket): boolean {
  return socket instanceof tls.TLSSocket ? socket.getFinished() !== undefined : !socket.connecting && !socket.destroyed;
}

/** Curl's lenient flushing: a body cut short still yields what it holds instead of an error. */
const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

function decoderFor(contentEncoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((contentEncoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(lenient);
    case 'deflate':
    case 'x-deflate':
      return zlib.createInflate(lenient);
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function codeOf(error: unknown): string {
  return String((error as { code?: unknown }).code ?? 'ERROR');
}
