import { BlockList, isIP } from 'node:net';
import { isLoopbackHost } from './clouds';

/**
 * Which proxy to use, as the CLI read it from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. The core never reads
 * the environment itself (inside VS Code the extension host applies VS Code's own proxy settings).
 */
export interface ProxySettings {
  /** Proxy URL for https:// targets (HTTPS_PROXY). */
  readonly https?: string | undefined;
  /** Proxy URL for http:// targets (HTTP_PROXY): only ever loopback emulators here. */
  readonly http?: string | undefined;
  /** Hosts reached directly (NO_PROXY): comma-separated, curl's rules. */
  readonly noProxy?: string | undefined;
  /** Where each URL came from, for messages ("HTTPS_PROXY"). */
  readonly sources?: { readonly https?: string; readonly http?: string };
}

/** A proxy URL that cannot be used; its message never holds the credentials. */
export class ProxyConfigError extends Error {}

export interface ProxyServer {
  readonly hostname: string;
  readonly port: number;
  /** `Basic …` when the URL holds credentials. */
  readonly authorization?: string;
  /** The URL with any credentials replaced by [redacted]: safe to print. */
  readonly display: string;
  /** The credentials as written in the URL (user:pass and the password), to keep out of any output. */
  readonly secrets: readonly string[];
}

/** What to do for one URL. */
export type ProxyRoute =
  { readonly kind: 'proxy'; readonly server: ProxyServer } | { readonly kind: 'direct'; readonly because: 'no-proxy' | 'loopback' | 'none' };

/** Parses a proxy URL the way curl does: "host:port" means http://host:port. Only http:// proxies. */
export function parseProxyUrl(text: string, source = 'the proxy URL'): ProxyServer {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(`${source} is not a valid proxy URL (expected http://[user:password@]host:port).`);
  }
  if (url.protocol !== 'http:') {
    throw new ProxyConfigError(
      `${source}: only http:// proxies are supported (got ${url.protocol}//…); HTTPS targets are still tunnelled with TLS end to end.`,
    );
  }
  if (!url.hostname) throw new ProxyConfigError(`${source} names no proxy host.`);
  const port = url.port ? Number(url.port) : 80;
  const username = safeDecode(url.username);
  const password = safeDecode(url.password);
  const hasCredentials = url.username !== '' || url.password !== '';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    hostname,
    port,
    display: `http://${hasCredentials ? '[redacted]@' : ''}${url.hostname}:${port}`,
    ...(hasCredentials ? { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } : {}),
    secrets: hasCredentials ? [`${url.username}:${url.password}`, `${username}:${password}`, password, url.password].filter((s) => s.length > 0) : [],
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * True when NO_PROXY says to reach this URL directly. curl's rules: entries separated by commas (spaces
 * allowed); `*` alone matches everything; a name matches that host and its subdomains, a leading dot (or
 * `*.`) being ignored; an IP address matches that address, and `addr/bits` a CIDR range; `host:port`
 * matches that port only. Case-insensitive. Loopback is not special here (ProxyRules sends it direct anyway).
 */
export function noProxyMatches(noProxy: string | undefined, target: URL | string): boolean {
  if (!noProxy) return false;
  const url = typeof target === 'string' ? new URL(target) : target;
  const host = normalizeHost(url.hostname);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitEntry(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (!name) continue;
    if (name.includes('/')) {
      if (inCidr(host, name)) return true;
      continue;
    }
    if (isIP(name)) {
      if (sameAddress(host, name)) return true;
      continue;
    }
    const domain = normalizeHost(name.replace(/^\*?\.+/, ''));
    if (domain && (host === domain || host.endsWith(`.${domain}`))) return true;
  }
  return false;
}

function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** "host", "host:port", "[v6]:port", a bare IPv6 address, "10.0.0.0/8". */
function splitEntry(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, ...(bracketed[2] ? { entryPort: Number(bracketed[2]) } : {}) };
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [name, port] = entry.split(':') as [string, string];
    if (/^\d+$/.test(port)) return { name, entryPort: Number(port) };
  }
  return { name: entry };
}

function sameAddress(host: string, address: string): boolean {
  const family = isIP(host);
  if (!family || family !== isIP(address)) return false;
  const list = new BlockList();
  list.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
  return list.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

function inCidr(host: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/') as [string, string];
  const family = isIP(network);
  const prefix = Number(bits);
  if (!family || family !== isIP(host) || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) return false;
  const list = new BlockList();
  const type = family === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(network, prefix, type);
  return list.check(host, type);
}

/**
 * Decides, per URL, whether to go through a proxy and which. Loopback (the local emulators) is always reached
 * directly: a proxy has no business with it, and an http:// emulator would get the token in the clear.
 * Throws ProxyConfigError for an unusable URL.
 */
export class ProxyRules {
  private readonly https: ProxyServer | undefined;
  private readonly http: ProxyServer | undefined;

  constructor(readonly settings: ProxySettings) {
    this.https = settings.https?.trim() ? parseProxyUrl(settings.https, settings.sources?.https ?? 'HTTPS_PROXY') : undefined;
    this.http = settings.http?.trim() ? parseProxyUrl(settings.http, settings.sources?.http ?? 'HTTP_PROXY') : undefined;
  }

  /** True when some proxy is configured at all. */
  get active(): boolean {
    return this.https !== undefined || this.http !== undefined;
  }

  /** Every credential in the proxy URLs, to keep out of output. */
  get secrets(): string[] {
    return [...(this.https?.secrets ?? []), ...(this.http?.secrets ?? [])];
  }

  route(target: URL | string): ProxyRoute {
    const url = typeof target === 'string' ? new URL(target) : target;
    const server = url.protocol === 'https:' ? this.https : url.protocol === 'http:' ? this.http : undefined;
    if (!server) return { kind: 'direct', because: 'none' };
    if (noProxyMatches(this.settings.noProxy, url)) return { kind: 'direct', because: 'no-proxy' };
    if (isLoopbackHost(url.hostname)) return { kind: 'direct', because: 'loopback' };
    return { kind: 'proxy', server };
  }
}

/** "via proxy http://[redacted]@proxy:3128" / "direct (NO_PROXY)" / "direct (loopback)" …: for --verbose. */
export function describeRoute(route: ProxyRoute): string {
  if (route.kind === 'proxy') return `via proxy ${route.server.display}`;
  switch (route.because) {
    case 'no-proxy':
      return 'direct (NO_PROXY)';
    case 'loopback':
      return 'direct (loopback is never proxied)';
    case 'none':
      return 'direct (no proxy for this scheme)';
  }
}
