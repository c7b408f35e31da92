import vscode = require('vscode');
import { l10n } from 'vscode';
import type { ClientEvent } from '../../core/graphClient';
import type { FileOutcome, OperationResult, PreparedOperation } from '../../core/sendOperation';
import { planFromSettings, type ConnectionPlan } from '../shared/connectionPlan';
import { loadCore } from '../shared/loadCore';
import { fileLabel, isMaoUri } from '../shared/maoFiles';
import { describeTarget, type TargetSummary } from '../shared/targetSummary';
import { describeRequest } from './exchangeLog';
import type { FeatureServices } from './featureServices';
import { graphClientFor } from './graphConnection';
import { notify } from './messages';
import { presentFailure, refuseUntrusted } from './presentFailure';
import { confirmRun, prepareFile, type ReadyFile, type SendRequest } from './sendPlanning';
import { failedBeforeSending, reportResult, summarize } from './sendReport';

export { listOperations } from './sendReport';
export type { SendRequest };

/** One operation's result (a file to one registration), returned by the command (the tests read it; the palette ignores it). */
export interface SendFileResult {
  readonly file: string;
  readonly outcome: FileOutcome | 'refused';
  readonly registrationId?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly operationId?: string;
  readonly message?: string;
}

/**
 * Send to Intune. From the explorer the command receives `(uri, selectedUris)` and sends each selected file;
 * from an editor, its title bar, a CodeLens or the palette, the file concerned (or the active editor's).
 */
export function sendCommand(services: FeatureServices, uri?: unknown, uris?: unknown): Promise<SendFileResult[]> {
  return sendFiles(services, filesToSend(uri, uris).map((file) => ({ uri: file })));
}

/**
 * Sends each file to each of its targets, one operation after the other. Every file is checked and its
 * targets settled first; a run of more than one operation is confirmed once before anything is sent.
 */
export async function sendFiles(services: FeatureServices, requests: readonly SendRequest[]): Promise<SendFileResult[]> {
  const { log } = services;
  const files = requests.map((request) => request.uri);
  if (files.length === 0) {
    notify(services.ports, 'warning', l10n.t('Open or select a *.mao.json file to send it to Intune.'));
    return [];
  }
  if (!vscode.workspace.isTrusted) {
    const message = l10n.t('Sending is turned off in Restricted Mode: trust this workspace to send operations to Intune. Editing and validation keep working.');
    log.warn(`[send] refused: the workspace is not trusted (${files.map(fileLabel).join(', ')})`);
    refuseUntrusted(services, message);
    return files.map((file) => ({ file: fileLabel(file), outcome: 'refused', message }));
  }
  let plan: ConnectionPlan;
  try {
    plan = planFromSettings();
  } catch (error) {
    presentFailure(services, error, { command: 'send' });
    return files.map((file) => ({ file: fileLabel(file), outcome: 'refused', message: (error as Error).message }));
  }

  // Per file, in the order given: the results of checking it, then of sending it.
  const slots: Array<SendFileResult[] | ReadyFile> = [];
  let pickCancelled = false;
  for (const request of requests) {
    const label = fileLabel(request.uri);
    if (pickCancelled) slots.push([{ file: label, outcome: 'skipped', message: l10n.t('Not sent: an earlier file was cancelled.') }]);
    else if (!isMaoUri(request.uri)) slots.push([{ file: label, outcome: 'skipped', message: l10n.t('Not a *.mao.json file.') }]);
    else {
      const prepared = await prepareFile(services, plan, request, requests.length === 1);
      slots.push('outcome' in prepared ? [prepared] : prepared);
      pickCancelled = 'outcome' in prepared && prepared.outcome === 'skipped';
    }
  }
  const ready = slots.filter((slot): slot is ReadyFile => !Array.isArray(slot));
  const operations = ready.reduce((sum, file) => sum + file.targets.length, 0);
  let refusal: string | undefined;
  if (operations > 1) {
    try {
      if (!(await confirmRun(services, plan, ready, operations))) refusal = l10n.t('Not sent: the run was not confirmed.');
    } catch (error) {
      refusal = failedBeforeSending(services, plan, ready[0]!.label, error, true).message ?? '';
    }
  }
  const single = operations === 1 && requests.length === 1;
  let stopped = false;
  for (const [index, slot] of slots.entries()) {
    if (Array.isArray(slot)) continue;
    const results: SendFileResult[] = [];
    for (const target of slot.targets) {
      if (refusal !== undefined || stopped) {
        results.push({ file: slot.label, outcome: 'skipped', registrationId: target.id, message: refusal ?? l10n.t('Not sent: an earlier operation was cancelled.') });
        continue;
      }
      const result = await sendOne(services, plan, slot, target, single, operations > 1 ? `${results.length + 1}/${slot.targets.length}` : undefined);
      results.push(result);
      stopped = result.outcome === 'skipped';
    }
    slots[index] = results;
  }
  const results = slots.flat() as SendFileResult[];
  if (results.length > 1) summarize(services, results, requests.length);
  return results;
}

