import vscode = require('vscode');
import type { TokenProvider } from '../../../core/graphClient';
import type { TokenSummary } from '../../../core/tokenClaims';
import type { IssuedToken, SignedInAccount } from '../../../core/tokenSource';
import type { Services } from '../../services';
import type { ConnectionPlan } from '../../shared/connectionPlan';
import { loadCore } from '../../shared/loadCore';
import { affectsConnection } from '../../shared/readSettings';
import { VsCodeDeviceCodeSignIn } from './deviceCodeSignIn';
import { ProviderOrDeviceCode } from './providerOrDeviceCode';
import { SandboxSignIn } from './sandboxSignIn';
import type { ExtensionTokenSource, SignInDeps } from './signInDeps';
import { VsCodeSessionSignIn } from './vscodeSessionSignIn';

/** The one place a token source is chosen: from the connection plan, once per way of signing in. */
export function chooseTokenSource(plan: ConnectionPlan, deps: SignInDeps, onChangedElsewhere: () => void): ExtensionTokenSource {
  switch (plan.tokenSource) {
    case 'sandbox':
      return new SandboxSignIn(plan, deps);
    case 'vscode-session':
      return new VsCodeSessionSignIn(plan, deps);
    case 'vscode-session-or-device-code':
      return new ProviderOrDeviceCode(
        new VsCodeSessionSignIn(plan, deps),
        () => new VsCodeDeviceCodeSignIn(plan, deps, onChangedElsewhere),
        deps,
        plan.providerId,
        plan.settings.clientId ?? '',
      );
  }
}

/**
 * Signing in for the commands: keeps the chosen token source while the connection settings stay the same,
 * tells the account state (and so the status bar) who signed in, and hides every token from the log.
 */
export class SignInService implements vscode.Disposable {
  private source: { key: string; value: ExtensionTokenSource } | undefined;
  private lastToken: string | undefined;
  /** The provider whose session changes end the sign-in this service knows of. */
  private watchedProvider: string | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly deps: SignInDeps;

  constructor(private readonly services: Services) {
    this.deps = {
      ports: services.ports,
      state: services.context.globalState,
      secrets: services.context.secrets,
      log: services.log,
      emulatorAuth: services.emulatorAuth,
    };
    this.subscriptions = [
      services.ports.authentication.onDidChangeSessions((event) => {
        if (this.watchedProvider && event.provider.id === this.watchedProvider) void this.forgetAccount();
      }),
      // New settings (ours, or enabling a sovereign cloud in VS Code) deserve a new choice and a new look at VS Code's providers.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsConnection(event) || event.affectsConfiguration('microsoft-sovereign-cloud')) this.dropSource();
      }),
    ];
  }

  tokenSource(plan: ConnectionPlan): ExtensionTokenSource {
    if (this.source?.key !== plan.signInKey) {
      this.dropSource();
      this.source = { key: plan.signInKey, value: chooseTokenSource(plan, this.deps, () => void this.forgetAccount()) };
    }
    this.watchedProvider = plan.providerId;
    return this.source.value;
  }

  /** The Graph client's token provider for one command run; `signal` cancels a prompt. */
  tokenProvider(plan: ConnectionPlan, signal?: AbortSignal): TokenProvider {
    const source = this.tokenSource(plan);
    return loadCore().tokenProviderOf(source, signal, (issued) => void this.issued(plan, source, issued));
  }

  /** Who is signed in, asking nobody; the account is remembered for the status bar. */
  async quietAccount(plan: ConnectionPlan): Promise<SignedInAccount | undefined> {
    const source = this.tokenSource(plan);
    const account = await source.quietAccount();
    if (account) await this.remember(plan, source, account);
    return account;
  }

  /** Signs in the way the plan says, prompting as needed (the person asked to); who signed in. */
  async signIn(plan: ConnectionPlan, signal?: AbortSignal): Promise<SignedInAccount> {
    const source = this.tokenSource(plan);
    const issued = await source.getToken({ forceRefresh: false }, signal);
    await this.issued(plan, source, issued);
    return issued.account;
  }

  async switchAccount(plan: ConnectionPlan): Promise<SignedInAccount> {
    const source = this.tokenSource(plan);
    const account = await source.switchAccount();
    await this.remember(plan, source, account);
    return account;
  }

  async signOut(plan: ConnectionPlan): Promise<readonly SignedInAccount[]> {
    const removed = await this.tokenSource(plan).signOut();
    this.lastToken = undefined;
    await this.services.accounts.signedOut(true);
    return removed;
  }

  /** What the last token says about itself (scp, roles, tenant, account), for permission messages. */
  lastTokenSummary(): TokenSummary | undefined {
    return this.lastToken ? loadCore().summarizeToken(this.lastToken) : undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.dropSource();
  }

  private async issued(plan: ConnectionPlan, source: ExtensionTokenSource, issued: IssuedToken): Promise<void> {
    this.services.log.addSecret(issued.accessToken);
    this.lastToken = issued.accessToken;
    await this.remember(plan, source, issued.account);
  }

  private remember(plan: ConnectionPlan, source: ExtensionTokenSource, account: SignedInAccount): Promise<void> {
    const tenantId = account.tenantId ?? plan.settings.tenant;
    return this.services.accounts.signedIn({
      label: account.username,
      ...(tenantId ? { tenantId } : {}),
      cloud: plan.cloud.name,
      emulator: plan.target.isEmulator,
      via: source.via,
    });
  }

  private async forgetAccount(): Promise<void> {
    this.lastToken = undefined;
    await this.services.accounts.signedOut(false);
  }

  private dropSource(): void {
    this.source?.value.dispose();
    this.source = undefined;
  }
}
