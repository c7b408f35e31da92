/** What a person may see of a token: who, which tenant, which permissions. Never the token itself. */
export interface TokenSummary {
  readonly account?: string;
  readonly tenantId?: string;
  /** Delegated permissions (`scp`). */
  readonly scopes: string[];
  /** Application permissions (`roles`), present when the token carries the claim. */
  readonly roles?: string[];
  /** The client the token was issued to (`appid` in v1.0 tokens, `azp` in v2.0). */
  readonly appId?: string;
  readonly appName?: string;
  /** Entra's `idtyp` claim, when the token carries it: `app` for app-only tokens, `user` for delegated ones. */
  readonly identityType?: string;
  readonly audience?: string;
  readonly expiresAt?: Date;
}

/**
 * The claims of a JWS-shaped token (header.payload.signature, the payload a base64url JSON object), or undefined
 * for anything else: an opaque token, an encrypted one (five segments), or a payload that is not JSON.
 */
export function readTokenClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1]!)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function summarizeToken(token: string): TokenSummary | undefined {
  const claims = readTokenClaims(token);
  if (!claims) return undefined;
  const text = (name: string): string | undefined => (typeof claims[name] === 'string' && claims[name] !== '' ? (claims[name] as string) : undefined);
  const account = text('upn') ?? text('preferred_username') ?? text('unique_name');
  const tenantId = text('tid');
  const audience = text('aud');
  const appId = text('appid') ?? text('azp');
  const appName = text('app_displayname');
  const identityType = text('idtyp');
  const roles = Array.isArray(claims['roles']) ? claims['roles'].filter((r): r is string => typeof r === 'string' && r !== '') : undefined;
  return {
    scopes: (text('scp') ?? '').split(' ').filter(Boolean),
    ...(roles ? { roles } : {}),
    ...(account ? { account } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(appId ? { appId } : {}),
    ...(appName ? { appName } : {}),
    ...(identityType ? { identityType } : {}),
    ...(audience ? { audience } : {}),
    ...(typeof claims['exp'] === 'number' ? { expiresAt: new Date(claims['exp'] * 1000) } : {}),
  };
}
