import vscode = require('vscode');
import { l10n } from 'vscode';
import type { IntuneLog } from './intuneLog';
import { emulatorProviderId } from './shared/connectionPlan';

/** A token the local emulator issued, and what it says about itself. */
export interface SandboxToken {
  readonly token: string;
  readonly label: string;
  readonly tenantId?: string;
  /** The emulator's origin, for the log. */
  readonly origin: string;
}

/**
 * Sandbox sign-in against the local Graph emulator: an authentication provider like any other, so a person
 * sees VS Code's usual "wants to sign in" prompt and the account in the Accounts menu. Its tokens come
 * from the emulator's admin endpoint and are accepted by that emulator only. It refuses to work unless
 * the user settings say `signIn: "emulator"` with a loopback `graphUrl`.
 */
export class EmulatorAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private sessions: vscode.AuthenticationSession[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;

  private registration: vscode.Disposable | undefined;

  /** `mint` asks the emulator for a token (in dist/features.js: it runs only when the person allows a sign-in). */
  constructor(
    private readonly log: IntuneLog,
    private readonly mint: (scopes: readonly string[]) => Promise<SandboxToken>,
  ) {}

  /** Makes the provider known to VS Code, once: where the settings choose the sandbox, or before its first use. */
  ensureRegistered(): void {
    this.registration ??= vscode.authentication.registerAuthenticationProvider(emulatorProviderId, l10n.t('Intune Emulator (sandbox)'), this, {
      supportsMultipleAccounts: false,
    });
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    return this.sessions.filter((s) => !scopes || scopes.every((scope) => s.scopes.includes(scope)));
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const { token, label, tenantId, origin } = await this.mint(scopes);
    this.log.addSecret(token);
    const session: vscode.AuthenticationSession = {
      id: `sandbox-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
      accessToken: token,
      scopes: [...scopes],
      account: { id: label, label },
    };
    const removed = this.sessions;
    this.sessions = [session];
    this.log.info(`[auth] sandbox sign-in: ${label} (tenant ${tenantId ?? '?'}) from the emulator at ${origin}`);
    this.changed.fire({ added: [session], removed, changed: [] });
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    const removed = this.sessions.filter((s) => s.id === sessionId);
    this.sessions = this.sessions.filter((s) => s.id !== sessionId);
    if (removed.length) this.changed.fire({ added: [], removed, changed: [] });
  }

  /** Forgets every sandbox session (Sign Out). */
  async removeAll(): Promise<void> {
    const removed = this.sessions;
    this.sessions = [];
    if (removed.length) this.changed.fire({ added: [], removed, changed: [] });
  }

  dispose(): void {
    this.registration?.dispose();
    this.changed.dispose();
  }
}
