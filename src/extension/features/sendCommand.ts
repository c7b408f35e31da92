import * as vscode from 'vscode';
import { openOperationDocument } from '../shared/jsonMode';
import type { ClientEvent } from '../../core/graphClient';
import type { FileOutcome, OperationResult, PreparedOperation } from '../../core/sendOperation';
import type { Problem } from '../../core/validation/index';
import { planFromSettings, type ConnectionPlan } from '../shared/connectionPlan';
import { applyChosenTarget, currentTarget } from '../shared/fileTarget';
import { loadCore } from '../shared/loadCore';
import { fileLabel, isMaoUri } from '../shared/maoFiles';
import { describeTarget } from '../shared/targetSummary';
import { describeOutcome, describeProblem, describeRequest, describeResponse, otherResponseHeaders } from './exchangeLog';
import type { FeatureServices } from './featureServices';
import { graphClientFor } from './graphConnection';
import { isPermissionFailure, notify, permissionAdvice, supportDetails } from './messages';
import { presentFailure, refuseUntrusted, tenantOf } from './presentFailure';
import { pickRegistration } from './registrationPicker';

/** One file's result, returned by the command (the tests read it; the palette ignores it). */
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
export async function sendCommand(services: FeatureServices, uri?: unknown, uris?: unknown): Promise<SendFileResult[]> {
  const { log } = services;
  const files = filesToSend(uri, uris);
  if (files.length === 0) {
    notify(services.ports, 'warning', vscode.l10n.t('Open or select a *.mao.json file to send it to Intune.'));
    return [];
  }
  if (!vscode.workspace.isTrusted) {
    const message = vscode.l10n.t('Sending is turned off in Restricted Mode: trust this workspace to send operations to Intune. Editing and validation keep working.');
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

  const results: SendFileResult[] = [];
  let stopped = false;
  for (const file of files) {
    if (stopped) {
      results.push({ file: fileLabel(file), outcome: 'skipped', message: vscode.l10n.t('Not sent: an earlier file was cancelled.') });
      continue;
    }
    if (!isMaoUri(file)) {
      results.push({ file: fileLabel(file), outcome: 'skipped', message: vscode.l10n.t('Not a *.mao.json file.') });
      continue;
    }
    const result = await sendFile(services, plan, file, files.length === 1);
    results.push(result);
    stopped = result.outcome === 'skipped';
  }
  if (files.length > 1) summarize(services, results);
  return results;
}

function filesToSend(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  if (uri instanceof vscode.Uri) return [uri];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && isMaoUri(active) ? [active] : [];
}

async function sendFile(services: FeatureServices, plan: ConnectionPlan, uri: vscode.Uri, single: boolean): Promise<SendFileResult> {
  const { log } = services;
  const core = loadCore();
  const label = fileLabel(uri);
  let document: vscode.TextDocument;
  try {
    document = await openOperationDocument(uri);
  } catch (error) {
    const message = vscode.l10n.t('Cannot read {0}: {1}', label, error instanceof Error ? error.message : String(error));
    log.error(`[send] ${message}`);
    if (single) notify(services.ports, 'error', message, { log });
    return { file: label, outcome: 'failed', message };
  }

  // The buffer as it is now, saved or not.
  const text = document.getText();
  const validation = core.validateOperationText(text);
  const errors = validation.problems.filter((p) => p.severity === 'error');
  for (const problem of validation.problems) {
    (problem.severity === 'error' ? log.error : log.warn).call(log, `[validate] ${describeProblem(label, problem)}`);
  }
  if (errors.length > 0) {
    const message = vscode.l10n.t('{0} was not sent: {1} problem(s) to fix first. The first, line {2}: {3}', label, String(errors.length), String(errors[0]!.line), errors[0]!.message);
    log.error(`[send] ${message}`);
    if (single) {
      await revealProblem(document, errors[0]!);
      notify(services.ports, 'error', message, { log, more: [{ title: vscode.l10n.t('Show Problems'), run: () => vscode.commands.executeCommand('workbench.actions.view.problems') }] });
    }
    return { file: label, outcome: 'invalid', message };
  }

  let target = currentTarget(services.targets, document, validation.parsed)?.target;
  try {
    if (!target) {
      target = await pickRegistration(services, plan, label);
      if (!target) {
        const message = vscode.l10n.t('No target registration chosen; {0} was not sent.', label);
        log.info(`[send] ${message}`);
        return { file: label, outcome: 'skipped', message };
      }
      await applyChosenTarget(services.targets, document, target);
    }
  } catch (error) {
    return failedBeforeSending(services, plan, label, error, single);
  }

  const prepared = core.prepareOperation(label, text, { target: plan.target }, plan.settings.apiVersion, target.id);
  if (!prepared.request) {
    const message = prepared.problems.map((p) => p.message).join('; ');
    log.error(`[send] ${label}: ${message}`);
    if (single) notify(services.ports, 'error', message, { log });
    return { file: label, outcome: 'invalid', message };
  }

  let result: OperationResult;
  try {
    result = await services.ports.interaction.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending {0} to Intune', label), cancellable: true },
      (progress, cancellation) => sendWithProgress(services, plan, prepared, describeTarget(target!), progress, cancellation),
    );
  } catch (error) {
    return failedBeforeSending(services, plan, label, error, single);
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
    progress.report({ message: vscode.l10n.t('Signing in…') });
    const onEvent = (event: ClientEvent): void => {
      if (event.type === 'attempt') progress.report({ message: vscode.l10n.t('Waiting for Microsoft Graph…') });
      if (event.type === 'retry-wait') progress.report({ message: vscode.l10n.t('{0}: trying again in {1} s…', event.because, (event.waitMs / 1000).toFixed(1)) });
      if (event.type === 'reauthenticate') progress.report({ message: vscode.l10n.t('Signing in again…') });
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

function reportResult(services: FeatureServices, plan: ConnectionPlan, result: OperationResult, single: boolean): SendFileResult {
  const { log, ports } = services;
  const exchange = result.exchange;
  if (exchange?.status !== undefined) {
    log.info(`[response] ${result.file}\n${describeResponse(exchange)}`);
    const others = otherResponseHeaders(exchange);
    if (others) log.debug(`[response] other headers\n${others}`);
  }
  const outcomeText = describeOutcome(result);
  if (result.outcome === 'created' || result.outcome === 'skipped') log.info(`[result] ${result.file}\n${outcomeText}`);
  else if (result.outcome === 'unknown') log.warn(`[result] ${result.file}\n${outcomeText}`);
  else log.error(`[result] ${result.file}\n${outcomeText}`);

  const operationId = (exchange?.json as { id?: unknown } | undefined)?.id;
  const summary: SendFileResult = {
    file: result.file, outcome: result.outcome,
    ...(result.registrationId ? { registrationId: result.registrationId } : {}),
    ...(exchange?.status !== undefined ? { status: exchange.status } : {}),
    ...(exchange?.requestId ? { requestId: exchange.requestId } : {}),
    ...(exchange ? { clientRequestId: exchange.clientRequestId } : {}),
    ...(typeof operationId === 'string' ? { operationId } : {}),
    message: outcomeText.split('\n')[0]!,
  };
  if (!single) return summary;

  const details = supportDetails({
    file: result.file, outcome: result.outcome, ...(result.registrationId ? { registrationId: result.registrationId } : {}),
    ...(exchange ? { exchange } : {}), plan, ...tenantOf(services), extensionVersion: services.version,
  });
  const common = { log, supportDetails: details };
  switch (result.outcome) {
    case 'created':
      notify(ports, 'info', vscode.l10n.t('Sent {0}: operation created (HTTP {1}).', result.file, String(exchange?.status ?? 201)), { log });
      break;
    case 'skipped':
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(circle-slash) {0} was not sent (cancelled).', result.file), 5000);
      break;
    case 'unknown':
      notify(ports, 'warning', vscode.l10n.t('{0}: outcome unknown. The operation may or may not have been created; list the registration\'s operations before sending again.', result.file), {
        ...common, more: [{ title: vscode.l10n.t('List Operations'), run: () => listOperations(services, plan, result.registrationId!) }],
      });
      break;
    default:
      if (isPermissionFailure(exchange)) {
        notify(ports, 'error', permissionAdvice(plan, services.signIn.lastTokenSummary(), vscode.l10n.t('Graph refused the request (HTTP {0}).', String(exchange?.status ?? 403))), { ...common, setupGuide: services.setupGuide });
      } else if (exchange?.status === 401) {
        notify(ports, 'error', vscode.l10n.t('Graph did not accept the sign-in (HTTP 401): {0} Try "Intune: Sign Out / Switch Account".', exchange.error?.message ?? ''), common);
      } else {
        notify(ports, 'error', vscode.l10n.t('{0} was not created: {1}', result.file, exchange?.error?.message ?? exchange?.reason ?? result.message ?? ''), common);
      }
  }
  return summary;
}

/** Signing in, picking or checking failed before any operation was sent: presented like any command's failure. */
function failedBeforeSending(services: FeatureServices, plan: ConnectionPlan, label: string, error: unknown, single: boolean): SendFileResult {
  const failure = error as { kind?: unknown; reason?: unknown; message?: unknown; exchange?: { status?: number } };
  if (failure.kind === 'sign-in' && failure.reason === 'cancelled') {
    services.log.info(`[auth] ${String(failure.message)}`);
    return { file: label, outcome: 'skipped', message: String(failure.message) };
  }
  if (single) presentFailure(services, error, { command: 'send', plan, file: label });
  else services.log.error(`[send] ${label}: ${error instanceof Error ? error.message : String(error)}`);
  const status = failure.exchange?.status;
  return { file: label, outcome: 'failed', ...(status !== undefined ? { status } : {}), message: error instanceof Error ? error.message : String(error) };
}

function summarize(services: FeatureServices, results: SendFileResult[]): void {
  const count = (outcome: SendFileResult['outcome']): number => results.filter((r) => r.outcome === outcome).length;
  const message = vscode.l10n.t('{0} files: {1} created, {2} failed, {3} unknown, {4} invalid, {5} not sent.',
    String(results.length), String(count('created')), String(count('failed')), String(count('unknown')), String(count('invalid')), String(count('skipped') + count('refused')));
  services.log.info(`[send] ${message}\n${results.map((r) => `  ${r.file}: ${r.outcome}${r.status ? ` (HTTP ${r.status})` : ''}${r.requestId ? ` request-id ${r.requestId}` : ''}`).join('\n')}`);
  const allGood = results.every((r) => r.outcome === 'created');
  const details = results.map((r) => [`File: ${r.file}`, `Outcome: ${r.outcome}${r.status ? ` (HTTP ${r.status})` : ''}`, r.requestId && `request-id: ${r.requestId}`, r.clientRequestId && `client-request-id: ${r.clientRequestId}`]
    .filter(Boolean).join('\n')).join('\n\n') + '\n\n' + supportDetails({ extensionVersion: services.version, ...tenantOf(services) });
  notify(services.ports, allGood ? 'info' : count('unknown') > 0 || count('failed') > 0 ? 'error' : 'warning', message, { log: services.log, ...(allGood ? {} : { supportDetails: details }) });
}

/** Lists a registration's operations into the output channel: how to check an unknown outcome. */
export async function listOperations(services: FeatureServices, plan: ConnectionPlan, registrationId: string): Promise<void> {
  const core = loadCore();
  const { log } = services;
  const client = graphClientFor(services, plan, 'read');
  const request = core.buildGetRequest(plan.target, core.operationsPath(plan.settings.apiVersion, registrationId));
  log.info(`[operations] GET ${request.url}`);
  log.show();
  try {
    const { items, exchange } = await client.listAll<Record<string, unknown>>(request);
    if (exchange.outcome !== 'succeeded') {
      log.error(`[operations] ${exchange.error?.message ?? exchange.reason ?? ''}\n${describeResponse(exchange)}`);
      return;
    }
    const rows = items.map((op) => `  ${String(op['id'] ?? '')}  ${String(op['displayName'] ?? '')}  ${String(op['state'] ?? '')}  ${String(op['lastModifiedDateTime'] ?? '')}`);
    log.info(`[operations] ${vscode.l10n.t('{0} operation(s) on registration {1}:', String(items.length), registrationId)}\n${rows.join('\n')}`);
  } catch (error) {
    log.error(`[operations] ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function revealProblem(document: vscode.TextDocument, problem: Problem): Promise<void> {
  const shift = document.getText().startsWith('\uFEFF') ? 1 : 0;
  const start = document.positionAt(problem.offset + shift);
  const end = document.positionAt(problem.offset + shift + problem.length);
  const editor = await vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
  editor.selection = new vscode.Selection(start, end);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

