import type { ApiVersion } from './clouds';
import { IntuneFailure } from './failures';
import type { TokenProvider } from './graphClient';
import { intunePermissions } from './graphPermissions';
import { summarizeToken, type TokenSummary } from './tokenClaims';

/**
 * The permission pre-flight: before a run sends anything, a token whose claims can be read must carry one of
 * the permissions Graph accepts for what the run does. Graph would refuse it with 403 anyway; the token says so
 * before a request exists. A token whose claims cannot be read (opaque) is left for Graph to judge.
 */

/** What a run does with Graph: list registrations and operations, or create operations. */
export type GraphAccess = 'read' | 'write';

/** The permissions Graph accepts, least privileged first; the same names serve as scopes and as app roles. */
export function acceptedPermissions(access: GraphAccess, apiVersion: ApiVersion): string[] {
  return [
    ...(access === 'read' ? [intunePermissions.appsRead] : []),
    intunePermissions.appsReadWrite,
    ...(apiVersion === 'beta' ? [intunePermissions.configurationReadWrite] : []),
  ];
}

/**
 * `delegated`: a signed-in user's token, permissions in `scp`. `app-only`: a client's own token (client
 * credentials, a managed identity), permissions in `roles`. `unknown`: neither claim, and no `idtyp` to tell.
 */
export type TokenKind = 'delegated' | 'app-only' | 'unknown';

export type PermissionCheck =
  | { readonly verdict: 'granted'; readonly permission: string; readonly kind: TokenKind; readonly token: TokenSummary }
  /** The token is not a JWT whose claims can be read: nothing is known, so nothing is refused. */
  | { readonly verdict: 'unreadable' }
  | MissingPermission;

export interface MissingPermission {
  readonly verdict: 'missing';
  readonly access: GraphAccess;
  readonly apiVersion: ApiVersion;
  /** Any one of these would do, least privileged first. */
  readonly accepted: readonly string[];
  readonly kind: TokenKind;
  readonly token: TokenSummary;
}

export function tokenKind(token: TokenSummary): TokenKind {
  if (token.identityType === 'app') return 'app-only';
  if (token.identityType === 'user') return 'delegated';
  if (token.scopes.length > 0) return 'delegated';
  if (token.roles !== undefined) return 'app-only';
  return 'unknown';
}

/** Whether the token may do `access` on Graph `apiVersion`, as far as its own claims say. */
export function checkTokenPermission(accessToken: string, access: GraphAccess, apiVersion: ApiVersion): PermissionCheck {
  const token = summarizeToken(accessToken);
  if (!token) return { verdict: 'unreadable' };
  const kind = tokenKind(token);
  const accepted = acceptedPermissions(access, apiVersion);
  // Compared without case: refusing a token that Graph would accept is the worse mistake.
  const held = new Set([...token.scopes, ...(token.roles ?? [])].map((name) => name.toLowerCase()));
  const permission = accepted.find((name) => held.has(name.toLowerCase()));
  if (permission) return { verdict: 'granted', permission, kind, token };
  return { verdict: 'missing', access, apiVersion, accepted, kind, token };
}

/** The token cannot do what the command is about to do: refused before any request, nothing was sent. */
export class PermissionFailure extends IntuneFailure {
  readonly kind = 'permission' as const;

  constructor(
    message: string,
    readonly missing: MissingPermission,
  ) {
    super(message);
    this.name = 'PermissionFailure';
  }
}

/**
 * Hands out the provider's tokens after the pre-flight: a token that lacks the permission never reaches a
 * request. Each new token is checked once (a claims challenge brings a new one); `describe` words the refusal
 * for the front end (each says differently how to get a better token).
 */
export function withPermissionPreflight(
  getToken: TokenProvider,
  access: GraphAccess,
  apiVersion: ApiVersion,
  describe: (missing: MissingPermission) => string,
): TokenProvider {
  let checked: string | undefined;
  return async (request) => {
    const token = await getToken(request);
    if (token !== checked) {
      const check = checkTokenPermission(token, access, apiVersion);
      if (check.verdict === 'missing') throw new PermissionFailure(describe(check), check);
      checked = token;
    }
    return token;
  };
}