function filesToSend(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  if (uri instanceof vscode.Uri) return [uri];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && isMaoUri(active) ? [active] : [];
}

async function sendOne(services: FeatureServices, plan: ConnectionPlan, file: ReadyFile, target: TargetSummary, single: boolean, step?: string): Promise<SendFileResult> {
  const core = loadCore();
  const prepared = core.prepareOperation(file.label, file.text, { target: plan.target }, plan.settings.apiVersion, target.id);
  if (!prepared.request) {
    const message = prepared.problems.map((p) => p.message).join('; ');
    services.log.error(`[send] ${file.label}: ${message}`);
    if (single) notify(services.ports, 'error', message, { log: services.log });
    return { file: file.label, outcome: 'invalid', registrationId: target.id, message };
  }
  let result: OperationResult;
  try {
    const title = step ? l10n.t('Sending {0} to {1} ({2})', file.label, describeTarget(target), step) : l10n.t('Sending {0} to Intune', file.label);
    result = await services.ports.interaction.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, cancellation) => sendWithProgress(services, plan, prepared, describeTarget(target), progress, cancellation),
    );
  } catch (error) {
    return { ...failedBeforeSending(services, plan, file.label, error, single), registrationId: target.id };
  }
  return reportResult(services, plan, result, single);
}

async function sendWithProgress(
  services: FeatureServices, plan: ConnectionPlan, prepared: PreparedOperation, targetName: string,
  progress: vscode.Progress<{ message?: string }>, cancellation: vscode.CancellationToken,
): Promise<OperationResult> {
  const core = loadCore();
  const controller = new AbortController();
  const subscription = cancellation.onCancellationRequested(() => controller.abort());
  try {
    progress.report({ message: l10n.t('Signing in…') });
    const onEvent = (event: ClientEvent): void => {
      if (event.type === 'attempt') progress.report({ message: l10n.t('Waiting for Microsoft Graph…') });
      if (event.type === 'retry-wait') progress.report({ message: l10n.t('{0}: trying again in {1} s…', event.because, (event.waitMs / 1000).toFixed(1)) });
      if (event.type === 'reauthenticate') progress.report({ message: l10n.t('Signing in again…') });
    };
    const client = graphClientFor(services, plan, 'write', controller.signal, onEvent);
    const request = prepared.request!;
    const clientRequestId = core.newGuid();
    services.log.info([
      `[send] ${prepared.file} → ${targetName} (${plan.settings.apiVersion}, ${plan.cloud.label}${plan.target.isEmulator ? `, local emulator ${plan.target.root}` : ''})`,
      describeRequest({ ...request, headers: client.displayHeaders(request, clientRequestId) }),
    ].join('\n'));
    return await core.sendPreparedOperation(client, prepared, { signal: controller.signal, clientRequestId });
  } finally {
    subscription.dispose();
  }
}
