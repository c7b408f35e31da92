import * as vscode from 'vscode';
import { planFromSettings } from './planFromSettings';
import { describeResponse } from './exchangeLog';
import { applyChosenTarget, currentTarget } from './fileTarget';
import { connect } from './graphConnection';
import { fileLabel, isMaoDocument } from './maoFiles';
import { ListingError, pickRegistration } from './registrationPicker';
import { targetLabel, type TargetSummary } from './registrationSummary';
import type { Services } from './services';
import { SignInError } from './signIn';
import { isPermissionFailure, notify, permissionAdvice, supportDetails } from './userMessages';

/** Choose Target Registration: lists the tenant's registrations (signing in when needed) and remembers the choice. */
export async function chooseTargetCommand(services: Services, uri?: unknown): Promise<TargetSummary | undefined> {
  const { log } = services;
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!isMaoDocument(document)) {
    notify('warning', vscode.l10n.t('Open a *.mao.json file to choose its target registration.'));
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    notify('warning', vscode.l10n.t('Listing registrations signs in to Microsoft Graph, which is turned off in Restricted Mode: trust this workspace first.'),
      { more: [{ title: vscode.l10n.t('Manage Workspace Trust'), run: () => vscode.commands.executeCommand('workbench.trust.manage') }] });
    return undefined;
  }
  const plan = planFromSettings(log);
  if (!plan) return undefined;
  const label = fileLabel(document.uri);
  try {
    const current = currentTarget(services, document)?.target.id;
    const chosen = await pickRegistration(connect(plan, services.signIn, log, services.version), services.targets, log, label, current);
    if (!chosen) return undefined;
    await applyChosenTarget(services, document, chosen);
    log.info(`[target] ${label} → ${targetLabel(chosen)} (${chosen.id})`);
    return chosen;
  } catch (error) {
    if (error instanceof SignInError) {
      if (error.kind !== 'cancelled') {
        log.error(`[auth] ${error.message}`);
        notify('error', error.kind === 'consent' ? permissionAdvice(plan, services.signIn.lastTokenSummary(), error.message) : error.message,
          { log, ...(error.kind !== 'failed' ? { setupGuide: services.setupGuide } : {}) });
      }
      return undefined;
    }
    if (error instanceof ListingError) {
      log.error(`[picker] ${error.message}${error.exchange.status !== undefined ? `\n${describeResponse(error.exchange)}` : ''}`);
      const permission = isPermissionFailure(error.exchange);
      notify('error', permission ? permissionAdvice(plan, services.signIn.lastTokenSummary(), error.message) : error.message, {
        log, supportDetails: supportDetails({ file: label, outcome: 'listing failed', exchange: error.exchange, plan, extensionVersion: services.version }),
        ...(permission ? { setupGuide: services.setupGuide } : {}),
      });
      return undefined;
    }
    throw error;
  }
}
