import vscode = require('vscode');
import { l10n } from 'vscode';
import type { CheckedOutcome } from '../../../core/engine/checkOutcomes';
import type { JobItem } from '../../../core/engine/jobTypes';
import type { ResumeState } from '../../../core/engine/resumeState';
import type { SignedInAccount } from '../../../core/tokenSource';
import { planFromSettings, type ConnectionPlan } from '../../shared/connectionPlan';
import { loadCore } from '../../shared/loadCore';
import type { FeatureServices } from '../featureServices';
import { graphClientFor } from '../graphConnection';
import { notify } from '../messages';
import { wordsText } from './resultWords';
import { definiteFailures, unknownItems, unknownNotFound, type RunItem, type RunRecord, type RunRound } from './runRecord';
import { runPass, type PassOutcome } from './runPass';

/** Where a run's rounds go, and who sends them: checked to be where the run went. */
export interface Destination {
  readonly plan: ConnectionPlan;
  readonly account: SignedInAccount;
  readonly tenant: string;
}

/** The run's items as the engine knows them; undefined when a body was too long for the run to keep. */
function jobItemsOf(run: RunRecord): JobItem[] | undefined {
  if (run.files.some((file) => file.bodyCut)) return undefined;
  const bodies = new Map(run.files.map((file) => [file.label, file.body]));
  return run.items.map((item) => ({ key: item.key, file: item.file, registrationId: item.registrationId, body: bodies.get(item.file) ?? '' }));
}

/**
 * What is needed to act on a run again, or undefined (the person was told why): its bodies, its journal as read,
 * and settings and an account for the Graph root, API version and tenant the run went to.
 */
export async function prepareRound(
  services: FeatureServices,
  run: RunRecord,
): Promise<{ items: JobItem[]; state: ResumeState; destination: Destination } | undefined> {
  const refuse = (message: string): undefined => {
    services.log.warn(`[runs] ${message}`);
    notify(services.ports, 'warning', message, { log: services.log });
    return undefined;
  };
  if (services.runs.store.isLive(run.id)) return refuse(l10n.t('The run is still going on; wait for it to end.'));
  if (!vscode.workspace.isTrusted) return refuse(l10n.t('Sending and listing are turned off in Restricted Mode: trust this workspace first.'));
  const items = jobItemsOf(run);
  if (!items)
    return refuse(
      l10n.t('A body of this run was larger than a run keeps (64 KB), so its items cannot be checked or sent again from here: send the file again.'),
    );
  const plan = planFromSettings();
  if (plan.target.root !== run.graphRoot || plan.settings.apiVersion !== run.apiVersion) {
    return refuse(
      l10n.t(
        'This run went to {0} ({1}); your settings now point at {2} ({3}). Change them back to act on it.',
        run.graphRoot,
        run.apiVersion,
        plan.target.root,
        plan.settings.apiVersion,
      ),
    );
  }
  const core = loadCore();
  const path = services.runs.store.files.journalPath(run.id);
  let state: ResumeState;
  try {
    state = core.resumeStateOf(core.readJournal(path), core.jobIdentity(items, run.graphRoot, run.apiVersion), path);
  } catch (error) {
    return refuse(l10n.t('The journal of this run cannot be used: {0}', (error as Error).message));
  }
  const account = (await services.signIn.quietAccount(plan)) ?? (await services.signIn.signIn(plan));
  const tenant = account.tenantId ?? plan.settings.tenant ?? l10n.t("the account's home tenant");
  if (run.tenantId && account.tenantId && run.tenantId.toLowerCase() !== account.tenantId.toLowerCase()) {
    return refuse(
      l10n.t(
        "This run went to tenant {0}; {1} is signed in to tenant {2}. Sign in to the run's tenant to act on it.",
        run.tenantId,
        account.username,
        account.tenantId,
      ),
    );
  }
  return { items, state, destination: { plan, account, tenant } };
}

