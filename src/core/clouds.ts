import { SetupFailure } from './failures';

export const cloudNames = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type CloudName = (typeof cloudNames)[number];

export const apiVersions = ['beta', 'v1.0'] as const;
export type ApiVersion = (typeof apiVersions)[number];

export interface Cloud {
  readonly name: CloudName;
  readonly label: string;
  readonly graphRoot: string;
  readonly loginHost: string;
  /** VS Code's authentication provider for this cloud. */
  readonly authProviderId: 'microsoft' | 'microsoft-sovereign-cloud';
}

export const clouds: Readonly<Record<CloudName, Cloud>> = {
  global: {
    name: 'global',
    label: 'Global',
    graphRoot: 'https://graph.microsoft.com',
    loginHost: 'https://login.microsoftonline.com',
    authProviderId: 'microsoft',
  },
  usgov: {
    name: 'usgov',
    label: 'US Government L4 (GCC High)',
    graphRoot: 'https://graph.microsoft.us',
    loginHost: 'https://login.microsoftonline.us',
    authProviderId: 'microsoft-sovereign-cloud',
  },
  usgovdod: {
    name: 'usgovdod',
    label: 'US Government L5 (DoD)',
    graphRoot: 'https://dod-graph.microsoft.us',
    loginHost: 'https://login.microsoftonline.us',
    authProviderId: 'microsoft-sovereign-cloud',
  },
  china: {
    name: 'china',
    label: 'China (21Vianet)',
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
    loginHost: 'https://login.chinacloudapi.cn',
    authProviderId: 'microsoft-sovereign-cloud',
  },
};

export function isCloudName(value: unknown): value is CloudName {
  return typeof value === 'string' && (cloudNames as readonly string[]).includes(value);
}

export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === 'string' && (apiVersions as readonly string[]).includes(value);
}

/** Where requests go: a known Graph root, or a loopback emulator. */
export interface GraphTarget {
  readonly cloud: Cloud;
  /** Origin without a trailing slash, e.g. https://graph.microsoft.com */
  readonly root: string;
  readonly isEmulator: boolean;
}

/** A Graph URL that is not a loopback emulator, or not a URL: refused before any request exists. */
export class GraphTargetError extends SetupFailure {}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Resolves the Graph root for a cloud, or for an override that must be a loopback http(s) URL
 * (the local emulator). Any other host is refused before a request exists.
 */
export function resolveGraphTarget(cloudName: CloudName = 'global', graphUrlOverride?: string): GraphTarget {
  const cloud = clouds[cloudName];
  if (!graphUrlOverride) {
    return { cloud, root: cloud.graphRoot, isEmulator: false };
  }
  let url: URL;
  try {
    url = new URL(graphUrlOverride);
  } catch {
    throw new GraphTargetError(`The Graph URL "${graphUrlOverride}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GraphTargetError(`The Graph URL must use http or https, not ${url.protocol}`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new GraphTargetError(
      `Refusing Graph URL ${url.origin}: only loopback addresses (the local emulator) may replace the cloud's Graph root. Choose a cloud instead.`,
    );
  }
  if (url.username || url.password) {
    throw new GraphTargetError('The Graph URL must not contain credentials.');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { cloud, root: `${url.origin}${path}`, isEmulator: true };
}

/** True when a token may be sent to this URL: it lies under the target's root. */
export function isTokenDestination(target: GraphTarget, requestUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return false;
  }
  const root = new URL(target.root);
  if (url.origin !== root.origin) {
    return false;
  }
  if (target.isEmulator) {
    return isLoopbackHost(url.hostname);
  }
  return Object.values(clouds).some((c) => c.graphRoot === url.origin);
}
