import type { AccountInfo, AuthenticationResult, DeviceCodeRequest, ICachePlugin, PublicClientApplication, TokenCacheContext } from '@azure/msal-node';
import type { Cloud } from './clouds';
import { EntraHttpClient } from './entraHttp';
import type { ProxySettings } from './proxy';
import { ProxyAgents } from './proxyAgent';
import type { TokenRequest } from './graphClient';
import { intunePermission, intuneScope, isClientId, LoginAuthorityError, resolveLoginAuthority, type LoginAuthority } from './loginAuthority';
import { redactSecretShapes } from './redact';
import { untilAborted } from './abort';
import { explainSignInFailure, signInCancelled, SignInFailure, type SignInSubject } from './signInFailure';
import type { IssuedToken, SignedInAccount, TokenSource } from './tokenSource';

type Msal = typeof import('@azure/msal-node');
let msal: Msal | undefined;

/** MSAL is about 250 KB and takes a while to load: only when a sign-in actually happens. */
function loadMsal(): Msal {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (msal ??= require('@azure/msal-node') as Msal);
}

/** Where MSAL's serialized token cache lives (a file for the CLI, SecretStorage in VS Code). */
export interface TokenCacheStore {
  read(): Promise<string | undefined>;
  write(data: string): Promise<void>;
  /**
   * Keeps other processes from changing the store until the returned release is called; a store shared
   * between processes needs it, or one process's write drops what another wrote in the meantime.
   */
  lock?(): Promise<() => Promise<void>>;
}

/** What the person needs to finish the sign-in in a browser. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** Entra ID's own sentence with the URL and the code. */
  readonly message: string;
  readonly expiresAt: Date;
}

export interface DeviceCodeSignInOptions {
  readonly cloud: Cloud;
  /** Required: the Application (client) ID of the organisation's own app registration. */
  readonly clientId: string | undefined;
  /** Tenant id or domain; 'organizations' when not given. */
  readonly tenant?: string | undefined;
  readonly cache: TokenCacheStore;
  readonly onDeviceCode: (prompt: DeviceCodePrompt) => void;
  /** After the person finished a device code sign-in (not after a silent one). */
  readonly onSignedIn?: (account: SignedInAccount) => void;
  /** False where nobody can enter a code (a CI job): a sign-in that needs a person fails at once instead of waiting. */
  readonly canPrompt?: boolean;
  /** Loopback https URL of a local identity emulator replacing the cloud's sign-in host (tests). */
  readonly loginUrl?: string | undefined;
  /** A certificate (PEM) to trust for that emulator; refused for a real sign-in host. */
  readonly trustedCertificate?: string | undefined;
  /** Proxy for the sign-in host (the CLI's HTTPS_PROXY / NO_PROXY); none by default. */
  readonly proxy?: ProxySettings | ProxyAgents | undefined;
  /** MSAL's log lines, without personal data or tokens. */
  readonly log?: (line: string) => void;
  readonly verbose?: boolean;
}

/** What a client id for the device code sign-in must be. */
export const clientIdAdvice =
  `Use the Application (client) ID of your own Entra app registration with the delegated Microsoft Graph permission ${intunePermission} ` +
  '(admin consent granted) and "Allow public client flows" enabled. VS Code\'s own client id is not pre-authorized for Intune\'s Graph permissions.';

/** A missing or malformed client id, refused before any request. */
export function clientIdProblem(clientId: string | undefined): SignInFailure | undefined {
  if (clientId && isClientId(clientId)) return undefined;
  const what = clientId ? `"${clientId.slice(0, 60)}" is not a client id (a GUID).` : 'The device code sign-in needs a client id.';
  return new SignInFailure('app', `${what} ${clientIdAdvice}`);
}

/**
 * Signs in with MSAL's device code flow and keeps the tokens in a cache store: silently from the cache
 * when it can, otherwise by showing a code the person enters in a browser.
 */
export class DeviceCodeSignIn implements TokenSource {
  readonly authority: LoginAuthority;
  readonly scopes: readonly string[];
  private readonly http: EntraHttpClient;
  private readonly subject: SignInSubject;
  private application: PublicClientApplication | undefined;
  /** What the store held when this process last read or wrote it. */
  private lastSynced: string | undefined;
  private interactive: Promise<IssuedToken> | undefined;

  constructor(private readonly options: DeviceCodeSignInOptions) {
    const problem = clientIdProblem(options.clientId);
    if (problem) throw problem;
    this.authority = resolveLoginAuthority(options.cloud, options.tenant || undefined, options.loginUrl);
    if (options.trustedCertificate && !this.authority.isEmulator) {
      throw new LoginAuthorityError('A certificate can only be trusted for a loopback identity emulator.');
    }
    this.scopes = [intuneScope(options.cloud)];
    const proxy = options.proxy === undefined ? undefined : options.proxy instanceof ProxyAgents ? options.proxy : new ProxyAgents(options.proxy);
    this.http = new EntraHttpClient(options.trustedCertificate, proxy, options.verbose ? options.log : undefined);
    this.subject = { clientId: options.clientId!, tenant: this.authority.tenant, loginHost: this.authority.host, permission: intunePermission };
  }

