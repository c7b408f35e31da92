// A local stand-in for Entra ID's device code flow, for tests only. It speaks HTTPS on 127.0.0.1 with a
// certificate made at start (msal-node refuses http: authorities) and answers what msal-node asks:
// OpenID configuration, /devicecode, and /token for the device_code and refresh_token grants. Access tokens
// come from the Graph emulator's mintToken, so the Graph emulator accepts them.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SAMPLE_ADMIN_OBJECT_ID, SAMPLE_TENANT_ID } from '../../src/emulator/tenant';
import { makeLoopbackCertificate } from './testCertificate';

export interface EmulatedUser {
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
  readonly tid: string;
}

/** Failures as Entra ID words them (error, AADSTS code, description). */
export const entraFailures = {
  pending: { status: 400, error: 'authorization_pending', code: 70016, text: () => 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.' },
  declined: { status: 400, error: 'authorization_declined', code: 70000, text: () => 'The user declined the authorization request.' },
  expired: {
    status: 400,
    error: 'expired_token',
    code: 70020,
    text: () => "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
  },
  redeemed: {
    status: 400,
    error: 'invalid_grant',
    code: 54005,
    text: () => 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  },
  consent: {
    status: 400,
    error: 'invalid_grant',
    code: 65001,
    suberror: 'consent_required',
    text: (clientId: string) =>
      `The user or administrator has not consented to use the application with ID '${clientId}' named 'Intune MAO'. Send an interactive authorization request for this user and resource.`,
  },
  unknownApp: {
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    text: (clientId: string) =>
      `Application with identifier '${clientId}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  },
  accountNotInTenant: {
    status: 400,
    error: 'invalid_grant',
    code: 50020,
    text: (clientId: string) =>
      `User account '{EUII Hidden}' from identity provider 'live.com' does not exist in tenant 'Contoso' and cannot access the application '${clientId}'(Intune MAO) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
  },
  publicClientDisabled: {
    status: 401,
    error: 'invalid_client',
    code: 7000218,
    text: () => "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  revoked: {
    status: 400,
    error: 'invalid_grant',
    code: 50173,
    text: () => 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
  },
  tenantNotFound: {
    status: 400,
    error: 'invalid_tenant',
    code: 90002,
    text: (_: string, tenant: string) =>
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  },
} as const;
export type EntraFailure = keyof typeof entraFailures;

export interface IdentityRequest {
  readonly method: string;
  readonly path: string;
  /** The form body (client_id, scope, grant_type, claims, …). */
  readonly form: Readonly<Record<string, string>>;
}

interface DeviceCodeGrant {
  readonly userCode: string;
  readonly deviceCode: string;
  readonly clientId: string;
  readonly scopes: string[];
  readonly expiresAt: number;
  state: 'pending' | 'approved' | 'declined' | 'redeemed';
  user?: EmulatedUser;
  failure?: EntraFailure;
}

interface RefreshGrant {
  readonly clientId: string;
  readonly user: EmulatedUser;
  readonly scopes: string[];
}

export interface IdentityEmulatorOptions {
  /** The Graph emulator's mintToken: access tokens it accepts. */
  readonly mintAccessToken: (claims: Record<string, unknown>) => string;
  /** Client ids that exist (others get AADSTS700016). Default: any. */
  readonly knownClientIds?: readonly string[];
  /** Polling interval handed to the client, in seconds (Entra says 5). */
  readonly intervalSeconds?: number;
  readonly deviceCodeLifetimeSeconds?: number;
  readonly accessTokenLifetimeSeconds?: number;
  /** More names for its certificate, e.g. login.microsoftonline.com when a test proxy tunnels that host here. */
  readonly hostNames?: readonly string[];
}

export interface IdentityEmulator {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  /** The server's self-signed certificate (PEM) and its file, to trust it. */
  readonly certificate: string;
  readonly certificateFile: string;
  readonly requests: IdentityRequest[];
  readonly issuedAccessTokens: string[];
  readonly issuedRefreshTokens: string[];
  /** Resolves with the next device code issued (or the latest one still pending). */
  nextDeviceCode(timeoutMs?: number): Promise<{ userCode: string }>;
  /** What the person does in the browser: signs in (optionally as someone else, or with an outcome Entra then reports). */
  approve(userCode: string, outcome?: { user?: Partial<EmulatedUser>; failure?: EntraFailure }): void;
  decline(userCode: string): void;
  /** The next call to this endpoint fails this way. */
  failNext(endpoint: 'devicecode' | 'token', failure: EntraFailure): void;
  /** Every refresh token issued so far stops working. */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

export const defaultUser: EmulatedUser = {
  oid: SAMPLE_ADMIN_OBJECT_ID,
  upn: 'admin@contoso.example',
  name: 'Contoso Admin (emulator)',
  tid: SAMPLE_TENANT_ID,
};
const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email']);

export async function startIdentityEmulator(options: IdentityEmulatorOptions): Promise<IdentityEmulator> {
  const certificate = makeLoopbackCertificate(options.hostNames);
  const grants = new Map<string, DeviceCodeGrant>();
  const refreshGrants = new Map<string, RefreshGrant>();
  const failures: Array<{ endpoint: string; failure: EntraFailure }> = [];
  const requests: IdentityRequest[] = [];
  const issuedAccessTokens: string[] = [];
  const issuedRefreshTokens: string[] = [];
  const waiters: Array<(grant: DeviceCodeGrant) => void> = [];
  const sockets = new Set<Socket>();
  let url = '';

  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    void serve(request, response).catch((error: unknown) => json(response, 500, { error: 'server_error', error_description: String(error) }));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', url).pathname;
    const form = Object.fromEntries(new URLSearchParams(await readText(request)));
    requests.push({ method: request.method ?? 'GET', path, form });
    const [, tenant = '', ...rest] = path.split('/');
    const route = rest.join('/');
    const correlationId = new URL(request.url ?? '/', url).searchParams.get('client-request-id') ?? randomUUID();
    const fail = (failure: EntraFailure, clientId = form['client_id'] ?? ''): void => {
      const { status, body } = entraError(failure, clientId, tenant, correlationId);
      json(response, status, body);
    };
    if (!isKnownTenant(tenant)) {
      fail('tenantNotFound');
      return;
    }

    if (request.method === 'GET' && route === 'v2.0/.well-known/openid-configuration') {
      json(response, 200, openIdConfiguration(url, tenant));
      return;
    }
    if (request.method !== 'POST') {
      json(response, 404, { error: 'not_found' });
      return;
    }
    const clientId = form['client_id'] ?? '';
    const endpoint = route === 'oauth2/v2.0/devicecode' ? 'devicecode' : route === 'oauth2/v2.0/token' ? 'token' : undefined;
    if (!endpoint) {
      json(response, 404, { error: 'not_found' });
      return;
    }
    const scheduled = failures.findIndex((f) => f.endpoint === endpoint);
    if (scheduled >= 0) {
      fail(failures.splice(scheduled, 1)[0]!.failure);
      return;
    }
    if (options.knownClientIds && !options.knownClientIds.includes(clientId)) {
      fail('unknownApp');
      return;
    }

    if (endpoint === 'devicecode') {
      const grant: DeviceCodeGrant = {
        userCode: randomUserCode(),
        deviceCode: `DAQABIQEAAAD${randomBytes(90).toString('base64url')}`,
        clientId,
        scopes: (form['scope'] ?? '').split(' ').filter(Boolean),
        state: 'pending',
        expiresAt: Date.now() + (options.deviceCodeLifetimeSeconds ?? 900) * 1000,
      };
      grants.set(grant.deviceCode, grant);
      for (const waiter of waiters.splice(0)) waiter(grant);
      json(response, 200, {
        user_code: grant.userCode,
        device_code: grant.deviceCode,
        verification_uri: 'https://microsoft.com/devicelogin',
        expires_in: options.deviceCodeLifetimeSeconds ?? 900,
        interval: options.intervalSeconds ?? 5,
        message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${grant.userCode} to authenticate.`,
      });
      return;
    }

    const grantType = form['grant_type'];
    // Entra ID takes the RFC 8628 URN and the short form MSAL sends.
    if (grantType === 'device_code' || grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      const grant = grants.get(form['device_code'] ?? '');
      if (!grant) {
        fail('expired');
        return;
      }
      if (Date.now() > grant.expiresAt) {
        fail('expired');
        return;
      }
      if (grant.state === 'pending') {
        fail('pending');
        return;
      }
      if (grant.state === 'declined') {
        fail('declined');
        return;
      }
      if (grant.state === 'redeemed') {
        fail('redeemed');
        return;
      }
      if (grant.failure) {
        fail(grant.failure);
        return;
      }
      grant.state = 'redeemed';
      json(response, 200, issueTokens(grant.clientId, grant.user ?? defaultUser, grant.scopes));
      return;
    }
    if (grantType === 'refresh_token') {
      const refresh = refreshGrants.get(form['refresh_token'] ?? '');
      if (!refresh || refresh.clientId !== clientId) {
        fail('revoked');
        return;
      }
      refreshGrants.delete(form['refresh_token']!);
      const scopes = (form['scope'] ?? '').split(' ').filter(Boolean);
      json(response, 200, issueTokens(clientId, refresh.user, scopes.length ? scopes : refresh.scopes));
      return;
    }
    json(response, 400, entraErrorBody('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`, correlationId));
  }

  function issueTokens(clientId: string, user: EmulatedUser, requested: string[]): Record<string, unknown> {
    const resourceScopes = requested.filter((s) => !oidcScopes.has(s.toLowerCase()));
    const resource = resourceScopes[0] ? new URL(resourceScopes[0]).origin : 'https://graph.microsoft.com';
    const now = Math.floor(Date.now() / 1000);
    const lifetime = options.accessTokenLifetimeSeconds ?? 3600;
    const accessToken = options.mintAccessToken({
      aud: resource,
      tid: user.tid,
      oid: user.oid,
      upn: user.upn,
      name: user.name,
      appid: clientId,
      iat: now,
      exp: now + lifetime,
      scp: resourceScopes.map((s) => s.slice(resource.length + 1)).join(' '),
      uti: randomBytes(16).toString('base64url'),
    });
    const refreshToken = `1.AXkA${randomBytes(96).toString('base64url')}`;
    refreshGrants.set(refreshToken, { clientId, user, scopes: requested });
    issuedAccessTokens.push(accessToken);
    issuedRefreshTokens.push(refreshToken);
    const idToken = unsignedJwt({
      aud: clientId,
      iss: `${url}/${user.tid}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: user.name,
      oid: user.oid,
      preferred_username: user.upn,
      rh: `0.${randomBytes(24).toString('base64url')}`,
      sub: randomBytes(32).toString('base64url'),
      tid: user.tid,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    });
    return {
      token_type: 'Bearer',
      scope: resourceScopes.join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tid })).toString('base64url'),
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const grantByUserCode = (userCode: string): DeviceCodeGrant => {
    const grant = [...grants.values()].find((g) => g.userCode === userCode);
    if (!grant) throw new Error(`no device code ${userCode} was issued`);
    return grant;
  };

  return {
    url,
    certificate: certificate.cert,
    certificateFile: certificate.certFile,
    requests,
    issuedAccessTokens,
    issuedRefreshTokens,
    nextDeviceCode: (timeoutMs = 10_000) => {
      const pending = [...grants.values()].reverse().find((g) => g.state === 'pending' && Date.now() < g.expiresAt);
      if (pending) return Promise.resolve({ userCode: pending.userCode });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no device code was requested within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((grant) => {
          clearTimeout(timer);
          resolve({ userCode: grant.userCode });
        });
      });
    },
    approve: (userCode, outcome = {}) => {
      const grant = grantByUserCode(userCode);
      grant.state = 'approved';
      grant.user = { ...defaultUser, ...outcome.user };
      if (outcome.failure) grant.failure = outcome.failure;
    },
    decline: (userCode) => {
      grantByUserCode(userCode).state = 'declined';
    },
    failNext: (endpoint, failure) => {
      failures.push({ endpoint, failure });
    },
    revokeRefreshTokens: () => refreshGrants.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          certificate.remove();
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function isKnownTenant(tenant: string): boolean {
  return ['organizations', 'common', 'contoso.example', SAMPLE_TENANT_ID].includes(tenant.toLowerCase());
}

function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  const root = `${base}/${tenant}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${base}/{tenantid}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'tid', 'ver', 'oid', 'preferred_username'],
    tenant_region_scope: null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

function entraError(failure: EntraFailure, clientId: string, tenant: string, correlationId: string): { status: number; body: Record<string, unknown> } {
  const spec = entraFailures[failure];
  const body = entraErrorBody(spec.error, spec.code, spec.text(clientId, tenant), correlationId);
  return { status: spec.status, body: 'suberror' in spec ? { ...body, suberror: spec.suberror } : body };
}

/** Entra ID's error shape: the description repeats the trace id, correlation id and time on extra lines. */
function entraErrorBody(error: string, code: number, text: string, correlationId: string): Record<string, unknown> {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.`;
}

function randomUserCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(9)].map((b) => letters[b % letters.length]).join('');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
