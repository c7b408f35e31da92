import * as vscode from 'vscode';
import type { TokenProvider, TokenSummary } from '../core/index';
import type { ConnectionPlan } from './connectionPlan';
import type { IntuneLog } from './intuneLog';
import { loadCore } from './loadCore';

/**
 * - cancelled: the person closed or refused a sign-in prompt (or cancelled the progress).
 * - consent: Entra ID refused because of permissions or consent (AADSTS codes).
 * - unavailable: the authentication provider is missing or cannot finish here (e.g. some web hosts).
 * - failed: anything else.
 */
export type SignInFailure = 'cancelled' | 'consent' | 'unavailable' | 'failed';

export class SignInError extends Error {
  constructor(readonly kind: SignInFailure, message: string, readonly aadstsCode?: string) {
    super(message);
  }
}

/** Who is signed in, as shown in the status bar. Never the token. */
export interface SignedInAccount {
  readonly providerId: string;
  readonly label: string;
  readonly tenantId?: string;
  readonly scopes: readonly string[];
}

const signedOutKey = 'intuneMao.signedOut';
/** AADSTS codes that mean "this app, user or tenant lacks a permission or consent". */
const consentCodes = new Set(['65001', '65004', '650052', '650056', '650057', '90094', '90099', '500011', '700016', '50105', '53003', '7000218']);

/**
 * Tokens through `vscode.authentication.getSession`: asked quietly (status bar), interactively only when
 * the person acts (Send, Choose Target), and once more with `forceNewSession` after a claims challenge.
 */
export class SignIn implements vscode.Disposable {
  private account: SignedInAccount | undefined;
  private lastToken: string | undefined;
  private watchedProvider: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento, private readonly log: IntuneLog) {
    this.subscription = vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === this.watchedProvider) {
        this.account = undefined;
        this.lastToken = undefined;
        this.changed.fire();
      }
    });
  }

  get current(): SignedInAccount | undefined {
    return this.account;
  }

  /** What the last token says about itself (scp, tenant, account), for permission messages. */
  lastTokenSummary(): TokenSummary | undefined {
    return this.lastToken ? loadCore().summarizeToken(this.lastToken) : undefined;
  }

  private get signedOut(): boolean {
    return this.state.get<boolean>(signedOutKey, false);
  }

  /** The session VS Code already has, without any prompt; undefined when there is none. */
  async lookQuietly(plan: ConnectionPlan): Promise<SignedInAccount | undefined> {
    this.watchedProvider = plan.providerId;
    if (this.signedOut) return undefined;
    try {
      const session = await vscode.authentication.getSession(plan.providerId, plan.scopes, { silent: true });
      return session ? this.remember(plan, session) : undefined;
    } catch (error) {
      this.log.debug(`[auth] quiet session lookup for ${plan.providerId} failed: ${describe(error)}`);
      return undefined;
    }
  }

  /** A token source for the core's Graph client, prompting when needed; cancellable through `signal`. */
  tokenProvider(plan: ConnectionPlan, signal?: AbortSignal): TokenProvider {
    return async (request) => {
      this.watchedProvider = plan.providerId;
      const options: vscode.AuthenticationGetSessionOptions = request.forceRefresh
        ? { forceNewSession: { detail: vscode.l10n.t('Microsoft Graph asked for a fresh sign-in before it accepts this request.') } }
        : { createIfNone: true, ...(this.signedOut ? { clearSessionPreference: true } : {}) };
      this.log.debug(`[auth] ${request.forceRefresh ? 'signing in again (claims challenge)' : 'getting a session'} from ${plan.providerId} for ${plan.scopes.join(' ')}`);
      let session: vscode.AuthenticationSession | undefined;
      try {
        session = await abortable(Promise.resolve(vscode.authentication.getSession(plan.providerId, plan.scopes, options)), signal);
      } catch (error) {
        throw translateSignInError(error, plan, signal);
      }
      if (!session) throw new SignInError('cancelled', vscode.l10n.t('Sign-in was cancelled; nothing was sent.'));
      await this.state.update(signedOutKey, undefined);
      this.remember(plan, session);
      return session.accessToken;
    };
  }

  /** Lets the person pick another account (VS Code shows its account list). */
  async switchAccount(plan: ConnectionPlan): Promise<SignedInAccount | undefined> {
    this.watchedProvider = plan.providerId;
    try {
      const session = await vscode.authentication.getSession(plan.providerId, plan.scopes, { clearSessionPreference: true, createIfNone: true });
      await this.state.update(signedOutKey, undefined);
      return this.remember(plan, session);
    } catch (error) {
      throw translateSignInError(error, plan);
    }
  }

  /**
   * Stops using the session: it is no longer looked up quietly, and the next sign-in lets the person choose
   * the account. (An extension cannot remove a Microsoft account from VS Code; the Accounts menu can.)
   */
  async signOut(): Promise<void> {
    await this.state.update(signedOutKey, true);
    this.account = undefined;
    this.lastToken = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private remember(plan: ConnectionPlan, session: vscode.AuthenticationSession): SignedInAccount {
    this.log.addSecret(session.accessToken);
    this.lastToken = session.accessToken;
    const summary = loadCore().summarizeToken(session.accessToken);
    const tenantId = summary?.tenantId ?? plan.settings.tenant;
    const account: SignedInAccount = {
      providerId: plan.providerId, label: session.account.label, scopes: session.scopes, ...(tenantId ? { tenantId } : {}),
    };
    const changed = this.account?.label !== account.label || this.account?.tenantId !== account.tenantId || this.account?.providerId !== account.providerId;
    this.account = account;
    if (changed) this.changed.fire();
    return account;
  }
}

export function translateSignInError(error: unknown, plan: ConnectionPlan, signal?: AbortSignal): SignInError {
  if (error instanceof SignInError) return error;
  const message = describe(error);
  if (signal?.aborted || error instanceof vscode.CancellationError || (/cancel|did not consent|user declined/i.test(message) && !/AADSTS/.test(message))) {
    return new SignInError('cancelled', vscode.l10n.t('Sign-in was cancelled; nothing was sent.'));
  }
  const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
  if (aadsts && consentCodes.has(aadsts)) {
    return new SignInError('consent', vscode.l10n.t('Sign-in was refused (AADSTS{0}): {1}', aadsts, firstLine(message)), aadsts);
  }
  if (/no authentication provider|provider .*(not found|not registered|unavailable)|timed out waiting for authentication provider|not supported in this environment/i.test(message)) {
    return new SignInError('unavailable', vscode.l10n.t('VS Code cannot sign in with "{0}" here ({1}). Browser-based and remote VS Code builds may lack the Microsoft sign-in: use the desktop VS Code, or the intune-mao CLI with an access token (INTUNE_MAO_ACCESS_TOKEN).', plan.providerId, firstLine(message)));
  }
  return new SignInError('failed', vscode.l10n.t('Sign-in failed: {0}', firstLine(message)), aadsts);
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new vscode.CancellationError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new vscode.CancellationError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
