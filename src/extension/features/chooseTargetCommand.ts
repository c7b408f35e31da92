import * as vscode from 'vscode';
import { openOperationDocument } from '../shared/jsonMode';
import { planFromSettings } from '../shared/connectionPlan';
import { applyChosenTarget, currentTarget } from '../shared/fileTarget';
import { fileLabel, isMaoDocument } from '../shared/maoFiles';
import { targetLabel, type TargetSummary } from '../shared/targetSummary';
import type { FeatureServices } from './featureServices';
import { notify } from './messages';
import { presentFailure, refuseUntrusted } from './presentFailure';
import { pickRegistration } from './registrationPicker';

/** Choose Target Registration: lists the tenant's registrations (signing in when needed) and remembers the choice. */
export async function chooseTargetCommand(services: FeatureServices, uri?: unknown): Promise<TargetSummary | undefined> {
  const { log } = services;
  const document = uri instanceof vscode.Uri ? await openOperationDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!isMaoDocument(document)) {
    notify(services.ports, 'warning', vscode.l10n.t('Open a *.mao.json file to choose its target registration.'));
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted(services, vscode.l10n.t('Listing registrations signs in to Microsoft Graph, which is turned off in Restricted Mode: trust this workspace first.'));
    return undefined;
  }
  const plan = planFromSettings();
  const label = fileLabel(document.uri);
  try {
    const current = currentTarget(services.targets, document)?.target.id;
    const chosen = await pickRegistration(services, plan, label, current);
    if (!chosen) return undefined;
    await applyChosenTarget(services.targets, document, chosen);
    log.info(`[target] ${label} → ${targetLabel(chosen)} (${chosen.id})`);
    return chosen;
  } catch (error) {
    presentFailure(services, error, { command: 'chooseTarget', plan, file: label });
    return undefined;
  }
}