  /** Silently from the cache when it can, otherwise after the person enters a device code. */
  async getToken(request: TokenRequest = { forceRefresh: false }, signal?: AbortSignal): Promise<IssuedToken> {
    if (signal?.aborted) throw signInCancelled();
    const claims = decodeClaimsChallenge(request.claims);
    const account = await this.cachedAccount();
    if (account) {
      try {
        return await this.silent(account, request.forceRefresh, claims);
      } catch (error) {
        if (!needsInteraction(error)) throw this.explain(error);
        this.options.log?.('[auth] the cached sign-in cannot be renewed without you; starting a device code sign-in');
      }
    }
    return this.deviceCode(signal, claims);
  }

  /** A token from the cache (refreshed if need be) without any prompt; undefined when that is not possible. */
  async quietToken(): Promise<IssuedToken | undefined> {
    const account = await this.cachedAccount();
    if (!account) return undefined;
    try {
      return await this.silent(account, false, undefined);
    } catch (error) {
      this.options.log?.(`[auth] quiet sign-in did not work: ${this.explain(error).message}`);
      return undefined;
    }
  }

  /** Always shows a device code, then keeps only the new account for this cloud. */
  async signIn(signal?: AbortSignal): Promise<IssuedToken> {
    await this.syncWithStore();
    return this.deviceCode(signal, undefined);
  }

  async switchAccount(signal?: AbortSignal): Promise<SignedInAccount> {
    return (await this.signIn(signal)).account;
  }

  /** Who is signed in for this cloud, from the cache alone (no network). */
  async quietAccount(): Promise<SignedInAccount | undefined> {
    const account = await this.cachedAccount();
    return account ? describeAccount(account) : undefined;
  }

  /** Removes every account (and its tokens) from the cache; returns who was signed out. */
  async signOut(): Promise<readonly SignedInAccount[]> {
    await this.syncWithStore();
    const cache = this.app().getTokenCache();
    const accounts = await cache.getAllAccounts();
    for (const account of accounts) await cache.removeAccount(account);
    return accounts.map(describeAccount);
  }

  private async silent(account: AccountInfo, forceRefresh: boolean, claims: string | undefined): Promise<IssuedToken> {
    this.http.forget();
    const result = await this.app().acquireTokenSilent({ account, scopes: [...this.scopes], forceRefresh, ...(claims ? { claims } : {}) });
    return describeResult(result);
  }

  private deviceCode(signal: AbortSignal | undefined, claims: string | undefined): Promise<IssuedToken> {
    if (this.options.canPrompt === false) {
      return Promise.reject(
        new SignInFailure(
          'noninteractive',
          'A sign-in is needed, but nobody can enter a device code here (CI). Provide a token (INTUNE_MAO_ACCESS_TOKEN), or sign in beforehand where you can (intune-mao login).',
        ),
      );
    }
    // One prompt at a time: callers that arrive while it is shown wait for the same sign-in.
    this.interactive ??= this.runDeviceCode(signal, claims).finally(() => {
      this.interactive = undefined;
    });
    return this.interactive;
  }

  private async runDeviceCode(signal: AbortSignal | undefined, claims: string | undefined): Promise<IssuedToken> {
    if (signal?.aborted) throw signInCancelled();
    this.http.forget();
    const request: DeviceCodeRequest = {
      scopes: [...this.scopes],
      ...(claims ? { claims } : {}),
      deviceCodeCallback: (response) => {
        // MSAL passes an error answer from /devicecode on as if it were a code; stop here instead.
        if (!response.userCode || !response.deviceCode) throw new Error('no device code was issued');
        this.options.onDeviceCode({
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message,
          expiresAt: new Date(Date.now() + response.expiresIn * 1000),
        });
      },
    };
    // MSAL looks at `cancel` between polls; the promise below settles at once.
    const onAbort = (): void => {
      request.cancel = true;
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const acquisition = this.app().acquireTokenByDeviceCode(request);
    acquisition.catch(() => undefined);
    try {
      const result = await untilAborted(acquisition, signal, signInCancelled);
      if (!result) throw new Error('the device code sign-in returned no result');
      await this.keepOnly(result.account);
      const issued = describeResult(result);
      this.options.onSignedIn?.(issued.account);
      return issued;
    } catch (error) {
      throw signal?.aborted ? signInCancelled() : this.explain(error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async keepOnly(account: AccountInfo | null): Promise<void> {
    if (!account) return;
    const cache = this.app().getTokenCache();
    for (const other of await cache.getAllAccounts()) {
      if (other.homeAccountId !== account.homeAccountId && other.environment === account.environment) await cache.removeAccount(other);
    }
  }

  /**
   * MSAL only ever adds what it reads to its in-memory cache. When another process or window changed the
   * store (a sign-out, say), start over from the store instead.
   */
  private async syncWithStore(): Promise<void> {
    if (this.application && (await this.options.cache.read()) !== this.lastSynced) this.application = undefined;
  }

  private async cachedAccount(): Promise<AccountInfo | undefined> {
    await this.syncWithStore();
    try {
      const accounts = await this.app().getTokenCache().getAllAccounts();
      return accounts.find((a) => sameCloud(a.environment, this.authority.host));
    } catch (error) {
      throw this.explain(error);
    }
  }

  private explain(error: unknown): SignInFailure {
    return explainSignInFailure(error, this.http.lastError, this.http.lastConnectionFailure, this.subject);
  }

  private app(): PublicClientApplication {
    if (this.application) return this.application;
    const { PublicClientApplication: Application, LogLevel } = loadMsal();
    const log = this.options.log;
    this.application = new Application({
      auth: {
        clientId: this.options.clientId!,
        authority: this.authority.url,
        // An emulator's host is trusted as given: no instance discovery on login.microsoftonline.com.
        ...(this.authority.isEmulator ? { knownAuthorities: [this.authority.host] } : {}),
      },
      cache: {
        cachePlugin: cachePlugin(this.options.cache, log, (data) => {
          this.lastSynced = data;
        }),
      },
      system: {
        networkClient: this.http,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: this.options.verbose ? LogLevel.Info : LogLevel.Warning,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii && log) log(`[msal] ${redactSecretShapes(message.replace(msalLinePrefix, ''))}`);
          },
        },
      },
    });
    return this.application;
  }
}

/** "[date] : [correlation id] : @azure/msal-node@7.2.3 : Info - " before each message. */
const msalLinePrefix = /^\[[^\]]*\] : \[[^\]]*\] : \S+ : \w+ - /;

