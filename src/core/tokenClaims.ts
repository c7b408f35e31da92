/** What a person may see of a token: who, which tenant, which permissions. Never the token itself. */
export interface TokenSummary {
  readonly account?: string;
  readonly tenantId?: string;
  readonly scopes: string[];
  readonly audience?: string;
  readonly expiresAt?: Date;
}

export function summarizeToken(token: string): TokenSummary | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const text = (name: string): string | undefined => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  const account = text('upn') ?? text('preferred_username') ?? text('unique_name');
  const tenantId = text('tid');
  const audience = text('aud');
  return {
    scopes: (text('scp') ?? '').split(' ').filter(Boolean),
    ...(account ? { account } : {}),
    ...(tenantId ? { tenantId } : {}),
    ...(audience ? { audience } : {}),
    ...(typeof claims['exp'] === 'number' ? { expiresAt: new Date(claims['exp'] * 1000) } : {}),
  };
}
