import { clouds } from '../../core/clouds';
import { clientIdAdvice } from '../../core/msalSignIn';
import { SignInFailure } from '../../core/signInFailure';
import { summarizeToken } from '../../core/tokenClaims';
import { deviceCodeSignIn, environmentToken, noCredentialsMessage, tokenVariable } from '../signIn';
import { parseCommandArgs, signInOptions, signInSettings, UsageError } from '../options';
import type { Terminal } from '../terminal';
import { TokenCacheFile, tokenCachePath } from '../tokenCacheFile';

export const loginUsage = 'intune-mao login --client-id <app id> [--tenant <tenant id or domain>] [--cloud <name>] [--login-url <loopback https url>] [--json]';
export const whoamiUsage = 'intune-mao whoami [--client-id <app id>] [--tenant …] [--cloud …] [--json]';
export const logoutUsage = 'intune-mao logout [--json]';

/** Signs in with a device code (always, even when a sign-in is cached) and keeps the tokens for later commands. */
export async function loginCommand(args: string[], terminal: Terminal, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, signInOptions);
  if (values.help) {
    terminal.out(`usage: ${loginUsage}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`login takes no arguments (got ${positionals[0]})`);
  const settings = signInSettings(values, env);
  if (!settings.clientId) throw new UsageError(`login needs --client-id (or INTUNE_MAO_CLIENT_ID). ${clientIdAdvice}`);
  const result = await deviceCodeSignIn(settings, terminal, env).signIn(signal);
  terminal.redactor.addSecret(result.accessToken);
  const cache = tokenCachePath(env);
  if (settings.json) {
    terminal.json({
      account: result.account.username,
      name: result.account.name ?? null,
      tenantId: result.account.tenantId ?? null,
      cloud: settings.cloud,
      scopes: result.scopes,
      tokenCache: cache,
    });
  } else {
    terminal.out(
      `${terminal.style('green', '✔')} Signed in as ${result.account.username} (tenant ${result.account.tenantId ?? '?'}, ${clouds[settings.cloud].label}).`,
    );
    terminal.out(terminal.style('dim', `Token cache: ${cache}`));
  }
  return 0;
}

/** Who the next command acts as: the account, tenant and scopes. Never the token. */
export async function whoamiCommand(args: string[], terminal: Terminal, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, signInOptions);
  if (values.help) {
    terminal.out(`usage: ${whoamiUsage}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`whoami takes no arguments (got ${positionals[0]})`);
  const settings = signInSettings(values, env);
  const given = environmentToken(env);
  let facts: Record<string, string | readonly string[] | null>;
  if (given) {
    terminal.redactor.addSecret(given);
    const summary = summarizeToken(given);
    facts = {
      account: summary?.account ?? null,
      tenantId: summary?.tenantId ?? null,
      scopes: summary?.scopes ?? [],
      roles: summary?.roles ?? [],
      appId: summary?.appId ?? null,
      expiresAt: summary?.expiresAt?.toISOString() ?? null,
      source: tokenVariable,
    };
  } else if (settings.clientId) {
    const signIn = deviceCodeSignIn(settings, terminal, env);
    const account = await signIn.quietAccount();
    if (!account)
      throw new SignInFailure('noninteractive', `Not signed in to ${clouds[settings.cloud].label}. Run: intune-mao login --client-id ${settings.clientId}`);
    const token = await signIn.quietToken();
    if (token) terminal.redactor.addSecret(token.accessToken);
    facts = {
      account: account.username,
      tenantId: account.tenantId ?? null,
      scopes: token?.scopes ?? [],
      roles: [],
      appId: settings.clientId,
      expiresAt: token?.expiresOn?.toISOString() ?? null,
      source: `device code sign-in (${tokenCachePath(env)})`,
      ...(token ? {} : { note: 'the saved sign-in can no longer be renewed: run intune-mao login' }),
    };
  } else {
    throw new SignInFailure('no-credentials', noCredentialsMessage);
  }
  if (settings.json) {
    terminal.json({ ...facts, cloud: settings.cloud });
    return 0;
  }
  const rows: [string, string][] = [
    ['account', String(facts['account'] ?? '(unknown)')],
    ['tenant', String(facts['tenantId'] ?? '(unknown)')],
    ['cloud', clouds[settings.cloud].label],
    ['scopes', (facts['scopes'] as readonly string[]).join(' ') || '(none)'],
    ...((facts['roles'] as readonly string[]).length ? [['roles', (facts['roles'] as readonly string[]).join(' ')] as [string, string]] : []),
    ...(facts['appId'] ? [['app', String(facts['appId'])] as [string, string]] : []),
    ['expires', String(facts['expiresAt'] ?? '(unknown)')],
    ['source', String(facts['source'])],
    ...(facts['note'] ? [['note', String(facts['note'])] as [string, string]] : []),
  ];
  for (const [name, value] of rows) terminal.out(`${name.padEnd(8)} ${value}`);
  return 0;
}

/** Deletes the token cache: every account the CLI signed in with is forgotten. */
export async function logoutCommand(args: string[], terminal: Terminal, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    terminal.out(`usage: ${logoutUsage}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`logout takes no arguments (got ${positionals[0]})`);
  const file = new TokenCacheFile(tokenCachePath(env));
  const accounts = cachedUsernames(await file.read().catch(() => undefined));
  const removed = await file.remove();
  if (values.json) {
    terminal.json({ signedOut: accounts, tokenCacheRemoved: removed });
  } else if (removed) {
    terminal.out(`${terminal.style('green', '✔')} Signed out${accounts.length ? ` (${accounts.join(', ')})` : ''}: removed ${file.path}.`);
  } else {
    terminal.out('Not signed in: there was no token cache.');
  }
  if (environmentToken(env)) terminal.err(`${tokenVariable} is still set: commands keep using that token.`);
  return 0;
}

/** Usernames of the accounts in a serialized MSAL cache (its documented JSON shape). */
function cachedUsernames(data: string | undefined): string[] {
  try {
    const accounts = (JSON.parse(data ?? '{}') as { Account?: Record<string, { username?: unknown }> }).Account ?? {};
    return Object.values(accounts)
      .map((a) => a.username)
      .filter((u): u is string => typeof u === 'string');
  } catch {
    return [];
  }
}
