import vscode = require('vscode');
import { l10n } from 'vscode';
import { openOperationDocument } from '../shared/jsonMode';
import { planFromSettings } from '../shared/connectionPlan';
import { applyChosenTarget, fileTargets } from '../shared/fileTarget';
import { fileLabel, isMaoDocument } from '../shared/maoFiles';
import { targetLabel, type TargetSummary } from '../shared/targetSummary';
import type { FeatureServices } from './featureServices';
import { notify } from './messages';
import { presentFailure, refuseUntrusted } from './presentFailure';
import { pickRegistrations } from './registrationPicker';

/**
 * Choose Target Registration: lists the tenant's registrations (signing in when needed) and remembers the choice,
 * one registration or several (the picker's title button; a file with several targets starts with several).
 * Returns the first chosen (the palette and older callers expect one), or undefined.
 */
export async function chooseTargetCommand(services: FeatureServices, uri?: unknown): Promise<TargetSummary | undefined> {
  const { log } = services;
  const document = uri instanceof vscode.Uri ? await openOperationDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!isMaoDocument(document)) {
    notify(services.ports, 'warning', l10n.t('Open a *.mao.json file to choose its target registration.'));
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    refuseUntrusted(services, l10n.t('Listing registrations signs in to Microsoft Graph, which is turned off in Restricted Mode: trust this workspace first.'));
    return undefined;
  }
  const plan = planFromSettings();
  const label = fileLabel(document.uri);
  try {
    const current = fileTargets(services.targets, document)?.targets.map((target) => target.id) ?? [];
    const chosen = await pickRegistrations(services, plan, label, { current, several: current.length > 1 });
    if (!chosen) return undefined;
    await applyChosenTarget(services.targets, document, chosen);
    log.info(`[target] ${label} → ${chosen.map((target) => `${targetLabel(target)} (${target.id})`).join(', ')}`);
    return chosen[0];
  } catch (error) {
    presentFailure(services, error, { command: 'chooseTarget', plan, file: label });
    return undefined;
  }
}