/** Check Unknown Outcomes: the core's reconciliation for the run's unknown items; nothing is sent. */
export async function checkRun(services: FeatureServices, run: RunRecord): Promise<readonly CheckedOutcome[] | undefined> {
  const unknown = unknownItems(run);
  if (unknown.length === 0) {
    notify(services.ports, 'info', l10n.t('No outcome of this run is unknown.'));
    return [];
  }
  const ready = await prepareRound(services, run);
  if (!ready) return undefined;
  const { plan } = ready.destination;
  const store = services.runs.store;
  const round: RunRound = { kind: 'check', at: Date.now(), items: unknown.length };
  run.rounds.push(round);
  store.goingOn(run);
  const core = loadCore();
  const journal = core.JournalWriter.resume(store.files.journalPath(run.id), Date.now(), 'check', (text) => services.log.redact(text));
  const byKey = new Map(run.items.map((item) => [item.key, item]));
  try {
    return await services.ports.interaction.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        cancellable: true,
        title: l10n.t("Checking {0} unknown outcome(s) against the registrations' operations", String(unknown.length)),
      },
      async (_progress, cancellation) => {
        const stop = new AbortController();
        const subscription = cancellation.onCancellationRequested(() => stop.abort());
        try {
          const client = graphClientFor(services, plan, 'read', stop.signal);
          const checked = await core.checkUnknownOutcomes(ready.items, {
            client,
            apiVersion: plan.settings.apiVersion,
            journalState: ready.state,
            journal,
            signal: stop.signal,
            onChecked: (outcome) => {
              const item = byKey.get(outcome.key);
              if (!item?.result) return;
              item.result = {
                ...item.result,
                outcome: outcome.outcome,
                reconciliation: outcome.reconciliation,
                ...(outcome.operationId ? { operationId: outcome.operationId } : {}),
              };
              services.log.info(`[check] ${item.file}\n${wordsText(item.result)}`);
              store.touched(run);
            },
          });
          announceCheck(services, run, checked);
          return checked;
        } finally {
          subscription.dispose();
        }
      },
    );
  } finally {
    journal.close();
    round.endedAt = Date.now();
    await store.save(run, true);
  }
}

function announceCheck(services: FeatureServices, run: RunRecord, checked: readonly CheckedOutcome[]): void {
  const found = checked.filter((c) => c.outcome === 'created').length;
  const absent = checked.filter((c) => c.outcome === 'unknown' && !c.reconciliation.ambiguousOperationId && !c.reconciliation.failure).length;
  const other = checked.length - found - absent;
  const message = l10n.t(
    'Checked {0} unknown outcome(s): {1} found (created), {2} not found, {3} still open (too close to tell, or not listed).',
    String(checked.length),
    String(found),
    String(absent),
    String(other),
  );
  services.log.info(`[check] ${message}`);
  notify(services.ports, absent || other ? 'warning' : 'info', message, {
    log: services.log,
    more: [{ title: l10n.t('Show Run'), run: () => services.runs.show(run.id) }],
  });
}

/**
 * A re-send, as a new round of the same run through its journal: "failures" sends the items whose answer proves
 * nothing was created; "unknown" the unknown items a check found absent (checked once more just before). The
 * run's created items stand by in the job, so that no check mistakes their operations for another's, and the
 * journal keeps them from being sent again. The round's outcome, or undefined when nothing was sent (none to
 * send, refused, not confirmed).
 */
