import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ProxyRules, type ProxyServer, type ProxySettings } from './proxy';

/** Failures to reach the proxy that keep their own code; any other becomes ERR_PROXY_CLOSED. */
const notConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const defaultConnectTimeoutMs = 30_000;
const maxConnectAnswerBytes = 16 * 1024;

/** A failure before the target was reached; the message names the proxy without its credentials. */
export class ProxyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** What a request can pass to the tunnel agent: aborting `connectSignal` abandons a tunnel still being opened. */
export interface TunnelRequestOptions {
  readonly connectSignal?: AbortSignal;
}

/**
 * For https:// targets: a CONNECT tunnel through the proxy, then TLS end to end with the target, so the
 * proxy sees the host name and encrypted bytes only (never a token). Proxy credentials go in the CONNECT.
 */
export class TunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: ProxyServer,
    private readonly connectTimeoutMs = defaultConnectTimeoutMs,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(
    options: https.RequestOptions & tls.ConnectionOptions & TunnelRequestOptions,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
    const port = Number(options.port ?? 443);
    openTunnel(this.proxy, host, port, this.connectTimeoutMs, options.connectSignal).then(
      (socket) => {
        const { path: _path, socketPath: _socketPath, connectSignal: _signal, ...tlsOptions } = options as Record<string, unknown>;
        const secure = tls.connect({ ...(tlsOptions as tls.ConnectionOptions), socket, host, ...(net.isIP(host) ? {} : { servername: host }) });
        callback?.(null, secure);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/**
 * For http:// targets (loopback emulators only): the request goes to the proxy in absolute form
 * ("GET http://host:port/path"), with Proxy-Authorization when the proxy URL holds credentials.
 */
export class ForwardingAgent extends http.Agent {
  constructor(private readonly proxy: ProxyServer) {
    super({ keepAlive: false });
  }

  addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
    const port = Number(options.port ?? 80);
    if (!/^https?:\/\//i.test(request.path)) {
      request.path = `http://${net.isIP(host) === 6 ? `[${host}]` : host}:${port}${request.path}`;
    }
    if (this.proxy.authorization) request.setHeader('Proxy-Authorization', this.proxy.authorization);
    (http.Agent.prototype as unknown as { addRequest(r: http.ClientRequest, o: http.RequestOptions): void }).addRequest.call(this, request, options);
  }

  override createConnection(): Duplex {
    return net.connect({ host: this.proxy.hostname, port: this.proxy.port });
  }
}

/** The agents for one proxy configuration: which agent (if any) a URL goes through. */
export class ProxyAgents {
  readonly rules: ProxyRules;
  private readonly tunnels = new Map<ProxyServer, TunnelAgent>();
  private readonly forwarders = new Map<ProxyServer, ForwardingAgent>();

  constructor(settings: ProxySettings | ProxyRules) {
    this.rules = settings instanceof ProxyRules ? settings : new ProxyRules(settings);
  }

  /** The agent for this URL; undefined means Node's default (a direct connection). */
  agentFor(target: URL | string): http.Agent | undefined {
    const url = typeof target === 'string' ? new URL(target) : target;
    const route = this.rules.route(url);
    if (route.kind !== 'proxy') return undefined;
    if (url.protocol === 'https:') {
      let agent = this.tunnels.get(route.server);
      if (!agent) this.tunnels.set(route.server, (agent = new TunnelAgent(route.server)));
      return agent;
    }
    let agent = this.forwarders.get(route.server);
    if (!agent) this.forwarders.set(route.server, (agent = new ForwardingAgent(route.server)));
    return agent;
  }
}

/**
 * Opens a CONNECT tunnel to host:port; resolves with the socket once the proxy answered 200. Aborting
 * `signal` gives up at once (the request that wanted the tunnel is gone), so no socket is left waiting.
 */
export function openTunnel(proxy: ProxyServer, host: string, port: number, timeoutMs = defaultConnectTimeoutMs, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const target = `${net.isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    const socket = net.connect({ host: proxy.hostname, port: proxy.port });
    let answer = Buffer.alloc(0);
    let settled = false;
    const onAbort = (): void => fail(new ProxyError('ERR_PROXY_ABANDONED', `the tunnel through the proxy ${proxy.display} to ${target} was no longer wanted`));
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    const onData = (chunk: Buffer): void => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (answer.length > maxConnectAnswerBytes)
          fail(new ProxyError('ERR_PROXY_REFUSED', `the proxy ${proxy.display} sent an answer to CONNECT that is too long`));
        return;
      }
      const statusLine = answer.subarray(0, answer.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      const status = match ? Number(match[1]) : 0;
      if (status !== 200) {
        const said = match ? `HTTP ${status}${match[2] ? ` ${match[2].slice(0, 80)}` : ''}` : 'an answer that is not HTTP';
        fail(new ProxyError('ERR_PROXY_REFUSED', `the proxy ${proxy.display} refused to open a tunnel to ${target} (${said})`, status || undefined));
        return;
      }
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      socket.setTimeout(0);
      const rest = answer.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      const code = error.code && notConnectedCodes.has(error.code) ? error.code : 'ERR_PROXY_CLOSED';
      fail(new ProxyError(code, `could not connect to the proxy ${proxy.display} (${error.code ?? error.message})`));
    };
    const onClose = (): void => fail(new ProxyError('ERR_PROXY_CLOSED', `the proxy ${proxy.display} closed the connection before answering CONNECT ${target}`));
    socket.setTimeout(timeoutMs, () =>
      fail(new ProxyError('ERR_PROXY_TIMEOUT', `the proxy ${proxy.display} did not answer CONNECT ${target} within ${Math.round(timeoutMs / 1000)} s`)),
    );
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('connect', () => {
      const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, ...(proxy.authorization ? [`Proxy-Authorization: ${proxy.authorization}`] : [])];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}
