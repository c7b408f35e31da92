import { isLoopbackHost, type Cloud } from './clouds';
import { isGuid } from './validation';

export { intunePermission, intuneScope } from './graphPermissions';

export interface LoginAuthority {
  /** e.g. https://login.microsoftonline.com/organizations */
  readonly url: string;
  readonly tenant: string;
  /** host[:port], as MSAL records it on accounts. */
  readonly host: string;
  /** A loopback identity emulator replaces the cloud's sign-in host. */
  readonly isEmulator: boolean;
}

export class LoginAuthorityError extends Error {}

/**
 * A tenant id, a domain (contoso.onmicrosoft.com) or organizations/common: letters, digits, dots and
 * hyphens only, since it becomes a path segment of the authority URL.
 */
export function isTenant(value: string): boolean {
  return value.length <= 253 && /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value) && !value.includes('..');
}

export function isClientId(value: string): boolean {
  return isGuid(value);
}

/**
 * The sign-in authority: the cloud's own sign-in host, or, for tests and the local emulators only, an https
 * URL on a loopback address. Nothing else can replace the host.
 */
export function resolveLoginAuthority(cloud: Cloud, tenant = 'organizations', loginUrlOverride?: string): LoginAuthority {
  if (!isTenant(tenant)) {
    throw new LoginAuthorityError(
      `"${tenant.slice(0, 80)}" is not a tenant: use a tenant id (GUID), a domain such as contoso.onmicrosoft.com, or "organizations".`,
    );
  }
  if (!loginUrlOverride) {
    const url = new URL(cloud.loginHost);
    return { url: `${url.origin}/${tenant}`, tenant, host: url.host, isEmulator: false };
  }
  let url: URL;
  try {
    url = new URL(loginUrlOverride);
  } catch {
    throw new LoginAuthorityError(`The sign-in URL "${loginUrlOverride}" is not a valid URL.`);
  }
  if (url.protocol !== 'https:') {
    throw new LoginAuthorityError(`The sign-in URL must use https (MSAL refuses anything else), not ${url.protocol}`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new LoginAuthorityError(`Refusing sign-in URL ${url.origin}: only a loopback address (a local identity emulator) may replace ${cloud.loginHost}.`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new LoginAuthorityError('The sign-in URL must be a plain origin, without credentials, query or fragment.');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { url: `${url.origin}${path}/${tenant}`, tenant, host: url.host, isEmulator: true };
}
