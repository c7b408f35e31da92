import vscode = require('vscode');
import { l10n } from 'vscode';
import { emulatorProviderId, planFromSettings } from '../shared/connectionPlan';
import type { FeatureServices } from './featureServices';
import { notify } from './messages';
import { presentFailure } from './presentFailure';

/** Sign Out / Switch Account: what the status bar item runs too. The person asks who is signed in, so look. */
export async function accountCommand(services: FeatureServices): Promise<void> {
  const { signIn, log, ports } = services;
  const plan = planFromSettings();
  const account = await signIn.quietAccount(plan);
  const via = services.accounts.current?.via;
  type Choice = vscode.QuickPickItem & { run: () => Promise<void> };
  const choices: Choice[] = [];
  const switchAccount = async (): Promise<void> => {
    try {
      const chosen = await signIn.switchAccount(plan);
      notify(ports, 'info', l10n.t('Signed in as {0}.', chosen.username));
    } catch (error) {
      presentFailure(services, error, { command: 'signOut', plan });
    }
  };
  if (account) {
    choices.push({ label: l10n.t('$(account) Switch Account…'), description: l10n.t('signed in as {0}', account.username), run: switchAccount });
    choices.push({
      label: l10n.t('$(sign-out) Sign Out'),
      description: plan.providerId === emulatorProviderId ? l10n.t('forget the sandbox session') : l10n.t('stop using this account in Intune'),
      run: async () => {
        await signIn.signOut(plan);
        log.info(`[auth] signed out (${account.username})`);
        notify(
          ports,
          'info',
          plan.providerId === emulatorProviderId
            ? l10n.t('Signed out of the sandbox.')
            : via === 'device-code'
              ? l10n.t('Signed out of {0}: its tokens were removed.', account.username)
              : l10n.t(
                  'Intune no longer uses {0}; the next send lets you choose an account. To remove the account from VS Code itself, use the Accounts menu.',
                  account.username,
                ),
        );
      },
    });
  } else {
    choices.push({ label: l10n.t('$(sign-in) Sign In'), description: plan.cloud.label, run: switchAccount });
  }
  choices.push({ label: l10n.t('$(output) Show Output'), run: async () => log.show() });
  const choice = await ports.interaction.showQuickPick(choices, {
    title: l10n.t('Intune account'),
    placeHolder: account ? l10n.t('Signed in as {0}', account.username) : l10n.t('Not signed in'),
  });
  await choice?.run();
}
