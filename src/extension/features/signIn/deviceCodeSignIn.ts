// The device code sign-in (MSAL), for hosts where VS Code's Microsoft provider is missing or cannot finish (some
// web and remote builds): the code in a notification, tokens in SecretStorage shared by every window.
import vscode = require('vscode');
import { l10n } from 'vscode';
import type { TokenRequest } from '../../../core/graphClient';
import type { DeviceCodePrompt, DeviceCodeSignIn, TokenCacheStore } from '../../../core/msalSignIn';
import type { IssuedToken, SignedInAccount } from '../../../core/tokenSource';
import type { ConnectionPlan } from '../../shared/connectionPlan';
import { loadCore } from '../../shared/loadCore';
import type { ExtensionTokenSource, SignInDeps } from './signInDeps';

/** The SecretStorage entry holding MSAL's serialized token cache. */
export const tokenCacheKey = 'intuneMao.msalTokenCache';
/**
 * A loopback https URL replacing the cloud's sign-in host, for tests against a local identity emulator. An
 * environment variable, never a setting, so no workspace or settings file can point sign-in elsewhere; the
 * core refuses anything but loopback.
 */
export const loginUrlVariable = 'INTUNE_MAO_LOGIN_URL';

/** MSAL's cache in SecretStorage, shared by every window; another window's change is picked up when it fires. */
class SecretTokenCache implements TokenCacheStore, vscode.Disposable {
  private value: string | undefined;
  private loaded = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    onChangedElsewhere: () => void,
  ) {
    this.subscription = secrets.onDidChange(async (event) => {
      if (event.key !== tokenCacheKey) return;
      const value = await secrets.get(tokenCacheKey);
      if (this.loaded && value === this.value) return; // this window's own write
      this.value = value;
      this.loaded = true;
      onChangedElsewhere();
    });
  }

  async read(): Promise<string | undefined> {
    if (!this.loaded) {
      this.value = await this.secrets.get(tokenCacheKey);
      this.loaded = true;
    }
    return this.value;
  }

  async write(data: string): Promise<void> {
    this.value = data;
    this.loaded = true;
    await this.secrets.store(tokenCacheKey, data);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

export class VsCodeDeviceCodeSignIn implements ExtensionTokenSource {
  readonly via: ExtensionTokenSource['via'] = 'device-code';
  private readonly cache: SecretTokenCache;
  private readonly msal: DeviceCodeSignIn;
  /** Shows the code for the sign-in in progress. */
  private showPrompt: ((prompt: DeviceCodePrompt) => void) | undefined;

  constructor(
    plan: ConnectionPlan,
    private readonly deps: SignInDeps,
    onChangedElsewhere: () => void,
  ) {
    this.cache = new SecretTokenCache(deps.secrets, () => {
      deps.log.info('[auth] the device code sign-in changed in another window');
      onChangedElsewhere();
    });
    this.msal = new (loadCore().DeviceCodeSignIn)({
      cloud: plan.cloud,
      clientId: plan.settings.clientId,
      tenant: plan.settings.tenant,
      loginUrl: process.env[loginUrlVariable] || undefined,
      cache: this.cache,
      onDeviceCode: (prompt) => this.showPrompt?.(prompt),
      log: (line) => deps.log.debug(line),
    });
  }

  getToken(request: TokenRequest, signal?: AbortSignal): Promise<IssuedToken> {
    return this.prompting(signal, (stop) => this.msal.getToken(request, stop));
  }

  quietAccount(): Promise<SignedInAccount | undefined> {
    return this.msal.quietToken().then((token) => token?.account);
  }

  async switchAccount(signal?: AbortSignal): Promise<SignedInAccount> {
    return (await this.prompting(signal, (stop) => this.msal.signIn(stop))).account;
  }

  async signOut(): Promise<readonly SignedInAccount[]> {
    const removed = await this.msal.signOut();
    this.deps.log.info(`[auth] device code sign-in: removed ${removed.length} account(s) and their tokens`);
    return removed;
  }

  dispose(): void {
    this.cache.dispose();
  }

  /** Runs a step that may show a code: the code goes to a notification, the wait to a cancellable progress. */
  private async prompting(signal: AbortSignal | undefined, step: (stop: AbortSignal) => Promise<IssuedToken>): Promise<IssuedToken> {
    const stop = new AbortController();
    const forward = (): void => stop.abort();
    if (signal?.aborted) stop.abort();
    else signal?.addEventListener('abort', forward, { once: true });
    let finish = (): void => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.showPrompt = (prompt) => this.show(prompt, stop, finished);
    try {
      return await step(stop.signal);
    } finally {
      finish();
      this.showPrompt = undefined;
      signal?.removeEventListener('abort', forward);
    }
  }

  private show(prompt: DeviceCodePrompt, stop: AbortController, finished: Promise<void>): void {
    const { interaction } = this.deps.ports;
    this.deps.log.info(`[auth] device code sign-in: ${prompt.message}`);
    void interaction.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Intune: waiting for the sign-in with code {0}…', prompt.userCode), cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => stop.abort());
        return finished;
      },
    );
    const copyAndOpen = l10n.t('Copy code & open browser');
    const text = l10n.t("{0} (VS Code's Microsoft sign-in is not available here, so Intune signs in with a device code.)", prompt.message);
    void Promise.resolve(interaction.showMessage('info', text, [copyAndOpen])).then(async (choice) => {
      if (choice !== copyAndOpen) return;
      await interaction.writeClipboard(prompt.userCode);
      // The address comes from Entra ID; open nothing but https.
      if (prompt.verificationUri.startsWith('https://')) await interaction.openExternal(vscode.Uri.parse(prompt.verificationUri));
    });
  }
}
