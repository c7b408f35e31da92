import vscode = require('vscode');
import { l10n } from 'vscode';
import { planFromSettings } from '../shared/connectionPlan';
import type { FeatureServices } from './featureServices';
import { notify } from './messages';
import { presentFailure, refuseUntrusted } from './presentFailure';

/** Sign In (the Registrations view's welcome button): VS Code's prompt, or a device code, as the settings say. */
export async function signInCommand(services: FeatureServices): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted(services, l10n.t('Signing in to Microsoft Graph is turned off in Restricted Mode: trust this workspace first.'));
    return undefined;
  }
  const plan = planFromSettings();
  try {
    const account = await services.signIn.signIn(plan);
    services.log.info(`[auth] signed in as ${account.username}`);
    notify(services.ports, 'info', l10n.t('Signed in as {0}.', account.username));
    return account.username;
  } catch (error) {
    presentFailure(services, error, { command: 'signIn', plan });
    return undefined;
  }
}
