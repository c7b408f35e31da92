import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ADMIN_PREFIX, type AdminControls, handleAdmin } from './admin';
import { EmulatorState } from './emulatorState';
import { DROP_CONNECTION, type GraphCall, type GraphOutcome } from './graphCall';
import { errorAnswer, standardError, transportHeaders } from './graphResponses';
import { answerGraphCall } from './graphRoutes';
import { newGuid } from './ids';
import { mintToken } from './tokens';
import type { Emulator, EmulatorOptions, RecordedRequest } from './types';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function checkOptions(options: EmulatorOptions): void {
  const { port = 0, pageSize = 5 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`Invalid emulator port: ${port}`);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`Invalid emulator page size: ${pageSize}`);
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
  const state = new EmulatorState(options);
  const sockets = new Set<Socket>();
  const inFlight = new Set<AbortController>();

  const server = http.createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const controls: AdminControls = {
    injectFault: (fault) => state.faults.queue.add(fault),
    clearFaults: () => state.faults.queue.clear(),
    requests: () => state.recorded.slice(),
    mintToken,
    reset: () => state.reset(),
    operationsOf: (registrationId) => state.operations.list(registrationId) as unknown as Record<string, unknown>[],
    stats: () => state.stats.snapshot(),
    writeLimits: () => state.limiter.current,
    setWriteLimits: (limits) => state.setWriteLimits(limits),
    randomFaults: () => state.faults.random?.settings,
    setRandomFaults: (faults) => state.setRandomFaults(faults),
    setRegistrations: (registrations) => state.setRegistrations(registrations),
  };

  async function serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const method = (request.method ?? 'GET').toUpperCase();
    const target = request.url ?? '/';
    const headers = flattenHeaders(request.headers);
    const body = await readBody(request);
    if (!body) return;

    if (target.startsWith(ADMIN_PREFIX)) {
      const answer = handleAdmin({ method, target, headers, body: body.text }, controls);
      const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
      response.writeHead(answer.status, payload ? { 'Content-Type': 'application/json' } : {});
      response.end(payload);
      log(`${method} ${target} -> ${answer.status} (control)`);
      return;
    }

    const recorded: RecordedRequest = { method, path: target, headers, body: body.text, receivedAt };
    state.recorded.push(recorded);
    state.stats.add('httpRequests');
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
      effects: { operationsCreated: 0 },
      recorded,
    };

    let outcome: GraphOutcome;
    try {
      outcome = body.tooLarge ? standardError(call, 413) : await answerGraphCall(call, state);
    } catch (error) {
      outcome = errorAnswer(call, 500, 'InternalError', `The emulator failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      inFlight.delete(abort);
    }

    const elapsed = `${Date.now() - receivedAt} ms`;
    if (outcome === DROP_CONNECTION) {
      state.stats.add('connectionsDropped');
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
  state.baseUrl = url;

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
    get requests() {
      return state.recorded.slice();
    },
    injectFault: controls.injectFault,
    clearFaults: controls.clearFaults,
    operationsOf: controls.operationsOf,
    stats: controls.stats,
    writeLimits: controls.writeLimits,
    setWriteLimits: controls.setWriteLimits,
    setRandomFaults: controls.setRandomFaults,
    setRegistrations: controls.setRegistrations,
    reset: controls.reset,
  };
}
