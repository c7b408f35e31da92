import * as vscode from 'vscode';
import type { IntuneLog } from './intuneLog';
import { loadCore } from './loadCore';
import { readSettings } from './settings';

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

  constructor(private readonly log: IntuneLog) {}

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    return this.sessions.filter((s) => !scopes || scopes.every((scope) => s.scopes.includes(scope)));
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const origin = emulatorOrigin();
    const resource = scopes.map((s) => /^(https?:\/\/[^/]+)\//.exec(s)?.[1]).find(Boolean);
    const permissions = scopes.map((s) => s.replace(/^https?:\/\/[^/]+\//, '')).filter((s) => !s.startsWith('VSCODE_'));
    const claims = { scp: permissions.join(' '), ...(resource ? { aud: resource } : {}) };
    const response = await fetch(`${origin}/_emulator/token`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(claims),
    });
    const body = (await response.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
    if (!response.ok || typeof body?.access_token !== 'string') {
      throw new Error(vscode.l10n.t('The emulator at {0} did not issue a token (HTTP {1}).', origin, String(response.status)));
    }
    const token = body.access_token;
    this.log.addSecret(token);
    const summary = loadCore().summarizeToken(token);
    const label = summary?.account ?? vscode.l10n.t('Emulator account');
    const session: vscode.AuthenticationSession = {
      id: loadCore().newGuid(), accessToken: token, scopes: [...scopes], account: { id: label, label },
    };
    const removed = this.sessions;
    this.sessions = [session];
    this.log.info(`[auth] sandbox sign-in: ${label} (tenant ${summary?.tenantId ?? '?'}) from the emulator at ${origin}`);
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
    this.changed.dispose();
  }
}

function emulatorOrigin(): string {
  const settings = readSettings();
  const core = loadCore();
  const target = settings.graphUrl ? core.resolveGraphTarget(settings.cloud, settings.graphUrl) : undefined;
  if (settings.signIn !== 'emulator' || !target?.isEmulator) {
    throw new Error(vscode.l10n.t('Sandbox sign-in works only with the local emulator: set intuneMao.signIn to "emulator" and intuneMao.graphUrl to its loopback URL in your user settings.'));
  }
  return new URL(target.root).origin;
}
