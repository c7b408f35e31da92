import vscode = require('vscode');
import { l10n } from 'vscode';
import type { ConnectionPlan } from '../shared/connectionPlan';
import { applyChosenTarget, fileTargets } from '../shared/fileTarget';
import { openOperationDocument } from '../shared/jsonMode';
import { loadCore } from '../shared/loadCore';
import { fileLabel } from '../shared/maoFiles';
import { shortTargetName, type TargetSummary } from '../shared/targetSummary';
import { describeProblem } from './exchangeLog';
import type { FeatureServices } from './featureServices';
import { notify } from './messages';
import { pickRegistrations } from './registrationPicker';
import type { SendFileResult } from './sendCommand';
import { failedBeforeSending, revealProblem } from './sendReport';

/** A file to send and, when the caller already chose them (the side bar), the registrations it goes to. */
export interface SendRequest {
  readonly uri: vscode.Uri;
  readonly targets?: readonly TargetSummary[];
}

/** A valid buffer with its targets, ready to send: one operation per target. */
export interface ReadyFile {
  readonly label: string;
  readonly text: string;
  readonly targets: readonly TargetSummary[];
}

/**
 * Reads the buffer as it is now (saved or not), validates it and settles its targets: the caller's, else the
 * file's own or remembered ones, else the person picks (one, or several). A result instead when it cannot go.
 * `single`: the only file of the run, whose problems are shown in a notification of their own.
 */
export async function prepareFile(services: FeatureServices, plan: ConnectionPlan, request: SendRequest, single: boolean): Promise<ReadyFile | SendFileResult> {
  const { log } = services;
  const label = fileLabel(request.uri);
  let document: vscode.TextDocument;
  try {
    document = await openOperationDocument(request.uri);
  } catch (error) {
    const message = l10n.t('Cannot read {0}: {1}', label, error instanceof Error ? error.message : String(error));
    log.error(`[send] ${message}`);
    if (single) notify(services.ports, 'error', message, { log });
    return { file: label, outcome: 'failed', message };
  }
  const text = document.getText();
  const validation = loadCore().validateOperationText(text);
  const errors = validation.problems.filter((p) => p.severity === 'error');
  for (const problem of validation.problems) {
    (problem.severity === 'error' ? log.error : log.warn).call(log, `[validate] ${describeProblem(label, problem)}`);
  }
  if (errors.length > 0) {
    const message = l10n.t(
      '{0} was not sent: {1} problem(s) to fix first. The first, line {2}: {3}',
      label,
      String(errors.length),
      String(errors[0]!.line),
      errors[0]!.message,
    );
    log.error(`[send] ${message}`);
    if (single) {
      await revealProblem(document, errors[0]!);
      notify(services.ports, 'error', message, {
        log,
        more: [{ title: l10n.t('Show Problems'), run: () => vscode.commands.executeCommand('workbench.actions.view.problems') }],
      });
    }
    return { file: label, outcome: 'invalid', message };
  }
  let targets = request.targets?.length ? request.targets : fileTargets(services.targets, document, validation.parsed)?.targets;
  if (!targets?.length) {
    try {
      const chosen = await pickRegistrations(services, plan, label);
      if (!chosen) {
        const message = l10n.t('No target registration chosen; {0} was not sent.', label);
        log.info(`[send] ${message}`);
        return { file: label, outcome: 'skipped', message };
      }
      await applyChosenTarget(services.targets, document, chosen);
      targets = chosen;
    } catch (error) {
      return failedBeforeSending(services, plan, label, error, single);
    }
  }
  return { label, text, targets };
}

/**
 * The one question before a run of more than one operation: how many, in which tenant and cloud, as which
 * account (signing in first when nobody is, since the person acted). True to go ahead.
 */
export async function confirmRun(services: FeatureServices, plan: ConnectionPlan, files: readonly ReadyFile[], operations: number): Promise<boolean> {
  const account = (await services.signIn.quietAccount(plan)) ?? (await services.signIn.signIn(plan));
  const tenant = account.tenantId ?? plan.settings.tenant ?? l10n.t("the account's home tenant");
  const cloud = plan.target.isEmulator ? l10n.t('{0}, local emulator {1}', plan.cloud.label, plan.target.root) : plan.cloud.label;
  const message = l10n.t('Create {0} managed app operations in tenant {1} ({2}) as {3}?', String(operations), tenant, cloud, account.username);
  const shown = files.slice(0, 10).map((file) => {
    const names = file.targets.slice(0, 3).map(shortTargetName).join(', ') + (file.targets.length > 3 ? ', …' : '');
    return file.targets.length === 1
      ? l10n.t('{0} → 1 registration: {1}', file.label, names)
      : l10n.t('{0} → {1} registrations: {2}', file.label, String(file.targets.length), names);
  });
  if (files.length > shown.length) shown.push(l10n.t('… and {0} more file(s)', String(files.length - shown.length)));
  const detail = [...shown, '', l10n.t('Each one is sent once; nothing is sent before you agree.')].join('\n');
  const confirmed = await services.ports.interaction.confirm(message, detail, l10n.t('Create {0} Operations', String(operations)));
  services.log.info(`[send] ${confirmed ? 'confirmed' : 'not confirmed'}: ${operations} operations, tenant ${tenant}, ${cloud}, as ${account.username}`);
  return confirmed;
}
