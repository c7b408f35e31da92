import vscode = require('vscode');
import { l10n } from 'vscode';
import type { ItemResult, JobSummary } from '../../core/engine/jobTypes';
import type { Problem } from '../../core/validation/index';
import type { ConnectionPlan } from '../shared/connectionPlan';
import { loadCore } from '../shared/loadCore';
import { describeResponse } from './exchangeLog';
import type { FeatureServices } from './featureServices';
import { graphClientFor } from './graphConnection';
import { isPermissionFailure, notify, permissionAdvice, supportDetails } from './messages';
import { presentFailure, tenantOf } from './presentFailure';
import type { SendFileResult } from './sendCommand';

/**
 * A lone operation's outcome in a notification with the buttons that help (its exchange and words are in the
 * log already, and its run in the Runs view): created, unknown (with List Operations), a refusal explained
 * (permission, sign-in), or the error.
 */
export function reportSingle(services: FeatureServices, plan: ConnectionPlan, result: ItemResult, runId: string): void {
  const { log, ports } = services;
  const exchange = result.exchange;
  const details = supportDetails({
    file: result.file,
    outcome: result.outcome,
    registrationId: result.registrationId,
    ...(exchange ? { exchange } : {}),
    plan,
    ...tenantOf(services),
    extensionVersion: services.version,
  });
  const showRun = { title: l10n.t('Show Run'), run: () => services.runs.show(runId) };
  const common = { log, supportDetails: details, more: [showRun] };
  switch (result.outcome) {
    case 'created':
      if (result.reconciliation?.found) {
        notify(
          ports,
          'info',
          l10n.t(
            "Sent {0}: Graph's answer left the outcome open (HTTP {1}), and the registration's operations hold it: operation created.",
            result.file,
            String(result.status ?? '—'),
          ),
          { log, more: [showRun] },
        );
      } else {
        notify(ports, 'info', l10n.t('Sent {0}: operation created (HTTP {1}).', result.file, String(result.status ?? 201)), { log, more: [showRun] });
      }
      break;
    case 'skipped':
    case 'cancelled':
      vscode.window.setStatusBarMessage(l10n.t('$(circle-slash) {0} was not sent (cancelled).', result.file), 5000);
      break;
    case 'unknown':
      notify(
        ports,
        'warning',
        l10n.t("{0}: outcome unknown. The operation may or may not have been created; list the registration's operations before sending again.", result.file),
        {
          ...common,
          more: [{ title: l10n.t('List Operations'), run: () => listOperations(services, plan, result.registrationId) }, showRun],
        },
      );
      break;
    default:
      if (isPermissionFailure(exchange)) {
        notify(
          ports,
          'error',
          permissionAdvice(plan, services.signIn.lastTokenSummary(), l10n.t('Graph refused the request (HTTP {0}).', String(exchange?.status ?? 403))),
          { ...common, setupGuide: services.setupGuide },
        );
      } else if (result.status === 401) {
        notify(
          ports,
          'error',
          l10n.t('Graph did not accept the sign-in (HTTP 401): {0} Try "Intune: Sign Out / Switch Account".', result.error?.message ?? ''),
          common,
        );
      } else {
        notify(ports, 'error', l10n.t('{0} was not created: {1}', result.file, result.error?.message ?? result.reason ?? ''), common);
      }
  }
}

/** Signing in, picking or checking failed before any operation was sent: presented like any command's failure. */
export function failedBeforeSending(services: FeatureServices, plan: ConnectionPlan, label: string, error: unknown, single: boolean): SendFileResult {
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

/** One notification for a run of several operations (or files), with the counts by outcome and Show Run. */
export function summarize(services: FeatureServices, results: SendFileResult[], files: number, runId?: string): void {
  const count = (...outcomes: Array<SendFileResult['outcome']>): number => results.filter((r) => outcomes.includes(r.outcome)).length;
  const counts = [count('created'), count('failed'), count('unknown'), count('invalid'), count('skipped', 'cancelled', 'refused')].map(String);
  const message =
    results.length === files
      ? l10n.t('{0} files: {1} created, {2} failed, {3} unknown, {4} invalid, {5} not sent.', String(results.length), ...counts)
      : l10n.t(
          '{0} operations from {1} file(s): {2} created, {3} failed, {4} unknown, {5} invalid, {6} not sent.',
          String(results.length),
          String(files),
          ...counts,
        );
  services.log.info(
    `[send] ${message}\n${results.map((r) => `  ${r.file}${r.registrationId ? ` → ${r.registrationId}` : ''}: ${r.outcome}${r.status ? ` (HTTP ${r.status})` : ''}${r.requestId ? ` request-id ${r.requestId}` : ''}`).join('\n')}`,
  );
  const allGood = results.every((r) => r.outcome === 'created');
  const details =
    results
      .map((r) =>
        [
          `File: ${r.file}`,
          r.registrationId && `Registration: ${r.registrationId}`,
          `Outcome: ${r.outcome}${r.status ? ` (HTTP ${r.status})` : ''}`,
          r.requestId && `request-id: ${r.requestId}`,
          r.clientRequestId && `client-request-id: ${r.clientRequestId}`,
        ]
          .filter(Boolean)
          .join('\n'),
      )
      .join('\n\n') +
    '\n\n' +
    supportDetails({ extensionVersion: services.version, ...tenantOf(services) });
  const showRun = runId ? [{ title: l10n.t('Show Run'), run: () => services.runs.show(runId) }] : [];
  notify(services.ports, allGood ? 'info' : count('unknown') > 0 || count('failed') > 0 ? 'error' : 'warning', message, {
    log: services.log,
    more: showRun,
    ...(allGood ? {} : { supportDetails: details }),
  });
}

/** The engine's summary of a run, in the core's words, to the log. */
export function logSummary(services: FeatureServices, summary: JobSummary): void {
  const words = loadCore().describeSummary(summary);
  services.log.info(`[run] ${words.headline}\n${words.details.map((line) => `    ${line.text}`).join('\n')}`);
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
    const rows = items.map(
      (op) => `  ${String(op['id'] ?? '')}  ${String(op['displayName'] ?? '')}  ${String(op['state'] ?? '')}  ${String(op['lastModifiedDateTime'] ?? '')}`,
    );
    log.info(`[operations] ${l10n.t('{0} operation(s) on registration {1}:', String(items.length), registrationId)}\n${rows.join('\n')}`);
  } catch (error) {
    log.error(`[operations] ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function revealProblem(document: vscode.TextDocument, problem: Problem): Promise<void> {
  const shift = document.getText().startsWith('\uFEFF') ? 1 : 0;
  const start = document.positionAt(problem.offset + shift);
  const end = document.positionAt(problem.offset + shift + problem.length);
  const editor = await vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
  editor.selection = new vscode.Selection(start, end);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
