import vscode = require('vscode');
import { l10n } from 'vscode';
import type { ClientEvent, GraphClient } from '../../../core/graphClient';
import type { ItemResult, JobItem, JobProgress, JobSummary } from '../../../core/engine/jobTypes';
import type { JournalWriter } from '../../../core/engine/journal';
import type { ResumeState } from '../../../core/engine/resumeState';
import type { ConnectionPlan } from '../../shared/connectionPlan';
import { loadCore } from '../../shared/loadCore';
import { describeRequest, describeResponse, otherResponseHeaders } from '../exchangeLog';
import type { FeatureServices } from '../featureServices';
import { graphClientFor } from '../graphConnection';
import { progressMessage, wordsText } from './resultWords';
import { keptExchange, keptResult, type RunExchange, type RunItem, type RunRecord, type RunRound } from './runRecord';
import type { RunStore } from './runStore';

/** One engine run over (some of) a run's items. */
export interface RunPass {
  readonly plan: ConnectionPlan;
  readonly run: RunRecord;
  /** What the engine is given: the items to send, and for a re-send the run's created items, which the journal keeps from being sent again. */
  readonly items: readonly JobItem[];
  /** How many of `items` only stand by (created already): left out of the progress and of the run's update. */
  readonly standingBy: number;
  readonly round: RunRound;
  /** The run's journal as read, for a pass over a run that already has one. */
  readonly resume?: ResumeState;
  readonly resendUnknown?: boolean;
  readonly title: string;
}

export interface PassOutcome {
  /** The engine's results for the items the pass was for (not those standing by), in item order. */
  readonly results: readonly ItemResult[];
  readonly summary?: JobSummary;
  /** What stopped the pass before anything was sent (a sign-in, the permission pre-flight): the items keep their results. */
  readonly failure?: unknown;
}

/**
 * Runs the items through the engine under one cancellable progress notification: the write limit and batching
 * from the settings, unknown outcomes checked, the run's journal written as it goes, each result kept in the
 * run and its exchange written to the "Intune" output. Cancelling stops starting items; those in flight get the
 * engine's grace, then are stopped (and end unknown, which the run says).
 */
export async function runPass(services: FeatureServices, store: RunStore, pass: RunPass, stopNow?: AbortSignal): Promise<PassOutcome> {
  const core = loadCore();
  const { plan, run } = pass;
  const settings = plan.settings;
  const journalPath = store.files.journalPath(run.id);
  const scrub = (text: string): string => services.log.redact(text);
  await store.files.ensureFolder();
  const journal: JournalWriter = pass.resume
    ? core.JournalWriter.resume(journalPath, Date.now(), 'run', scrub)
    : core.JournalWriter.create(journalPath, core.jobIdentity(pass.items, plan.target.root, settings.apiVersion), Date.now(), scrub);
  const byKey = new Map(run.items.map((item) => [item.key, item]));
  try {
    return await services.ports.interaction.withProgress(
      { location: vscode.ProgressLocation.Notification, title: pass.title, cancellable: true },
      async (progress, cancellation) => {
        const stop = new AbortController();
        const subscription = cancellation.onCancellationRequested(() => stop.abort());
        const single = pass.items.length - pass.standingBy === 1;
        let shown = 0;
        let lastReport = 0;
        const report = (state: JobProgress): void => {
          const now = Date.now();
          if (now - lastReport < 200 && state.phase !== 'done' && state.done !== state.total) return;
          lastReport = now;
          const share = Math.round(((state.done - pass.standingBy) / Math.max(1, state.total - pass.standingBy)) * 100);
          progress.report({ message: progressMessage(state, pass.standingBy, now), increment: share - shown });
          shown = share;
        };
        // A lone operation says what its request is waiting for, as before the engine.
        const onEvent = (event: ClientEvent): void => {
          if (!single) return;
          if (event.type === 'attempt') progress.report({ message: l10n.t('Waiting for Microsoft Graph…') });
          if (event.type === 'retry-wait') progress.report({ message: l10n.t('{0}: trying again in {1} s…', event.because, (event.waitMs / 1000).toFixed(1)) });
          if (event.type === 'reauthenticate') progress.report({ message: l10n.t('Signing in again…') });
        };
        try {
          progress.report({ message: l10n.t('Signing in…') });
          const client = graphClientFor(services, plan, 'write', stop.signal, onEvent);
          const { results, summary } = await core.runJob(pass.items, {
            client,
            apiVersion: settings.apiVersion,
            maxRetries: settings.maxRetries,
            writeLimit: { writes: settings.writeLimit.count, windowMs: Math.round(settings.writeLimit.seconds * 1000) },
            batching: settings.batching,
            reconcile: true,
            resendUnknown: pass.resendUnknown === true,
            journal,
            ...(pass.resume ? { resume: pass.resume } : {}),
            signal: stop.signal,
            ...(stopNow ? { stopNow } : {}),
            onProgress: report,
            onResult: (result) => {
              const item = byKey.get(result.key);
              if (!item || (result.fromJournal && result.attempts === 0)) return;
              keepResult(services, plan, client, run, item, result);
              store.touched(run);
            },
          });
          if (summary.stopped) pass.round.stopped = true;
          return { results: results.filter((result) => !(result.fromJournal && result.attempts === 0)), summary };
        } catch (error) {
          const reason = l10n.t('Not sent: {0}', error instanceof Error ? error.message : String(error));
          for (const { key, file, registrationId } of pass.items) {
            const item = byKey.get(key);
            if (item && !item.result) item.result = { key, file, registrationId, outcome: 'skipped', attempts: 0, reason };
          }
          return { results: [], failure: error };
        } finally {
          subscription.dispose();
        }
      },
    );
  } finally {
    journal.close();
    pass.round.endedAt = Date.now();
    const account = services.accounts.current;
    if (account && !run.account) Object.assign(run, { account: account.label, ...(account.tenantId ? { tenantId: account.tenantId } : {}) });
    await store.save(run, true);
  }
}

