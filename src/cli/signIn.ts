import { clouds } from '../core/clouds';
import { DeviceCodeSignIn } from '../core/msalSignIn';
import { SignInFailure } from '../core/signInFailure';
import { summarizeToken } from '../core/tokenClaims';
import type { IssuedToken, SignedInAccount, TokenSource } from '../core/tokenSource';
import type { TokenRequest } from '../core/graphClient';
import type { SignInSettings } from './options';
import { proxyFromEnv } from './proxyEnvironment';
import type { Terminal } from './terminal';
import { TokenCacheFile, tokenCachePath } from './tokenCacheFile';

export const tokenVariable = 'INTUNE_MAO_ACCESS_TOKEN';

export const noCredentialsMessage =
  `No access token. Set ${tokenVariable} to a Microsoft Graph access token with DeviceManagementApps.ReadWrite.All ` +
  "(for example from `az account get-access-token --resource-type ms-graph`, or a pipeline's service connection), " +
  'or sign in with a device code: pass --client-id <Application (client) ID of your app registration> (or set INTUNE_MAO_CLIENT_ID), ' +
  'optionally with --tenant. The VS Code extension signs you in too.';

/** The token in INTUNE_MAO_ACCESS_TOKEN, undefined when it is not set. */
export function environmentToken(env: NodeJS.ProcessEnv): string | undefined {
  return (env[tokenVariable] ?? '').trim().replace(/^Bearer\s+/i, '') || undefined;
}

/** True in a CI job (the CI variable most CI services set), where no person can enter a device code. */
export function isContinuousIntegration(env: NodeJS.ProcessEnv): boolean {
  const value = (env['CI'] ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * The CLI's one choice of a token source: INTUNE_MAO_ACCESS_TOKEN when it is set, else a device code sign-in
 * when a client id is given, else none (every request then fails with what to do).
 */
export function chooseTokenSource(settings: SignInSettings, terminal: Terminal, env: NodeJS.ProcessEnv): TokenSource {
  const given = environmentToken(env);
  if (given) {
    terminal.redactor.addSecret(given);
    return new EnvironmentToken(given);
  }
  if (settings.clientId) return deviceCodeSignIn(settings, terminal, env, !isContinuousIntegration(env));
  return noCredentials;
}

/** A token handed over as it is (from a pipeline's service connection, `az`, …): it cannot be renewed here. */
export class EnvironmentToken implements TokenSource {
  constructor(private readonly token: string) {}

  async getToken(request: TokenRequest): Promise<IssuedToken> {
    if (request.forceRefresh) {
      throw new SignInFailure(
        'failed',
        `Graph asked for a fresh sign-in (claims challenge), but the token in ${tokenVariable} cannot be renewed by the CLI. Get a new token and try again.`,
      );
    }
    const summary = summarizeToken(this.token);
    return {
      accessToken: this.token,
      account: accountOf(summary),
      scopes: summary?.scopes ?? [],
      ...(summary?.expiresAt ? { expiresOn: summary.expiresAt } : {}),
    };
  }

  async quietAccount(): Promise<SignedInAccount> {
    return accountOf(summarizeToken(this.token));
  }

  async switchAccount(): Promise<SignedInAccount> {
    throw new SignInFailure('failed', `The CLI uses the token in ${tokenVariable}; unset it to sign in with a device code.`);
  }

  async signOut(): Promise<readonly SignedInAccount[]> {
    return [];
  }
}

const noCredentials: TokenSource = {
  getToken: () => Promise.reject(new SignInFailure('no-credentials', noCredentialsMessage)),
  quietAccount: async () => undefined,
  switchAccount: () => Promise.reject(new SignInFailure('no-credentials', noCredentialsMessage)),
  signOut: async () => [],
};

function accountOf(summary: ReturnType<typeof summarizeToken>): SignedInAccount {
  return { username: summary?.account ?? '(unknown account)', ...(summary?.tenantId ? { tenantId: summary.tenantId } : {}) };
}

/**
 * The device code sign-in for the CLI: the code goes to stderr (stdout stays JSON with --json), MSAL's own
 * lines only with --verbose, tokens in the owner-only cache file. `canPrompt` is false in CI.
 */
export function deviceCodeSignIn(settings: SignInSettings, terminal: Terminal, env: NodeJS.ProcessEnv, canPrompt = true): DeviceCodeSignIn {
  const proxy = proxyFromEnv(env, terminal);
  return new DeviceCodeSignIn({
    cloud: clouds[settings.cloud],
    clientId: settings.clientId,
    tenant: settings.tenant,
    loginUrl: settings.loginUrl,
    cache: new TokenCacheFile(tokenCachePath(env)),
    canPrompt,
    onDeviceCode: (prompt) => {
      terminal.err(terminal.style('yellow', prompt.message, 'err'));
      terminal.err(terminal.style('dim', `Waiting for the sign-in (the code expires at ${prompt.expiresAt.toLocaleTimeString()}; Ctrl+C cancels)…`, 'err'));
    },
    onSignedIn: (account) => terminal.err(terminal.style('green', `Signed in as ${account.username}.`, 'err')),
    verbose: settings.verbose,
    ...(proxy ? { proxy } : {}),
    ...(settings.verbose ? { log: (line: string) => terminal.err(terminal.style('dim', line, 'err')) } : {}),
  });
}
