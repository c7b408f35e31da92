import vscode = require('vscode');
import { l10n } from 'vscode';
import type { AccountRecord, AccountState } from './accountState';
import { commandIds } from './shared/commandIds';
import { isIntuneFailure } from '../core/failures';
import { planConnection, type ConnectionPlan } from './shared/connectionPlan';
import { isMaoDocument } from './shared/maoFiles';
import { affectsConnection, readSettings, type ExtensionSettings } from './shared/readSettings';

/**
 * Account, tenant and cloud in the status bar while a `*.mao.json` is the active editor. It never asks VS Code
 * for a session itself: it shows who signed in during this window, or else the account used last time (marked
 * as such) until the person sends, picks a target or opens the account menu.
 */
export class AccountStatus implements vscode.Disposable {
  private itemOnceShown: vscode.StatusBarItem | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private visible = false;

  /** Shows nothing until the first `update`. */
  constructor(private readonly accounts: AccountState) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      accounts.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsConnection(event)) this.update();
      }),
    ];
  }

  /** The text shown, or undefined while hidden (for the integration tests). */
  get shownText(): string | undefined {
    return this.visible ? this.itemOnceShown?.text : undefined;
  }

  /** Created when a *.mao.json is first the active editor. */
  private get item(): vscode.StatusBarItem {
    if (!this.itemOnceShown) {
      this.itemOnceShown = vscode.window.createStatusBarItem('intuneMao.account', vscode.StatusBarAlignment.Right, 100);
      this.itemOnceShown.name = l10n.t('Intune account');
    }
    return this.itemOnceShown;
  }

  update(settings: ExtensionSettings = readSettings()): void {
    if (!isMaoDocument(vscode.window.activeTextEditor?.document)) {
      this.itemOnceShown?.hide();
      this.visible = false;
      return;
    }
    let plan: ConnectionPlan;
    try {
      plan = planConnection(settings);
    } catch (error) {
      if (!isIntuneFailure(error) || error.kind !== 'setup') throw error;
      this.item.text = l10n.t('$(warning) Intune: check settings');
      this.item.tooltip = error.message;
      this.item.command = { command: 'workbench.action.openSettings', title: l10n.t('Open Settings'), arguments: ['intuneMao'] };
      this.show();
      return;
    }
    this.render(plan);
  }

  private render(plan: ConnectionPlan): void {
    const matches = (account: AccountRecord | undefined): AccountRecord | undefined =>
      account && account.cloud === plan.cloud.name && account.emulator === plan.target.isEmulator ? account : undefined;
    const current = matches(this.accounts.current);
    const lastUsed = current ? undefined : matches(this.accounts.lastUsed);
    const account = current ?? lastUsed;
    const cloud = plan.target.isEmulator ? l10n.t('{0} (emulator)', plan.cloud.label) : plan.cloud.label;
    const tenant = account?.tenantId ?? plan.settings.tenant;
    this.item.text = current
      ? `$(account) ${current.label} · ${shortTenant(tenant)} · ${cloud}`
      : lastUsed
        ? l10n.t('$(account) {0} (last used) · {1} · {2}', lastUsed.label, shortTenant(tenant), cloud)
        : l10n.t('$(account) Intune: not signed in · {0}', cloud);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${l10n.t('Intune')}**\n\n`);
    const lines = [
      `${l10n.t('Account')}: ${current ? current.label : lastUsed ? l10n.t('{0} (used last time; signs in again when you send)', lastUsed.label) : l10n.t('not signed in')}`,
      `${l10n.t('Tenant')}: ${tenant ?? l10n.t("(the account's home tenant)")}`,
      `${l10n.t('Cloud')}: ${cloud} — ${plan.target.root}`,
      `${l10n.t('Client id')}: ${plan.settings.clientId ?? l10n.t("VS Code's default")}`,
      `${l10n.t('API version')}: ${plan.settings.apiVersion}`,
    ];
    for (const line of lines) {
      tooltip.appendText(line);
      tooltip.appendMarkdown('  \n');
    }
    this.item.tooltip = tooltip;
    this.item.command = { command: commandIds.signOut, title: l10n.t('Sign Out / Switch Account') };
    this.show();
  }

  private show(): void {
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.itemOnceShown?.dispose();
  }
}

function shortTenant(tenant: string | undefined): string {
  if (!tenant) return l10n.t('home tenant');
  return /^[0-9a-f]{8}-/i.test(tenant) ? `${tenant.slice(0, 8)}…` : tenant;
}