/** The result into the run (a re-send never sent keeps what the item had), and its exchange and words into the log. */
function keepResult(services: FeatureServices, plan: ConnectionPlan, client: GraphClient, run: RunRecord, item: RunItem, result: ItemResult): void {
  const neverSent = result.attempts === 0 && (result.outcome === 'skipped' || result.outcome === 'cancelled');
  if (!(neverSent && item.result)) {
    item.result = keptResult(result);
    item.exchange = result.exchange ? keptExchange(result.exchange) : batchExchange(plan, client, run, item, result);
  }
  const { log } = services;
  const exchange = result.exchange;
  if (exchange) {
    log.info(
      `[send] ${item.file} → ${item.registrationId} (${plan.settings.apiVersion}, ${plan.cloud.label}${plan.target.isEmulator ? `, local emulator ${plan.target.root}` : ''})\n${describeRequest(exchange.request)}`,
    );
    if (exchange.status !== undefined) {
      log.info(`[response] ${item.file}\n${describeResponse(exchange)}`);
      const others = otherResponseHeaders(exchange);
      if (others) log.debug(`[response] other headers\n${others}`);
    }
  }
  const text = `[result] ${item.file}\n${wordsText(result)}`;
  if (result.outcome === 'created') log.info(text);
  else if (result.outcome === 'unknown' || result.outcome === 'skipped' || result.outcome === 'cancelled') log.warn(text);
  else log.error(text);
}

/** What is known of an item sent inside a JSON batch: its request as the batch carried it, and its inner answer. */
function batchExchange(plan: ConnectionPlan, client: GraphClient, run: RunRecord, item: RunItem, result: ItemResult): RunExchange | undefined {
  if (result.via !== 'batch' || result.attempts === 0) return item.exchange;
  const core = loadCore();
  const body = run.files.find((file) => file.label === item.file)?.body;
  const request = core.buildOperationRequest({
    text: body ?? '',
    registrationId: item.registrationId,
    apiVersion: plan.settings.apiVersion,
    target: plan.target,
  });
  const kept = keptResult(result);
  return {
    via: 'batch',
    request: {
      method: request.method,
      url: request.url,
      headers: client.displayHeaders(request, result.clientRequestId ?? ''),
      ...(body !== undefined ? { body } : {}),
    },
    ...(result.status !== undefined
      ? {
          response: {
            status: result.status,
            headers: result.requestId ? { 'request-id': result.requestId } : {},
            ...(kept.responseText ? { body: kept.responseText } : {}),
            attempts: result.attempts,
            ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}),
          },
        }
      : {}),
  };
}
