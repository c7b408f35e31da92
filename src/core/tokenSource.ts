import type { TokenProvider, TokenRequest } from './graphClient';

/** Who is signed in. Never a token. */
export interface SignedInAccount {
  /** The user name (UPN) or, for an app, its name. */
  readonly username: string;
  readonly name?: string;
  readonly tenantId?: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly account: SignedInAccount;
  readonly scopes: readonly string[];
  readonly expiresOn?: Date;
}

/**
 * One way of getting a Graph token: VS Code's authentication provider, a device code with MSAL, the local
 * emulator's sandbox, a token handed to the CLI. Each front end picks one from its settings, once; the Graph
 * client only ever sees `tokenProviderOf(source)`. Failures are SignInFailure errors.
 */
export interface TokenSource {
  /** A token, quietly when possible, prompting the person when needed; `signal` cancels a prompt. */
  getToken(request: TokenRequest, signal?: AbortSignal): Promise<IssuedToken>;
  /** Who a token would be for, without any prompt; undefined when nobody is signed in. */
  quietAccount(): Promise<SignedInAccount | undefined>;
  /** Lets the person choose (or sign in with) another account. */
  switchAccount(signal?: AbortSignal): Promise<SignedInAccount>;
  /** Stops using the sign-in, removing its tokens where this source keeps them; returns who was signed out. */
  signOut(): Promise<readonly SignedInAccount[]>;
}

/** The Graph client's view of a token source; `onIssued` sees each token (to keep it out of every output). */
export function tokenProviderOf(source: TokenSource, signal?: AbortSignal, onIssued?: (token: IssuedToken) => void): TokenProvider {
  return async (request) => {
    const issued = await source.getToken(request, signal);
    onIssued?.(issued);
    return issued.accessToken;
  };
}
