import { resolveGraphTarget } from '../core/clouds';
import { GraphClient, type ClientEvent } from '../core/graphClient';
import { describeClientEvent } from '../core/describeHttp';
import { tokenProviderOf } from '../core/tokenSource';
import type { ConnectionSettings } from './options';
import { proxyFromEnv } from './proxyEnvironment';
import { chooseTokenSource } from './signIn';
import type { Terminal } from './terminal';
import { version } from '../../package.json';

export function cliUserAgent(): string {
  return `intune-mao-cli/${version} (node ${process.version}; ${process.platform})`;
}

/** A Graph client for one command: the settings' target, the chosen token source, the proxy from the environment. */
export function createGraphClient(settings: ConnectionSettings, terminal: Terminal, env: NodeJS.ProcessEnv, signal?: AbortSignal): GraphClient {
  const target = resolveGraphTarget(settings.cloud, settings.graphUrl);
  const backoffBase = Number(env['INTUNE_MAO_BACKOFF_BASE_MS']);
  const proxy = proxyFromEnv(env, terminal);
  const tokens = chooseTokenSource(settings, terminal, env);
  return new GraphClient({
    target,
    getToken: tokenProviderOf(tokens, signal, (issued) => terminal.redactor.addSecret(issued.accessToken)),
    userAgent: cliUserAgent(),
    timeoutMs: settings.timeoutMs,
    retry: { maxRetries: settings.maxRetries, ...(backoffBase > 0 ? { backoffBaseMs: backoffBase } : {}) },
    ...(proxy ? { proxy } : {}),
    ...(settings.verbose ? { onEvent: (event: ClientEvent) => terminal.err(terminal.style('dim', describeClientEvent(event), 'err')) } : {}),
  });
}
