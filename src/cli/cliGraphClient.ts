import { resolveGraphTarget } from '../core/clouds';
import { GraphClient, type ClientEvent } from '../core/graphClient';
import { describeClientEvent } from '../core/describeHttp';
import { withPermissionPreflight, type GraphAccess } from '../core/permissionPreflight';
import { tokenProviderOf } from '../core/tokenSource';
import type { ConnectionSettings } from './options';
import { missingPermissionMessage, type TokenOrigin } from './missingPermissionMessage';
import { proxyFromEnv } from './proxyEnvironment';
import { chooseTokenSource, environmentToken, tokenVariable } from './signIn';
import type { Terminal } from './terminal';
import { version } from '../../package.json';

export function cliUserAgent(): string {
  return `intune-mao-cli/${version} (node ${process.version}; ${process.platform})`;
}

/**
 * A Graph client for a command that will `access` Graph: the settings' target, the chosen token source, the proxy
 * from the environment; every token passes the permission pre-flight first, so a token that cannot do the job is
 * refused before anything is sent.
 */
export function createGraphClient(
  settings: ConnectionSettings,
  terminal: Terminal,
  env: NodeJS.ProcessEnv,
  access: GraphAccess,
  signal?: AbortSignal,
): GraphClient {
  const target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  const backoffBase = Number(env['INTUNE_MAO_BACKOFF_BASE_MS']);
  const proxy = proxyFromEnv(env, terminal);
  const tokens = tokenProviderOf(chooseTokenSource(settings, terminal, env), signal, (issued) => terminal.redactor.addSecret(issued.accessToken));
  const origin = tokenOrigin(settings, env);
  return new GraphClient({
    target,
    getToken: withPermissionPreflight(tokens, access, settings.apiVersion, (missing) => missingPermissionMessage(missing, origin)),
    userAgent: cliUserAgent(),
    timeoutMs: settings.timeoutMs,
    retry: { maxRetries: settings.maxRetries, ...(backoffBase > 0 ? { backoffBaseMs: backoffBase } : {}) },
    ...(proxy ? { proxy } : {}),
    ...(settings.verbose ? { onEvent: (event: ClientEvent) => terminal.err(terminal.style('dim', describeClientEvent(event), 'err')) } : {}),
  });
}

function tokenOrigin(settings: ConnectionSettings, env: NodeJS.ProcessEnv): TokenOrigin {
  return environmentToken(env) || !settings.clientId ? { kind: 'environment', variable: tokenVariable } : { kind: 'device code', clientId: settings.clientId };
}
