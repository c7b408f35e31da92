import vscode = require('vscode');
import { l10n } from 'vscode';
import type { ItemOutcome, ItemResult, JobItem } from '../../core/engine/jobTypes';
import { planFromSettings, type ConnectionPlan } from '../shared/connectionPlan';
import { loadCore } from '../shared/loadCore';
import { fileLabel, isMaoUri } from '../shared/maoFiles';
import type { FeatureServices } from './featureServices';
import { notify } from './messages';
import { presentFailure, refuseUntrusted } from './presentFailure';
import { wordsOf } from './runs/resultWords';
import { runPass } from './runs/runPass';
import { cutText, runId, type RunRecord } from './runs/runRecord';
import { confirmRun, prepareFile, type ReadyFile, type SendRequest } from './sendPlanning';
import { failedBeforeSending, logSummary, reportSingle, summarize } from './sendReport';

export { listOperations } from './sendReport';
export type { SendRequest };

/** One operation's result (a file to one registration), returned by the command (the tests read it; the palette ignores it). */
export interface SendFileResult {
  readonly file: string;
  readonly outcome: ItemOutcome | 'refused';
  readonly registrationId?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly operationId?: string;
  readonly message?: string;
  /** The run it belongs to, in the Runs view. */
  readonly runId?: string;
}

/**
 * Send to Intune. From the explorer the command receives `(uri, selectedUris)` and sends each selected file;
 * from an editor, its title bar, a CodeLens or the palette, the file concerned (or the active editor's).
 */
export function sendCommand(services: FeatureServices, uri?: unknown, uris?: unknown): Promise<SendFileResult[]> {
  return sendFiles(
    services,
    filesToSend(uri, uris).map((file) => ({ uri: file })),
  );
}

/**
 * Sends each file to each of its targets as one run of the engine. Every file is checked and its targets
 * settled first; a run of more than one operation is confirmed once before anything is sent.
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
  const sent =
    refusal !== undefined || ready.length === 0
      ? {
          byFile: new Map(
            ready.map((file) => [
              file,
              file.targets.map((target): SendFileResult => ({ file: file.label, outcome: 'skipped', registrationId: target.id, message: refusal ?? '' })),
            ]),
          ),
        }
      : await sendReady(services, plan, ready, requests.length === 1);
  const results = slots.flatMap((slot) => (Array.isArray(slot) ? slot : (sent.byFile.get(slot) ?? [])));
  // A failure before anything was sent (sign-in, permission) was presented on its own.
  if (results.length > 1 && !sent.failedBeforeSending) summarize(services, results, requests.length, sent.runId);
  return results;
}

interface Sent {
  readonly byFile: ReadonlyMap<ReadyFile, SendFileResult[]>;
  readonly runId?: string;
  readonly failedBeforeSending?: boolean;
}

/** The run: every ready file to each of its targets, through the engine, kept in the Runs view. */
async function sendReady(services: FeatureServices, plan: ConnectionPlan, ready: readonly ReadyFile[], oneFile: boolean): Promise<Sent> {
  const core = loadCore();
  const startedAt = Date.now();
  const bodies = ready.map((file) => core.requestBodyFromText(file.text));
  const items: JobItem[] = ready.flatMap((file, index) =>
    file.targets.map((target) => ({ key: `${file.label} → ${target.id}`, file: file.label, registrationId: target.id, body: bodies[index]! })),
  );
  const run: RunRecord = {
    format: 'intune-mao-run',
    version: 1,
    id: runId(startedAt),
    startedAt,
    graphRoot: plan.target.root,
    apiVersion: plan.settings.apiVersion,
    cloud: { name: plan.cloud.name, label: plan.cloud.label, emulator: plan.target.isEmulator },
    files: ready.map((file, index) => {
      const kept = cutText(bodies[index]!);
      return { label: file.label, body: kept.text, ...(kept.cut ? { bodyCut: true } : {}) };
    }),
    items: ready.flatMap((file) =>
      file.targets.map((target) => ({ key: `${file.label} → ${target.id}`, file: file.label, registrationId: target.id, target })),
    ),
    rounds: [{ kind: 'send', at: startedAt, items: items.length }],
  };
  await services.runs.store.add(run);
  const single = items.length === 1 && oneFile;
  const title = single ? l10n.t('Sending {0} to Intune', ready[0]!.label) : l10n.t('Sending {0} operations to Intune', String(items.length));
  const outcome = await runPass(services, services.runs.store, { plan, run, items, standingBy: 0, round: run.rounds[0]!, title }, services.runs.stopAll);
  const byKey = new Map(outcome.results.map((result) => [result.key, result]));
  if (outcome.failure !== undefined) {
    const failed = failedBeforeSending(services, plan, ready[0]!.label, outcome.failure, true);
    const byFile = new Map(
      ready.map((file) => [file, file.targets.map((target) => ({ ...failed, file: file.label, registrationId: target.id, runId: run.id }))]),
    );
    return { byFile, runId: run.id, failedBeforeSending: true };
  }
  if (single) reportSingle(services, plan, outcome.results[0]!, run.id);
  else logSummary(services, outcome.summary!);
  return {
    byFile: new Map(ready.map((file) => [file, file.targets.map((target) => fileResult(byKey.get(`${file.label} → ${target.id}`)!, run.id))])),
    runId: run.id,
  };
}

function fileResult(result: ItemResult, id: string): SendFileResult {
  return {
    file: result.file,
    outcome: result.outcome,
    registrationId: result.registrationId,
    runId: id,
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.requestId ? { requestId: result.requestId } : {}),
    ...(result.clientRequestId ? { clientRequestId: result.clientRequestId } : {}),
    ...(result.operationId ? { operationId: result.operationId } : {}),
    message: wordsOf(result).details[0]?.text ?? '',
  };
}

function filesToSend(uri: unknown, uris: unknown): vscode.Uri[] {
  if (Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  if (uri instanceof vscode.Uri) return [uri];
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && isMaoUri(active) ? [active] : [];
}
