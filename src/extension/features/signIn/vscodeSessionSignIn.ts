import vscode = require('vscode');
import { l10n } from 'vscode';
import type { TokenRequest } from '../../../core/graphClient';
import type { SignInFailure } from '../../../core/signInFailure';
import type { IssuedToken, SignedInAccount } from '../../../core/tokenSource';
import type { ConnectionPlan } from '../../shared/connectionPlan';
import { loadCore } from '../../shared/loadCore';
import type { ExtensionTokenSource, SignInDeps } from './signInDeps';

const signedOutKey = 'intuneMao.signedOut';

/**
 * Tokens from a VS Code authentication provider (Microsoft, the sovereign clouds' one): asked quietly when only
 * looking, interactively when the person acts, and with `forceNewSession` after a claims challenge.
 */
export class VsCodeSessionSignIn implements ExtensionTokenSource {
  readonly via: ExtensionTokenSource['via'] = 'vscode';

  constructor(
    protected readonly plan: ConnectionPlan,
    protected readonly deps: SignInDeps,
  ) {}

  private get signedOut(): boolean {
    return this.deps.state.get<boolean>(signedOutKey, false);
  }

  async getToken(request: TokenRequest, signal?: AbortSignal): Promise<IssuedToken> {
    const options: vscode.AuthenticationGetSessionOptions = request.forceRefresh
      ? { forceNewSession: { detail: l10n.t('Microsoft Graph asked for a fresh sign-in before it accepts this request.') } }
      : { createIfNone: true, ...(this.signedOut ? { clearSessionPreference: true } : {}) };
    this.deps.log.debug(
      `[auth] ${request.forceRefresh ? 'signing in again (claims challenge)' : 'getting a session'} from ${this.plan.providerId} for ${this.plan.scopes.join(' ')}`,
    );
    const session = await this.ask(options, signal);
    if (!session) throw loadCore().signInCancelled();
    await this.deps.state.update(signedOutKey, undefined);
    return issuedToken(session);
  }

  async quietAccount(): Promise<SignedInAccount | undefined> {
    if (this.signedOut) return undefined;
    try {
      const session = await this.ask({ silent: true });
      return session ? issuedToken(session).account : undefined;
    } catch (error) {
      if ((error as SignInFailure).reason === 'unavailable') throw error;
      this.deps.log.debug(`[auth] quiet session lookup for ${this.plan.providerId} failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  async switchAccount(signal?: AbortSignal): Promise<SignedInAccount> {
    const session = await this.ask({ clearSessionPreference: true, createIfNone: true }, signal);
    if (!session) throw loadCore().signInCancelled();
    await this.deps.state.update(signedOutKey, undefined);
    return issuedToken(session).account;
  }

  /** An extension cannot remove a Microsoft account from VS Code (the Accounts menu can): stop using it instead. */
  async signOut(): Promise<readonly SignedInAccount[]> {
    await this.deps.state.update(signedOutKey, true);
    return [];
  }

  dispose(): void {
    // Nothing held.
  }

  private async ask(options: vscode.AuthenticationGetSessionOptions, signal?: AbortSignal): Promise<vscode.AuthenticationSession | undefined> {
    const core = loadCore();
    try {
      const asked = Promise.resolve(this.deps.ports.authentication.getSession(this.plan.providerId, this.plan.scopes, options));
      return await core.untilAborted(asked, signal, core.signInCancelled);
    } catch (error) {
      throw this.failureOf(error, signal);
    }
  }

  /**
   * VS Code's providers fail with plain errors: this is the one place their words are read, once, to give the
   * failure its kind. Everything after this sees a typed SignInFailure.
   */
  private failureOf(error: unknown, signal?: AbortSignal): SignInFailure {
    const core = loadCore();
    if (error instanceof core.SignInFailure) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (signal?.aborted || error instanceof vscode.CancellationError || (/cancel|did not consent|user declined/i.test(message) && !/AADSTS/.test(message))) {
      return core.signInCancelled();
    }
    const aadsts = /AADSTS(\d+)/.exec(message)?.[1];
    if (aadsts) {
      const { clientId, tenant } = this.plan.settings;
      const subject = {
        clientId: clientId ?? "VS Code's own client",
        tenant: tenant ?? 'organizations',
        loginHost: new URL(this.plan.cloud.loginHost).host,
        permission: core.intunePermission,
      };
      return core.explainCodeOrGeneric(aadsts, subject, firstLine(message));
    }
    if (
      /no authentication provider|provider .*(not found|not registered|unavailable)|timed out waiting for authentication provider|not supported in this environment|no auth flow succeeded/i.test(
        message,
      )
    ) {
      return new core.SignInFailure(
        'unavailable',
        l10n.t(
          'VS Code cannot sign in with "{0}" here ({1}). Browser-based and remote VS Code builds may lack the Microsoft sign-in: set intuneMao.clientId to your own app registration to sign in with a device code instead, use the desktop VS Code, or use the intune-mao CLI.',
          this.plan.providerId,
          firstLine(message),
        ),
      );
    }
    return new core.SignInFailure('failed', l10n.t('Sign-in failed: {0}', firstLine(message)));
  }
}

function issuedToken(session: vscode.AuthenticationSession): IssuedToken {
  const summary = loadCore().summarizeToken(session.accessToken);
  return {
    accessToken: session.accessToken,
    account: { username: session.account.label, ...(summary?.tenantId ? { tenantId: summary.tenantId } : {}) },
    scopes: session.scopes,
  };
}

export function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
