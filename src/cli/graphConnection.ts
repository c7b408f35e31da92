import { resolveGraphTarget } from '../core/clouds';
import { GraphClient, type ClientEvent, type TokenProvider } from '../core/graphClient';
import { describeClientEvent } from '../core/describeHttp';
import type { ConnectionSettings } from './options';
import type { Terminal } from './terminal';
import { version } from '../../package.json';

export const tokenVariable = 'INTUNE_MAO_ACCESS_TOKEN';

/** A problem signing in: nothing was sent. */
export class SignInError extends Error {}

export function cliUserAgent(): string {
  return `intune-mao-cli/${version} (node ${process.version}; ${process.platform})`;
}

export function createGraphClient(settings: ConnectionSettings, terminal: Terminal, env: NodeJS.ProcessEnv): GraphClient {
  const target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  const backoffBase = Number(env['INTUNE_MAO_BACKOFF_BASE_MS']);
  terminal.redactor.addSecret(env[tokenVariable]?.trim());
  return new GraphClient({
    target,
    getToken: environmentToken(env, terminal),
    userAgent: cliUserAgent(),
    timeoutMs: settings.timeoutMs,
    retry: { maxRetries: settings.maxRetries, ...(backoffBase > 0 ? { backoffBaseMs: backoffBase } : {}) },
    ...(settings.verbose ? { onEvent: (event: ClientEvent) => terminal.err(terminal.style('dim', describeClientEvent(event), 'err')) } : {}),
  });
}

function environmentToken(env: NodeJS.ProcessEnv, terminal: Terminal): TokenProvider {
  return async (request) => {
    const token = (env[tokenVariable] ?? '').trim().replace(/^Bearer\s+/i, '');
    if (!token) {
      throw new SignInError(
        `No access token. Set ${tokenVariable} to a Microsoft Graph access token with DeviceManagementApps.ReadWrite.All ` +
        '(for example from `az account get-access-token --resource-type ms-graph`, or a pipeline\'s service connection), ' +
        'or use the VS Code extension, which signs you in.');
    }
    if (request.forceRefresh) {
      throw new SignInError(`Graph asked for a fresh sign-in (claims challenge), but the token in ${tokenVariable} cannot be renewed by the CLI. Get a new token and try again.`);
    }
    terminal.redactor.addSecret(token);
    return token;
  };
}
