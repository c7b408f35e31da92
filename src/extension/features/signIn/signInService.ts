import * as vscode from 'vscode';
import type { TokenProvider, TokenSummary } from '../core/index';
import type { SignInResult } from '../core/msalSignIn';
import type { ConnectionPlan } from './connectionPlan';
import type { IntuneLog } from './intuneLog';
import { loadCore } from './loadCore';
import { loadMsalSignIn } from './loadMsal';
import type { DeviceCodeFallback } from './msalSignIn';
import { affectsConnection } from './settings';

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
/** SignedInAccount.providerId of the device code fallback (not a VS Code provider). */
export const deviceCodeProviderId = 'intune-mao-device-code';
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
  private readonly settingsSubscription: vscode.Disposable;
  readonly onDidChange = this.changed.event;
  /** VS Code providers found missing or unable to sign in, in this window: the device code sign-in stands in. */
  private readonly unavailableProviders = new Set<string>();
  private fallback: DeviceCodeFallback | undefined;

  constructor(private readonly state: vscode.Memento, private readonly log: IntuneLog, private readonly secrets: vscode.SecretStorage) {
    this.subscription = vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === this.watchedProvider) {
        this.account = undefined;
        this.lastToken = undefined;
        this.changed.fire();
      }
    });
    // New settings (ours, or enabling a sovereign cloud in VS Code) deserve a new look at VS Code's providers.
    this.settingsSubscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConnection(event) || event.affectsConfiguration('microsoft-sovereign-cloud')) this.unavailableProviders.clear();
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
    if (this.usesDeviceCode(plan)) return this.quietDeviceCode(plan);
    try {
      const session = await vscode.authentication.getSession(plan.providerId, plan.scopes, { silent: true });
      return session ? this.remember(plan, session) : undefined;
    } catch (error) {
      this.log.debug(`[auth] quiet session lookup for ${plan.providerId} failed: ${describe(error)}`);
      if (this.switchToDeviceCode(plan, error)) return this.quietDeviceCode(plan);
      return undefined;
    }
  }

  /** A token source for the core's Graph client, prompting when needed; cancellable through `signal`. */
  tokenProvider(plan: ConnectionPlan, signal?: AbortSignal): TokenProvider {
    return async (request) => {
      if (this.usesDeviceCode(plan)) return this.deviceCodeToken(plan, () => this.deviceCode().token(plan, request, signal));
      this.watchedProvider = plan.providerId;
      const options: vscode.AuthenticationGetSessionOptions = request.forceRefresh
        ? { forceNewSession: { detail: vscode.l10n.t('Microsoft Graph asked for a fresh sign-in before it accepts this request.') } }
        : { createIfNone: true, ...(this.signedOut ? { clearSessionPreference: true } : {}) };
      this.log.debug(`[auth] ${request.forceRefresh ? 'signing in again (claims challenge)' : 'getting a session'} from ${plan.providerId} for ${plan.scopes.join(' ')}`);
      let session: vscode.AuthenticationSession | undefined;
      try {
        session = await abortable(Promise.resolve(vscode.authentication.getSession(plan.providerId, plan.scopes, options)), signal);
      } catch (error) {
        if (this.switchToDeviceCode(plan, error, signal)) return this.deviceCodeToken(plan, () => this.deviceCode().token(plan, request, signal));
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
    if (this.usesDeviceCode(plan)) return this.newDeviceCodeSignIn(plan);
    this.watchedProvider = plan.providerId;
    try {
      const session = await vscode.authentication.getSession(plan.providerId, plan.scopes, { clearSessionPreference: true, createIfNone: true });
      await this.state.update(signedOutKey, undefined);
      return this.remember(plan, session);
    } catch (error) {
      if (this.switchToDeviceCode(plan, error)) return this.newDeviceCodeSignIn(plan);
      throw translateSignInError(error, plan);
    }
  }

  /**
   * Stops using the session: it is no longer looked up quietly, and the next sign-in lets the person choose
   * the account. (An extension cannot remove a Microsoft account from VS Code; the Accounts menu can.)
   */
  async signOut(plan?: ConnectionPlan): Promise<void> {
    if (plan && this.usesDeviceCode(plan)) {
      const removed = await this.deviceCode().signOut(plan);
      this.log.info(`[auth] device code sign-in: removed ${removed.length} account(s) and their tokens`);
    }
    await this.state.update(signedOutKey, true);
    this.account = undefined;
    this.lastToken = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.settingsSubscription.dispose();
    this.fallback?.dispose();
    this.changed.dispose();
  }

  /** Whether tokens for this plan come from the device code sign-in (its provider proved unavailable here). */
  usesDeviceCode(plan: ConnectionPlan): boolean {
    return this.unavailableProviders.has(plan.providerId) && !!plan.settings.clientId;
  }

  /**
   * When the VS Code provider is missing or cannot sign in here and intuneMao.clientId is set, the device
   * code sign-in takes over, until the connection settings change. Returns whether it did.
   */
  private switchToDeviceCode(plan: ConnectionPlan, error: unknown, signal?: AbortSignal): boolean {
    if (translateSignInError(error, plan, signal).kind !== 'unavailable' || !plan.settings.clientId) return false;
    this.log.warn(`[auth] VS Code cannot sign in with "${plan.providerId}" here (${firstLine(describe(error))}); signing in with a device code instead (client id ${plan.settings.clientId}).`);
    this.unavailableProviders.add(plan.providerId);
    return true;
  }

  private deviceCode(): DeviceCodeFallback {
    if (!this.fallback) {
      this.fallback = loadMsalSignIn().createDeviceCodeFallback(this.secrets, this.log);
      this.fallback.onDidChange(() => { this.account = undefined; this.lastToken = undefined; this.changed.fire(); });
    }
    return this.fallback;
  }

  private async deviceCodeToken(plan: ConnectionPlan, step: () => Promise<SignInResult>): Promise<string> {
    let result: SignInResult;
    try {
      result = await step();
    } catch (error) {
      throw fromDeviceCodeProblem(error);
    }
    await this.state.update(signedOutKey, undefined);
    this.rememberDeviceCode(plan, result);
    return result.accessToken;
  }

  private async quietDeviceCode(plan: ConnectionPlan): Promise<SignedInAccount | undefined> {
    try {
      const result = await this.deviceCode().quietToken(plan);
      return result ? this.rememberDeviceCode(plan, result) : undefined;
    } catch (error) {
      this.log.debug(`[auth] quiet device code lookup failed: ${describe(error)}`);
      return undefined;
    }
  }

  private async newDeviceCodeSignIn(plan: ConnectionPlan): Promise<SignedInAccount> {
    await this.deviceCodeToken(plan, () => this.deviceCode().signIn(plan));
    return this.account!;
  }

  private rememberDeviceCode(plan: ConnectionPlan, result: SignInResult): SignedInAccount {
    this.log.addSecret(result.accessToken);
    this.lastToken = result.accessToken;
    return this.keep({ providerId: deviceCodeProviderId, label: result.account.username, scopes: result.scopes, tenantId: result.account.tenantId ?? plan.settings.tenant });
  }

  private remember(plan: ConnectionPlan, session: vscode.AuthenticationSession): SignedInAccount {
    this.log.addSecret(session.accessToken);
    this.lastToken = session.accessToken;
    const summary = loadCore().summarizeToken(session.accessToken);
    const tenantId = summary?.tenantId ?? plan.settings.tenant;
    return this.keep({ providerId: plan.providerId, label: session.account.label, scopes: session.scopes, ...(tenantId ? { tenantId } : {}) });
  }

  private keep(account: SignedInAccount): SignedInAccount {
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
  if (/no authentication provider|provider .*(not found|not registered|unavailable)|timed out waiting for authentication provider|not supported in this environment|no auth flow succeeded/i.test(message)) {
    return new SignInError('unavailable', vscode.l10n.t('VS Code cannot sign in with "{0}" here ({1}). Browser-based and remote VS Code builds may lack the Microsoft sign-in: set intuneMao.clientId to your own app registration to sign in with a device code instead, use the desktop VS Code, or use the intune-mao CLI.', plan.providerId, firstLine(message)));
  }
  return new SignInError('failed', vscode.l10n.t('Sign-in failed: {0}', firstLine(message)), aadsts);
}

/** The core's SignInProblem (from dist/msal.js, so matched by name) as this extension's SignInError. */
function fromDeviceCodeProblem(error: unknown): unknown {
  const problem = error as { name?: unknown; kind?: unknown; message?: unknown; aadsts?: unknown };
  if (problem?.name !== 'SignInProblem') return error;
  const message = String(problem.message);
  const aadsts = typeof problem.aadsts === 'string' ? problem.aadsts : undefined;
  switch (problem.kind) {
    case 'cancelled': return new SignInError('cancelled', vscode.l10n.t('Sign-in was cancelled; nothing was sent.'));
    case 'declined': return new SignInError('cancelled', message);
    case 'consent': case 'app': case 'account': return new SignInError('consent', message, aadsts);
    default: return new SignInError('failed', message, aadsts);
  }
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
