import { clouds } from '../core/clouds';
import type { TokenProvider } from '../core/graphClient';
import { DeviceCodeSignIn, type SignInResult } from '../core/msalSignIn';
import { SignInProblem } from '../core/signInProblems';
import type { SignInSettings } from './options';
import { proxyFromEnv } from './proxyEnvironment';
import type { Terminal } from './terminal';
import { TokenCacheFile, tokenCachePath } from './tokenCacheFile';

/** A problem signing in: nothing was sent. */
export class SignInError extends Error {}

/**
 * The device code sign-in for the CLI: the code goes to stderr (stdout stays JSON with --json), MSAL's own
 * lines only with --verbose, tokens in the cache file.
 */
/** True in a CI job (the CI variable most CI services set), where no person can enter a device code. */
export function isContinuousIntegration(env: NodeJS.ProcessEnv): boolean {
  const value = (env['CI'] ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

export function createDeviceCodeSignIn(settings: SignInSettings, terminal: Terminal, env: NodeJS.ProcessEnv, onPrompt?: () => void, canPrompt = true): DeviceCodeSignIn {
  const proxy = proxyFromEnv(env, terminal);
  try {
    return new DeviceCodeSignIn({
      cloud: clouds[settings.cloud],
      clientId: settings.clientId,
      tenant: settings.tenant,
      loginUrl: settings.loginUrl,
      cache: new TokenCacheFile(tokenCachePath(env)),
      canPrompt,
      onDeviceCode: (prompt) => {
        onPrompt?.();
        terminal.err(terminal.style('yellow', prompt.message, 'err'));
        terminal.err(terminal.style('dim', `Waiting for the sign-in (the code expires at ${prompt.expiresAt.toLocaleTimeString()}; Ctrl+C cancels)…`, 'err'));
      },
      verbose: settings.verbose,
      ...(proxy ? { proxy } : {}),
      ...(settings.verbose ? { log: (line: string) => terminal.err(terminal.style('dim', line, 'err')) } : {}),
    });
  } catch (error) {
    throw asSignInError(error);
  }
}

/** Runs a sign-in step, turning its problems into the CLI's SignInError (exit 2) and hiding the token from output. */
export async function signingIn(terminal: Terminal, step: () => Promise<SignInResult>): Promise<SignInResult> {
  try {
    const result = await step();
    terminal.redactor.addSecret(result.accessToken);
    return result;
  } catch (error) {
    throw asSignInError(error);
  }
}

/** Tokens for the Graph client: from the cache, or after a device code sign-in the person completes. */
export function deviceCodeTokens(settings: SignInSettings, terminal: Terminal, env: NodeJS.ProcessEnv, signal?: AbortSignal): TokenProvider {
  let signIn: DeviceCodeSignIn | undefined;
  let prompted = false;
  return async (request) => {
    signIn ??= createDeviceCodeSignIn(settings, terminal, env, () => { prompted = true; }, !isContinuousIntegration(env));
    const result = await signingIn(terminal, () => signIn!.getToken({ forceRefresh: request.forceRefresh, claims: request.claims, signal }));
    if (prompted) {
      prompted = false;
      terminal.err(terminal.style('green', `Signed in as ${result.account.username}.`, 'err'));
    }
    return result.accessToken;
  };
}

function asSignInError(error: unknown): unknown {
  return error instanceof SignInProblem ? new SignInError(error.message) : error;
}