export async function resendRun(services: FeatureServices, run: RunRecord, which: 'failures' | 'unknown'): Promise<PassOutcome | undefined> {
  const chosen = which === 'failures' ? definiteFailures(run) : unknownNotFound(run);
  if (chosen.length === 0) {
    notify(
      services.ports,
      'info',
      which === 'failures'
        ? l10n.t('No item of this run failed definitely: nothing to send again.')
        : l10n.t('No unknown item of this run was checked and found absent: nothing to send again.'),
    );
    return undefined;
  }
  const ready = await prepareRound(services, run);
  if (!ready || !(await confirmResend(services, run, chosen, which, ready.destination))) return undefined;
  const keys = new Set(chosen.map((item) => item.key));
  const standing = run.items
    .filter((item) => !keys.has(item.key) && item.result?.outcome === 'created' && !ready.state.items.get(item.key)?.sentSinceResult)
    .map((item) => item.key);
  const inJob = new Set([...keys, ...standing]);
  const round: RunRound = { kind: which === 'failures' ? 'resendFailures' : 'resendUnknown', at: Date.now(), items: chosen.length };
  run.rounds.push(round);
  services.runs.store.goingOn(run);
  const title = l10n.t('Sending {0} operation(s) of the run again', String(chosen.length));
  const outcome = await runPass(
    services,
    services.runs.store,
    {
      plan: ready.destination.plan,
      run,
      items: ready.items.filter((item) => inJob.has(item.key)),
      standingBy: standing.length,
      round,
      resume: ready.state,
      resendUnknown: which === 'unknown',
      title,
    },
    services.runs.stopAll,
  );
  services.runs.sentTo(outcome.results.filter((r) => r.outcome === 'created' || r.outcome === 'unknown').map((r) => r.registrationId));
  if (outcome.failure !== undefined) throw outcome.failure;
  const created = outcome.results.filter((r) => r.outcome === 'created').length;
  const message = l10n.t(
    'Sent {0} operation(s) of the run again: {1} created, {2} failed, {3} unknown, {4} not sent.',
    String(chosen.length),
    String(created),
    String(outcome.results.filter((r) => r.outcome === 'failed' || r.outcome === 'invalid').length),
    String(outcome.results.filter((r) => r.outcome === 'unknown').length),
    String(outcome.results.filter((r) => r.outcome === 'skipped' || r.outcome === 'cancelled').length),
  );
  services.log.info(`[runs] ${message}`);
  notify(services.ports, created === chosen.length ? 'info' : 'warning', message, {
    log: services.log,
    more: [{ title: l10n.t('Show Run'), run: () => services.runs.show(run.id) }],
  });
  return outcome;
}

async function confirmResend(
  services: FeatureServices,
  run: RunRecord,
  chosen: readonly RunItem[],
  which: 'failures' | 'unknown',
  destination: Destination,
): Promise<boolean> {
  const { plan, account, tenant } = destination;
  const cloud = plan.target.isEmulator ? l10n.t('{0}, local emulator {1}', plan.cloud.label, plan.target.root) : plan.cloud.label;
  const message =
    which === 'failures'
      ? l10n.t('Send {0} operation(s) of this run again in tenant {1} ({2}) as {3}?', String(chosen.length), tenant, cloud, account.username)
      : l10n.t('Send {0} operation(s) whose outcome was unknown again in tenant {1} ({2}) as {3}?', String(chosen.length), tenant, cloud, account.username);
  const shown = chosen
    .slice(0, 10)
    .map(
      (item) =>
        `${item.file} → ${item.target?.device ?? item.target?.app ?? item.registrationId} (${item.result?.outcome}${item.result?.status ? `, HTTP ${item.result.status}` : ''})`,
    );
  if (chosen.length > shown.length) shown.push(l10n.t('… and {0} more', String(chosen.length - shown.length)));
  const why =
    which === 'failures'
      ? l10n.t("Only items whose answer proves nothing was created (failed, not sent, cancelled); the run's created and unknown items are left as they are.")
      : l10n.t(
          "A check found none of them among the registrations' operations; each is checked once more just before, and sent only if still absent. An operation created too late to be listed would be created twice.",
        );
  const confirmed = await services.ports.interaction.confirm(message, [...shown, '', why].join('\n'), l10n.t('Send {0} Again', String(chosen.length)));
  services.log.info(
    `[runs] ${confirmed ? 'confirmed' : 'not confirmed'}: ${which === 'failures' ? 'definite failures' : 'unknown ones not found'} of run ${run.id} (${chosen.length}), tenant ${tenant}, ${cloud}, as ${account.username}`,
  );
  return confirmed;
}