/**
 * MSAL calls beforeCacheAccess, changes its in-memory cache, then afterCacheAccess with the same context
 * (in a finally, so also when the change fails), and only in-memory work happens in between. Each such
 * read-change-write holds the store's lock, and one runs at a time in this process, so nothing another
 * writer stored in between can be overwritten.
 */
function cachePlugin(store: TokenCacheStore, log: ((line: string) => void) | undefined, synced: (data: string | undefined) => void): ICachePlugin {
  const releases = new WeakMap<TokenCacheContext, () => Promise<void>>();
  let turns: Promise<void> = Promise.resolve();
  return {
    beforeCacheAccess: async (context: TokenCacheContext) => {
      let endTurn!: () => void;
      const previous = turns;
      turns = new Promise<void>((resolve) => {
        endTurn = resolve;
      });
      await previous;
      let release = async (): Promise<void> => endTurn();
      try {
        const unlock = await store.lock?.();
        if (unlock)
          release = async () => {
            try {
              await unlock();
            } finally {
              endTurn();
            }
          };
        const data = await store.read();
        synced(data);
        let text = '{}';
        try {
          if (data && JSON.parse(data)) text = data;
        } catch {
          log?.('[auth] the token cache could not be read; starting with an empty one');
        }
        context.tokenCache.deserialize(text);
        releases.set(context, release);
      } catch (error) {
        await release();
        throw error;
      }
    },
    afterCacheAccess: async (context: TokenCacheContext) => {
      const release = releases.get(context);
      // No release: beforeCacheAccess failed, so nothing was read and nothing may be written.
      if (!release) return;
      releases.delete(context);
      try {
        if (!context.cacheHasChanged) return;
        const data = context.tokenCache.serialize();
        await store.write(data);
        synced(data);
      } finally {
        await release();
      }
    },
  };
}

/** MSAL records public-cloud accounts under aliases (login.windows.net); these are the same sign-in service. */
const hostAliases: readonly (readonly string[])[] = [
  ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
];

function sameCloud(environment: string, host: string): boolean {
  const a = environment.toLowerCase();
  const b = host.toLowerCase();
  return a === b || hostAliases.some((names) => names.includes(a) && names.includes(b));
}

/** Entra refused to renew silently (expired, revoked, MFA or consent needed): a person must sign in. */
function needsInteraction(error: unknown): boolean {
  const { InteractionRequiredAuthError, ServerError } = loadMsal();
  const code = String((error as { errorCode?: unknown })?.errorCode ?? '');
  return (
    error instanceof InteractionRequiredAuthError ||
    error instanceof ServerError ||
    ['no_tokens_found', 'token_refresh_required', 'no_account_found'].includes(code)
  );
}

/** A CAE challenge's claims arrive base64-encoded; MSAL wants the JSON. */
export function decodeClaimsChallenge(claims: string | undefined): string | undefined {
  if (!claims) return undefined;
  const isJson = (text: string): boolean => {
    try {
      return typeof JSON.parse(text) === 'object';
    } catch {
      return false;
    }
  };
  if (isJson(claims)) return claims;
  const decoded = Buffer.from(claims, 'base64').toString('utf8');
  return isJson(decoded) ? decoded : claims;
}

function describeAccount(account: AccountInfo): SignedInAccount {
  return { username: account.username, tenantId: account.tenantId, ...(account.name ? { name: account.name } : {}) };
}

function describeResult(result: AuthenticationResult): IssuedToken {
  if (!result.account) throw new Error('the sign-in returned no account');
  return {
    accessToken: result.accessToken,
    account: describeAccount(result.account),
    scopes: result.scopes,
    ...(result.expiresOn ? { expiresOn: result.expiresOn } : {}),
  };
}
