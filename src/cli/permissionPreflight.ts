import type { ApiVersion } from '../core/clouds';
import type { TokenProvider } from '../core/graphClient';
import { checkTokenPermission, type GraphAccess, type MissingPermission } from '../core/permissionPreflight';
import { SignInError } from './deviceCode';

/** The token cannot do what the command is about to do: refused before any request (exit 2, nothing sent). */
export class MissingPermissionError extends SignInError {}

/** Where the CLI's token came from, which decides how to get a better one. */
export type TokenOrigin = { readonly kind: 'environment'; readonly variable: string } | { readonly kind: 'device code'; readonly clientId: string };

/**
 * Hands out the provider's tokens after the pre-flight: a token that lacks the permission never reaches a
 * request. Each new token is checked once (a claims challenge brings a new one).
 */
export function withPermissionPreflight(getToken: TokenProvider, access: GraphAccess, apiVersion: ApiVersion, origin: TokenOrigin): TokenProvider {
  let checked: string | undefined;
  return async (request) => {
    const token = await getToken(request);
    if (token !== checked) {
      const check = checkTokenPermission(token, access, apiVersion);
      if (check.verdict === 'missing') throw new MissingPermissionError(missingPermissionMessage(check, origin));
      checked = token;
    }
    return token;
  };
}

/** What the token lacks, what it has (never the token itself) and how to get one that works. */
export function missingPermissionMessage(missing: MissingPermission, origin: TokenOrigin): string {
  const { token, kind, accepted } = missing;
  const task = missing.access === 'write' ? 'create managed app operations' : 'list managed app registrations or their operations';
  const tenant = token.tenantId ? ` in tenant ${token.tenantId}` : '';
  const app = token.appId ? `${token.appName ? `${token.appName} (${token.appId})` : token.appId}` : undefined;
  const quoted = (names: readonly string[] | undefined): string => (names?.length ? `"${names.join(' ')}"` : '(none)');

  const lines = [`The token cannot ${task} on Graph ${missing.apiVersion}: it carries none of ${accepted.join(', ')}.`];
  if (kind === 'app-only') {
    lines.push(`It is an app-only token with the roles ${quoted(token.roles)}${app ? ` for the app ${app}` : ''}${tenant}.`);
  } else if (kind === 'delegated') {
    lines.push(`It is a delegated token with the scopes ${quoted(token.scopes)}${token.account ? ` for ${token.account}` : ''}${tenant}${app ? `, issued to the app ${app}` : ''}.`);
  } else {
    lines.push(`It carries neither scopes (scp) nor roles${tenant}${app ? `, issued to the app ${app}` : ''}: is it a Microsoft Graph access token?`);
  }

  const renew = origin.kind === 'environment'
    ? `get a new token for ${origin.variable} (a token keeps the permissions it was issued with)`
    : `sign in again: intune-mao logout, then intune-mao login --client-id ${origin.clientId}`;
  const where = app ? `App registrations → ${app} → API permissions` : 'your app registration → API permissions';
  const permissionType = kind === 'app-only' ? 'Application permissions' : 'Delegated permissions';
  lines.push(`To fix: in Entra ID, ${where}: add Microsoft Graph → ${permissionType} → ${accepted[0]} and grant admin consent; then ${renew}.`);
  if (kind !== 'app-only' && origin.kind === 'environment') {
    lines.push("If the app is not yours (a Microsoft tool's own client, such as the Azure CLI's), it cannot be given Intune permissions: get the token from your own app registration, or use --client-id.");
  }
  return lines.join('\n');
}
