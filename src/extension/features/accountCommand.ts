import * as vscode from 'vscode';
import { emulatorProviderId } from './connectionPlan';
import { planFromSettings } from './planFromSettings';
import type { Services } from './services';
import { deviceCodeProviderId, SignInError } from './signIn';
import { notify } from './userMessages';

/** Sign Out / Switch Account: what the status bar item runs too. */
export async function accountCommand(services: Services): Promise<void> {
  const { signIn, log } = services;
  const plan = planFromSettings();
  if (!plan) return;
  const account = signIn.current ?? (await signIn.lookQuietly(plan));
  type Choice = vscode.QuickPickItem & { run: () => Promise<void> };
  const choices: Choice[] = [];
  const switchAccount = async (): Promise<void> => {
    try {
      const chosen = await signIn.switchAccount(plan);
      if (chosen) notify('info', vscode.l10n.t('Signed in as {0}.', chosen.label));
    } catch (error) {
      if (error instanceof SignInError && error.kind === 'cancelled') return;
      notify('error', error instanceof Error ? error.message : String(error), { log });
    }
  };
  if (account) {
    choices.push({ label: vscode.l10n.t('$(account) Switch Account…'), description: vscode.l10n.t('signed in as {0}', account.label), run: switchAccount });
    choices.push({
      label: vscode.l10n.t('$(sign-out) Sign Out'),
      description: plan.providerId === emulatorProviderId ? vscode.l10n.t('forget the sandbox session') : vscode.l10n.t('stop using this account in Intune'),
      run: async () => {
        if (plan.providerId === emulatorProviderId) await services.emulatorAuth.removeAll();
        await signIn.signOut(plan);
        log.info(`[auth] signed out (${account.label})`);
        notify('info', plan.providerId === emulatorProviderId
          ? vscode.l10n.t('Signed out of the sandbox.')
          : account.providerId === deviceCodeProviderId
            ? vscode.l10n.t('Signed out of {0}: its tokens were removed.', account.label)
            : vscode.l10n.t('Intune no longer uses {0}; the next send lets you choose an account. To remove the account from VS Code itself, use the Accounts menu.', account.label));
      },
    });
  } else {
    choices.push({ label: vscode.l10n.t('$(sign-in) Sign In'), description: plan.cloud.label, run: switchAccount });
  }
  choices.push({ label: vscode.l10n.t('$(output) Show Output'), run: async () => log.show() });
  const choice = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Intune account'), placeHolder: account ? vscode.l10n.t('Signed in as {0}', account.label) : vscode.l10n.t('Not signed in') });
  await choice?.run();
}
