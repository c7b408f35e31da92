import type { MissingPermission } from '../core/permissionPreflight';

/** Where the CLI's token came from, which decides how to get a better one. */
export type TokenOrigin = { readonly kind: 'environment'; readonly variable: string } | { readonly kind: 'device code'; readonly clientId: string };

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
    lines.push(
      `It is a delegated token with the scopes ${quoted(token.scopes)}${token.account ? ` for ${token.account}` : ''}${tenant}${app ? `, issued to the app ${app}` : ''}.`,
    );
  } else {
    lines.push(`It carries neither scopes (scp) nor roles${tenant}${app ? `, issued to the app ${app}` : ''}: is it a Microsoft Graph access token?`);
  }

  const renew =
    origin.kind === 'environment'
      ? `get a new token for ${origin.variable} (a token keeps the permissions it was issued with)`
      : `sign in again: intune-mao logout, then intune-mao login --client-id ${origin.clientId}`;
  const where = app ? `App registrations → ${app} → API permissions` : 'your app registration → API permissions';
  const permissionType = kind === 'app-only' ? 'Application permissions' : 'Delegated permissions';
  lines.push(`To fix: in Entra ID, ${where}: add Microsoft Graph → ${permissionType} → ${accepted[0]} and grant admin consent; then ${renew}.`);
  if (kind !== 'app-only' && origin.kind === 'environment') {
    lines.push(
      "If the app is not yours (a Microsoft tool's own client, such as the Azure CLI's), it cannot be given Intune permissions: get the token from your own app registration, or use --client-id.",
    );
  }
  return lines.join('\n');
}
