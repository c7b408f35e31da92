import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { isLoopbackHost } from '../../src/core/clouds';

export interface ProxiedRequest {
  /** 'CONNECT' for a tunnel, else the forwarded request's method. */
  readonly method: string;
  /** The request target as the proxy got it: "host:port" for CONNECT, an absolute URL otherwise. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  /** What the proxy answered itself (407), or 200 for a tunnel / the forwarded answer's status. */
  status?: number;
}

export interface TestProxy {
  /** http://127.0.0.1:<port> (no credentials). */
  readonly url: string;
  readonly port: number;
  readonly requests: ProxiedRequest[];
  /** Every byte that went through the tunnels, both ways, as latin1 text. */
  tunnelled(): string;
  /** With `inspectTls`: what the proxy could read inside the TLS it terminated. */
  inspected(): string;
  reset(): void;
  close(): Promise<void>;
}

export interface TestProxyOptions {
  /** "user:pass": requests without the matching Proxy-Authorization get 407. */
  readonly credentials?: string;
  /** CONNECT targets ("graph.microsoft.com:443") tunnelled to a loopback port instead, e.g. a stand-in for the host. */
  readonly tunnels?: Readonly<Record<string, number>>;
  /** Answer CONNECT itself and terminate the TLS with this certificate, as a TLS-inspecting proxy does. */
  readonly inspectTls?: { readonly key: string; readonly cert: string };
}

/**
 * A tiny forward proxy on 127.0.0.1 for tests: absolute-form requests are forwarded, CONNECT opens a
 * tunnel; everything is recorded. It never goes onto the network: a target that is not loopback and not
 * in `tunnels` gets 502.
 */
export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  const requests: ProxiedRequest[] = [];
  const chunks: Buffer[] = [];
  const inspected: Buffer[] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
  const authorized = (headers: IncomingHttpHeaders): boolean => !expected || headers['proxy-authorization'] === expected;

  const server = createServer((req, res) => {
    const seen: ProxiedRequest = { method: req.method ?? '', target: req.url ?? '', headers: req.headers };
    requests.push(seen);
    if (!authorized(req.headers)) {
      seen.status = 407;
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"', 'Content-Type': 'text/plain' }).end('proxy authentication required');
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:' || !isLoopbackHost(target.hostname)) throw new Error('not loopback http');
    } catch {
      seen.status = 400;
      res.writeHead(400).end('absolute-form http:// URL on a loopback host expected');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      seen.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      seen.status = 502;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const seen: ProxiedRequest = { method: 'CONNECT', target: req.url ?? '', headers: req.headers };
    requests.push(seen);
    if (!authorized(req.headers)) {
      seen.status = 407;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (options.inspectTls) {
      seen.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const secure = new TLSSocket(client, { isServer: true, key: options.inspectTls.key, cert: options.inspectTls.cert });
      secure.on('data', (data: Buffer) => inspected.push(data));
      secure.on('error', () => client.destroy());
      if (head.length) client.unshift(head);
      return;
    }
    const asked = req.url ?? '';
    const [host, port] = [asked.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'), Number(/:(\d+)$/.exec(asked)?.[1] ?? 443)];
    const tunnelPort = options.tunnels?.[req.url ?? ''];
    if (tunnelPort === undefined && !isLoopbackHost(host)) {
      seen.status = 502;
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(tunnelPort === undefined ? { host, port } : { host: '127.0.0.1', port: tunnelPort }, () => {
      seen.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) {
        chunks.push(head);
        upstream.write(head);
      }
      upstream.on('data', (data: Buffer) => {
        chunks.push(data);
        client.write(data);
      });
      client.on('data', (data: Buffer) => {
        chunks.push(data);
        upstream.write(data);
      });
      upstream.on('end', () => client.end());
      client.on('end', () => upstream.end());
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (seen.status === undefined) {
        seen.status = 502;
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      } else client.destroy();
    });
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    tunnelled: () => Buffer.concat(chunks).toString('latin1'),
    inspected: () => Buffer.concat(inspected).toString('latin1'),
    reset: () => {
      requests.length = 0;
      chunks.length = 0;
      inspected.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nobody listens on (a server was there a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
