// The device code sign-in used when VS Code's Microsoft provider is missing or cannot finish in this host
// (some web and remote builds). Bundled on its own as dist/msal.js, with MSAL inside, and loaded on first use
// by loadMsal.ts. Values from '../core/msalSignIn' are bundled here; only types come from elsewhere.
import * as vscode from 'vscode';
import type { TokenRequest } from '../core/index';
import { DeviceCodeSignIn, type DeviceCodePrompt, type SignInResult, type TokenCacheStore } from '../core/msalSignIn';
import type { ConnectionPlan } from './connectionPlan';
import type { IntuneLog } from './intuneLog';

/** The SecretStorage entry holding MSAL's serialized token cache. */
export const tokenCacheKey = 'intuneMao.msalTokenCache';
/**
 * A loopback https URL replacing the cloud's sign-in host, for tests against a local identity emulator. An
 * environment variable, never a setting, so no workspace or settings file can point sign-in elsewhere; the
 * core refuses anything but loopback.
 */
export const loginUrlVariable = 'INTUNE_MAO_LOGIN_URL';

export interface DeviceCodeFallback extends vscode.Disposable {
  /** Another window signed in or out (the shared token cache changed). */
  readonly onDidChange: vscode.Event<void>;
  /** A token, silently when the cache allows, else after the person enters the code shown. */
  token(plan: ConnectionPlan, request: TokenRequest, signal?: AbortSignal): Promise<SignInResult>;
  /** A token from the cache only; undefined when a person would have to sign in. */
  quietToken(plan: ConnectionPlan): Promise<SignInResult | undefined>;
  /** A new device code sign-in, whatever the cache holds. */
  signIn(plan: ConnectionPlan, signal?: AbortSignal): Promise<SignInResult>;
  /** Removes every account and token from the cache; returns the usernames. */
  signOut(plan: ConnectionPlan): Promise<string[]>;
}

export function createDeviceCodeFallback(secrets: vscode.SecretStorage, log: IntuneLog): DeviceCodeFallback {
  return new SecretStorageDeviceCodeSignIn(secrets, log);
}

/** MSAL's cache in SecretStorage, shared by every window; another window's change is picked up when it fires. */
class SecretTokenCache implements TokenCacheStore, vscode.Disposable {
  private value: string | undefined;
  private loaded = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, onChangedElsewhere: () => void) {
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

class SecretStorageDeviceCodeSignIn implements DeviceCodeFallback {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly cache: SecretTokenCache;
  private readonly instances = new Map<string, DeviceCodeSignIn>();
  /** Shows the code for the sign-in in progress. */
  private showPrompt: ((prompt: DeviceCodePrompt) => void) | undefined;

  constructor(secrets: vscode.SecretStorage, private readonly log: IntuneLog) {
    this.cache = new SecretTokenCache(secrets, () => {
      log.info('[auth] the device code sign-in changed in another window');
      this.changed.fire();
    });
  }

  token(plan: ConnectionPlan, request: TokenRequest, signal?: AbortSignal): Promise<SignInResult> {
    return this.prompting(signal, (stop) => this.signInFor(plan).getToken({ forceRefresh: request.forceRefresh, claims: request.claims, signal: stop }));
  }

  quietToken(plan: ConnectionPlan): Promise<SignInResult | undefined> {
    return this.signInFor(plan).quietToken();
  }

  signIn(plan: ConnectionPlan, signal?: AbortSignal): Promise<SignInResult> {
    return this.prompting(signal, (stop) => this.signInFor(plan).signIn(stop));
  }

  async signOut(plan: ConnectionPlan): Promise<string[]> {
    const removed = await this.signInFor(plan).signOut();
    return removed.map((account) => account.username);
  }

  dispose(): void {
    this.cache.dispose();
    this.changed.dispose();
  }

  private signInFor(plan: ConnectionPlan): DeviceCodeSignIn {
    const loginUrl = process.env[loginUrlVariable] || undefined;
    const key = [plan.cloud.name, plan.settings.clientId, plan.settings.tenant ?? '', loginUrl ?? ''].join('|');
    let instance = this.instances.get(key);
    if (!instance) {
      instance = new DeviceCodeSignIn({
        cloud: plan.cloud, clientId: plan.settings.clientId, tenant: plan.settings.tenant, loginUrl, cache: this.cache,
        onDeviceCode: (prompt) => this.showPrompt?.(prompt),
        log: (line) => this.log.debug(line),
      });
      this.instances.set(key, instance);
    }
    return instance;
  }

  /** Runs a step that may show a code: the code goes to a notification, the wait to a cancellable progress. */
  private async prompting(signal: AbortSignal | undefined, step: (stop: AbortSignal) => Promise<SignInResult>): Promise<SignInResult> {
    const stop = new AbortController();
    const forward = (): void => stop.abort();
    if (signal?.aborted) stop.abort(); else signal?.addEventListener('abort', forward, { once: true });
    let finish = (): void => undefined;
    const finished = new Promise<void>((resolve) => { finish = resolve; });
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
    this.log.info(`[auth] device code sign-in: ${prompt.message}`);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Intune: waiting for the sign-in with code {0}…', prompt.userCode), cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => stop.abort());
        return finished;
      });
    const copyAndOpen = vscode.l10n.t('Copy code & open browser');
    const text = vscode.l10n.t("{0} (VS Code's Microsoft sign-in is not available here, so Intune signs in with a device code.)", prompt.message);
    void Promise.resolve(vscode.window.showInformationMessage(text, copyAndOpen)).then(async (choice) => {
      if (choice !== copyAndOpen) return;
      await vscode.env.clipboard.writeText(prompt.userCode);
      // The address comes from Entra ID; open nothing but https.
      if (prompt.verificationUri.startsWith('https://')) await vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUri));
    });
  }
}
