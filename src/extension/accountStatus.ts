import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import { planConnection, SetupError, type ConnectionPlan } from './connectionPlan';
import { isMaoDocument } from './maoFiles';
import type { Services } from './services';
import { affectsConnection, readSettings } from './settings';

/** Account, tenant and cloud in the status bar while a `*.mao.json` is the active editor. */
export class AccountStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('intuneMao.account', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  /** The provider and scopes last asked quietly, so the quiet lookup happens once per configuration. */
  private lookedUp: string | undefined;

  constructor(private readonly services: Services) {
    this.item.name = vscode.l10n.t('Intune account');
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      services.signIn.onDidChange(() => { this.lookedUp = undefined; this.update(); }),
      vscode.workspace.onDidChangeConfiguration((event) => { if (affectsConnection(event)) { this.lookedUp = undefined; this.update(); } }),
    ];
    // After activation, not during it.
    setTimeout(() => this.update(), 0);
  }

  /** The text shown, or undefined while hidden (for the integration tests). */
  get shownText(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  private visible = false;

  update(): void {
    if (!isMaoDocument(vscode.window.activeTextEditor?.document)) {
      this.item.hide();
      this.visible = false;
      return;
    }
    let plan: ConnectionPlan;
    try {
      plan = planConnection(readSettings());
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      this.item.text = vscode.l10n.t('$(warning) Intune: check settings');
      this.item.tooltip = error.message;
      this.item.command = { command: 'workbench.action.openSettings', title: vscode.l10n.t('Open Settings'), arguments: ['intuneMao'] };
      this.item.show();
      this.visible = true;
      return;
    }
    const key = `${plan.providerId} ${plan.scopes.join(' ')}`;
    if (this.lookedUp !== key) {
      this.lookedUp = key;
      void this.services.signIn.lookQuietly(plan).then(() => this.render(plan));
    }
    this.render(plan);
  }

  private render(plan: ConnectionPlan): void {
    if (!isMaoDocument(vscode.window.activeTextEditor?.document)) return;
    const account = this.services.signIn.current;
    const cloud = plan.target.isEmulator ? vscode.l10n.t('{0} (emulator)', plan.cloud.label) : plan.cloud.label;
    const tenant = account?.tenantId ?? plan.settings.tenant;
    this.item.text = account
      ? `$(account) ${account.label} · ${shortTenant(tenant)} · ${cloud}`
      : vscode.l10n.t('$(account) Intune: not signed in · {0}', cloud);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${vscode.l10n.t('Intune')}**\n\n`);
    const lines = [
      `${vscode.l10n.t('Account')}: ${account?.label ?? vscode.l10n.t('not signed in')}`,
      `${vscode.l10n.t('Tenant')}: ${tenant ?? vscode.l10n.t("(the account's home tenant)")}`,
      `${vscode.l10n.t('Cloud')}: ${cloud} — ${plan.target.root}`,
      `${vscode.l10n.t('Client id')}: ${plan.settings.clientId ?? vscode.l10n.t("VS Code's default")}`,
      `${vscode.l10n.t('API version')}: ${plan.settings.apiVersion}`,
    ];
    for (const line of lines) {
      tooltip.appendText(line);
      tooltip.appendMarkdown('  \n');
    }
    this.item.tooltip = tooltip;
    this.item.command = { command: commandIds.signOut, title: vscode.l10n.t('Sign Out / Switch Account') };
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}

function shortTenant(tenant: string | undefined): string {
  if (!tenant) return vscode.l10n.t('home tenant');
  return /^[0-9a-f]{8}-/i.test(tenant) ? `${tenant.slice(0, 8)}…` : tenant;
}
