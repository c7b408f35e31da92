import { SAMPLE_ADMIN_OBJECT_ID, SAMPLE_CLIENT_APP_ID, SAMPLE_TENANT_ID } from './tenant';
import type { Writer } from './throttle';
import type { TokenClaims } from './types';

const GRAPH_AUDIENCES = new Set([
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  '00000003-0000-0000-c000-000000000000',
]);

export function defaultClaims(nowSeconds = Math.floor(Date.now() / 1000)): TokenClaims {
  return {
    scp: 'DeviceManagementApps.ReadWrite.All',
    tid: SAMPLE_TENANT_ID,
    oid: SAMPLE_ADMIN_OBJECT_ID,
    upn: 'admin@contoso.example',
    name: 'Contoso Admin (emulator)',
    aud: 'https://graph.microsoft.com',
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    appid: SAMPLE_CLIENT_APP_ID,
  };
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Extra claims (for example `roles`) are kept as given. A v2 token (`ver: '2.0'`) names its app in azp, not appid. */
export function mintToken(claims: Partial<TokenClaims> & Record<string, unknown> = {}): string {
  if (claims.ver === '2.0') {
    const { appid, ...rest } = { ...defaultClaims(), ...claims };
    const payload = { azp: appid, ...rest };
    const withIssuer = { iss: `https://login.microsoftonline.com/${payload.tid}/v2.0`, ...payload };
    return `${base64UrlJson({ typ: 'JWT', alg: 'none' })}.${base64UrlJson(withIssuer)}.`;
  }
  const payload = { ...defaultClaims(), ...claims };
  const withIssuer = { iss: `https://sts.windows.net/${payload.tid}/`, ver: '1.0', ...payload };
  return `${base64UrlJson({ typ: 'JWT', alg: 'none' })}.${base64UrlJson(withIssuer)}.`;
}

function lowerString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined;
}

/** The tenant and client app a write is counted against: appid in v1 tokens, azp in v2 ones. */
export function writerOf(claims: Record<string, unknown>): Writer {
  const [first, second] = claims.ver === '2.0' ? [claims.azp, claims.appid] : [claims.appid, claims.azp];
  return { tenant: lowerString(claims.tid) ?? '', app: lowerString(first) ?? lowerString(second) ?? '' };
}

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

const MALFORMED =
  'IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. ' +
  "(JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. " +
  "(JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.";
const UNDECODABLE = 'IDX14100: JWT is not well formed: expected a header and a payload of base64url-encoded JSON, separated by dots.';

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Validates the Authorization header the way Graph's front door does, minus signatures. */
export function checkBearer(authorization: string | undefined, nowSeconds = Date.now() / 1000): TokenCheck {
  const match = /^Bearer(?:\s+(.*))?$/i.exec((authorization ?? '').trim());
  const token = match?.[1]?.trim() ?? '';
  if (token === '') return { ok: false, message: 'Access token is empty.' };
  const parts = token.split('.');
  if (parts.length === 1) return { ok: false, message: MALFORMED };
  if (parts.length !== 3) return { ok: false, message: UNDECODABLE };
  const header = decodeSegment(parts[0]);
  const claims = decodeSegment(parts[1]);
  if (!header || !claims) return { ok: false, message: UNDECODABLE };
  if (typeof claims.exp !== 'number') {
    return { ok: false, message: 'IDX10225: Lifetime validation failed. The token is missing an Expiration Time.' };
  }
  if (claims.exp <= nowSeconds) return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
  if (typeof claims.aud !== 'string' || !GRAPH_AUDIENCES.has(claims.aud.replace(/\/+$/, ''))) {
    return { ok: false, message: 'Invalid audience.' };
  }
  return { ok: true, claims };
}

/** Delegated scopes (scp) and application roles (roles) together. */
export function grantedPermissions(claims: Record<string, unknown>): Set<string> {
  const granted = new Set<string>();
  if (typeof claims.scp === 'string') {
    for (const scope of claims.scp.split(/\s+/)) if (scope) granted.add(scope.toLowerCase());
  }
  if (Array.isArray(claims.roles)) {
    for (const role of claims.roles) if (typeof role === 'string') granted.add(role.toLowerCase());
  }
  return granted;
}
