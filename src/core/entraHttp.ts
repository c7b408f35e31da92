import https from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { describeRoute } from './proxy';
import type { ProxyAgents } from './proxyAgent';

/** An error body from Entra ID's endpoints, as sent. */
export interface EntraErrorBody {
  readonly error: string;
  readonly error_description?: string;
  readonly error_codes?: number[];
  readonly suberror?: string;
  readonly trace_id?: string;
  readonly correlation_id?: string;
  readonly timestamp?: string;
}

const maxBodyBytes = 1024 * 1024;
const defaultTimeoutMs = 30_000;

/**
 * MSAL's HTTP client. It remembers the last error Entra ID sent, because MSAL drops the description of
 * device-code polling errors and does not look at errors from /devicecode at all; and it remembers why a
 * connection failed. Uses node:https, so VS Code's proxy support applies in the extension host; the CLI
 * passes its own proxy agents (HTTPS_PROXY / NO_PROXY).
 */
export class EntraHttpClient implements INetworkModule {
  lastError: EntraErrorBody | undefined;
  lastConnectionFailure: string | undefined;

  private readonly routesShown = new Set<string>();

  /**
   * `ca`: a certificate to trust in addition to the system's; only ever given for a loopback emulator.
   * `proxy`: the agents to go through a proxy (CONNECT tunnels); `log` says, once a host, which route it takes.
   */
  constructor(
    private readonly ca?: string,
    private readonly proxy?: ProxyAgents,
    private readonly log?: (line: string) => void,
  ) {}

  forget(): void {
    this.lastError = undefined;
    this.lastConnectionFailure = undefined;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}, timeout = defaultTimeoutMs): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const body = method === 'POST' ? (options.body ?? '') : undefined;
      const headers: Record<string, string> = { ...options.headers };
      if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
      const agent = this.agentFor(url);
      const request = https.request(url, { method, headers, timeout, ...(this.ca ? { ca: this.ca } : {}), ...(agent ? { agent } : {}) }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) request.destroy(new Error(`the answer from ${new URL(url).host} was larger than ${maxBodyBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            this.lastConnectionFailure = `${new URL(url).host} answered HTTP ${response.statusCode} with something other than JSON`;
            reject(new Error(this.lastConnectionFailure));
            return;
          }
          this.notice(parsed);
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ headers: responseHeaders, body: parsed as T, status: response.statusCode ?? 0 });
        });
        response.on('error', (error) => this.failed(url, error, reject));
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', (error) => this.failed(url, error, reject));
      request.end(body);
    });
  }

  private agentFor(url: string): https.Agent | undefined {
    if (!this.proxy?.rules.active) return undefined;
    const target = new URL(url);
    if (this.log && !this.routesShown.has(target.host)) {
      this.routesShown.add(target.host);
      this.log(`[proxy] ${target.host}: ${describeRoute(this.proxy.rules.route(target))}`);
    }
    return this.proxy.agentFor(target) as https.Agent | undefined;
  }

  private notice(body: unknown): void {
    const error = (body as { error?: unknown } | null)?.error;
    if (typeof error === 'string' && error !== 'authorization_pending') this.lastError = body as EntraErrorBody;
  }

  private failed(url: string, error: Error, reject: (error: Error) => void): void {
    const code = (error as { code?: string }).code;
    const route = this.proxy?.rules.active ? this.proxy.rules.route(url) : undefined;
    const host = new URL(url).host;
    if (route?.kind !== 'proxy') this.lastConnectionFailure = `could not reach ${host} (${code ?? error.message})`;
    else if (code?.startsWith('ERR_PROXY')) this.lastConnectionFailure = `could not reach ${host}: ${error.message}`;
    else this.lastConnectionFailure = `could not reach ${host} through the proxy ${route.server.display} (${code ?? error.message})`;
    reject(error);
  }
}
