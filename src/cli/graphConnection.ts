import { resolveGraphTarget } from '../core/clouds';
import { GraphClient, type ClientEvent, type TokenProvider } from '../core/graphClient';
import { describeClientEvent } from '../core/describeHttp';
import type { GraphAccess } from '../core/permissionPreflight';
import { deviceCodeTokens, SignInError } from './deviceCode';
import type { ConnectionSettings } from './options';
import { withPermissionPreflight, type TokenOrigin } from './permissionPreflight';
import { proxyFromEnv } from './proxyEnvironment';
import type { Terminal } from './terminal';
import { version } from '../../package.json';

export { SignInError } from './deviceCode';
export const tokenVariable = 'INTUNE_MAO_ACCESS_TOKEN';

export const noCredentialsMessage =
  `No access token. Set ${tokenVariable} to a Microsoft Graph access token with DeviceManagementApps.ReadWrite.All ` +
  '(for example from `az account get-access-token --resource-type ms-graph`, or a pipeline\'s service connection), ' +
  'or sign in with a device code: pass --client-id <Application (client) ID of your app registration> (or set INTUNE_MAO_CLIENT_ID), ' +
  'optionally with --tenant. The VS Code extension signs you in too.';

export function cliUserAgent(): string {
  return `intune-mao-cli/${version} (node ${process.version}; ${process.platform})`;
}

/**
 * A Graph client for a command that will `access` Graph: every token it is given passes the permission
 * pre-flight first, so a token that cannot do the job is refused before anything is sent.
 */
export function createGraphClient(settings: ConnectionSettings, terminal: Terminal, env: NodeJS.ProcessEnv, access: GraphAccess, signal?: AbortSignal): GraphClient {
  const target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  const backoffBase = Number(env['INTUNE_MAO_BACKOFF_BASE_MS']);
  terminal.redactor.addSecret(env[tokenVariable]?.trim());
  const proxy = proxyFromEnv(env, terminal);
  return new GraphClient({
    target,
    getToken: withPermissionPreflight(tokenSource(settings, terminal, env, signal), access, settings.apiVersion, tokenOrigin(settings, env)),
    userAgent: cliUserAgent(),
    timeoutMs: settings.timeoutMs,
    retry: { maxRetries: settings.maxRetries, ...(backoffBase > 0 ? { backoffBaseMs: backoffBase } : {}) },
    ...(proxy ? { proxy } : {}),
    ...(settings.verbose ? { onEvent: (event: ClientEvent) => terminal.err(terminal.style('dim', describeClientEvent(event), 'err')) } : {}),
  });
}

/** The token in INTUNE_MAO_ACCESS_TOKEN, undefined when it is not set. */
export function environmentToken(env: NodeJS.ProcessEnv): string | undefined {
  return (env[tokenVariable] ?? '').trim().replace(/^Bearer\s+/i, '') || undefined;
}

/** INTUNE_MAO_ACCESS_TOKEN when it is set; otherwise a device code sign-in when a client id is given. */
function tokenSource(settings: ConnectionSettings, terminal: Terminal, env: NodeJS.ProcessEnv, signal?: AbortSignal): TokenProvider {
  if (environmentToken(env)) return givenToken(env, terminal);
  if (settings.clientId) return deviceCodeTokens(settings, terminal, env, signal);
  return async () => { throw new SignInError(noCredentialsMessage); };
}

function tokenOrigin(settings: ConnectionSettings, env: NodeJS.ProcessEnv): TokenOrigin {
  return environmentToken(env) || !settings.clientId ? { kind: 'environment', variable: tokenVariable } : { kind: 'device code', clientId: settings.clientId };
}

function givenToken(env: NodeJS.ProcessEnv, terminal: Terminal): TokenProvider {
  return async (request) => {
    const token = environmentToken(env)!;
    if (request.forceRefresh) {
      throw new SignInError(`Graph asked for a fresh sign-in (claims challenge), but the token in ${tokenVariable} cannot be renewed by the CLI. Get a new token and try again.`);
    }
    terminal.redactor.addSecret(token);
    return token;
  };
}
