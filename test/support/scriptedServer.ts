import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

export interface ScriptedServer {
  /** http://127.0.0.1:<port>, to pass as --graph-url. */
  readonly url: string;
  readonly requests: ScriptedRequest[];
  /** Connections still open (a client that dropped its connection is no longer counted). */
  openConnections(): number;
  /** Resolves once every connection the server had is closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that answers the way a test scripts it: anything a hostile or broken Graph could
 * do, from endless bodies to escape sequences. It records what it was asked and which connections are open.
 */
export async function startScriptedServer(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const sockets = new Set<Socket>();
  let closedWaiters: Array<() => void> = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    request.resume();
    answer(request, response);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) for (const done of closedWaiters.splice(0)) done();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    openConnections: () => sockets.size,
    allClosed: () =>
      sockets.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            closedWaiters.push(resolve);
          }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        closedWaiters = [];
        server.close(() => resolve());
      }),
  };
}
