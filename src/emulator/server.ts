import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import { FaultQueue } from './faults';
import { DROP_CONNECTION, type GraphCall, type GraphOutcome } from './graphCall';
import { errorAnswer, standardError, transportHeaders } from './graphResponses';
import { answerGraphCall, type GraphBackend } from './graphRoutes';
import { newGuid } from './ids';
import { OperationStore } from './operationStore';
import { sampleRegistrations } from './tenant';
import { WriteThrottle } from './throttle';
import { mintToken } from './tokens';
import type { Emulator, EmulatorOptions, RecordedRequest } from './types';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const DEFAULT_THROTTLE = { writesPerWindow: 200, windowMs: 20_000 };

function checkOptions(options: EmulatorOptions): void {
  const { port = 0, pageSize = 5, throttle = DEFAULT_THROTTLE } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`Invalid emulator port: ${port}`);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`Invalid emulator page size: ${pageSize}`);
  if (!(throttle.writesPerWindow >= 1) || !(throttle.windowMs > 0)) {
    throw new RangeError('The emulator throttle needs writesPerWindow >= 1 and windowMs > 0.');
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

interface ReceivedBody {
  text: string;
  tooLarge: boolean;
}

function readBody(request: http.IncomingMessage): Promise<ReceivedBody | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES }));
    request.on('error', () => resolve(undefined));
    request.on('close', () => {
      if (!request.complete) resolve(undefined);
    });
  });
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  checkOptions(options);
  const log = options.log ?? ((): void => undefined);
  const faults = new FaultQueue();
  const operations = new OperationStore();
  const throttle = new WriteThrottle(options.throttle ?? DEFAULT_THROTTLE);
  const backend: GraphBackend = {
    baseUrl: '',
    pageSize: options.pageSize ?? 5,
    registrations: structuredClone(options.registrations ?? sampleRegistrations),
    operations,
    throttle,
    faults,
  };
  let recorded: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const inFlight = new Set<AbortController>();

  const server = http.createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const reset = (): void => {
    operations.clear();
    recorded = [];
    faults.clear();
    throttle.reset();
  };
  const adminControls = {
    injectFault: (fault: Parameters<FaultQueue['add']>[0]) => faults.add(fault),
    clearFaults: () => faults.clear(),
    requests: () => recorded.slice(),
    mintToken,
    reset,
    operationsOf: (registrationId: string) => operations.list(registrationId) as unknown as Record<string, unknown>[],
  };

  async function serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const method = (request.method ?? 'GET').toUpperCase();
    const target = request.url ?? '/';
    const headers = flattenHeaders(request.headers);
    const body = await readBody(request);
    if (!body) return;

    if (target.startsWith(ADMIN_PREFIX)) {
      const answer = handleAdmin({ method, target, headers, body: body.text }, adminControls);
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      response.writeHead(answer.status, payload ? { 'Content-Type': 'application/json' } : {});
      response.end(payload);
      log(`${method} ${target} -> ${answer.status} (control)`);
      return;
    }

    recorded.push({ method, path: target, headers, body: body.text, receivedAt });
    const requestId = newGuid();
    const abort = new AbortController();
    inFlight.add(abort);
    response.on('close', () => {
      if (!response.writableFinished) abort.abort();
    });
    const call: GraphCall = {
      method,
      target,
      headers,
      body: body.text,
      requestId,
      clientRequestId: headers['client-request-id'] || requestId,
      insideBatch: false,
      signal: abort.signal,
    };

    let outcome: GraphOutcome;
    try {
      outcome = body.tooLarge ? standardError(call, 413) : await answerGraphCall(call, backend);
    } catch (error) {
      outcome = errorAnswer(call, 500, 'InternalError', `The emulator failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      inFlight.delete(abort);
    }

    const elapsed = `${Date.now() - receivedAt} ms`;
    if (outcome === DROP_CONNECTION) {
      request.socket.destroy();
      log(`${method} ${target} -> connection dropped (${elapsed})`);
      return;
    }
    if (response.destroyed) return;
    response.writeHead(outcome.status, {
      ...transportHeaders(call),
      'Cache-Control': 'no-cache',
      ...outcome.headers,
      'Content-Length': String(Buffer.byteLength(outcome.body)),
    });
    response.end(outcome.body);
    log(`${method} ${target} -> ${outcome.status} (${elapsed})`);
  }

  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    serve(request, response).catch((error: unknown) => {
      log(`${request.method} ${request.url} -> emulator failure: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end('The emulator failed while answering this request.');
    });
  });

  await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  backend.baseUrl = url;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const abort of inFlight) abort.abort();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return {
    url,
    close,
    mintToken: (claims) => mintToken(claims),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    get requests() {
      return recorded.slice();
    },
    operationsOf: adminControls.operationsOf,
    reset,
  };
}
