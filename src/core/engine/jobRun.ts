import { isGuid, newGuid } from '../validation';
import { maxBatchRequests } from './batchEnvelope';
import { ClockSkew } from './clockSkew';
import { ConcurrencyTarget } from './concurrency';
import { noLongerNeeded } from './engineClock';
import { Changes } from './changes';
import type { ItemResult, JobItem, JobProgress, JobReport } from './jobTypes';
import { journalResultRecord } from './journalResult';
import { notSentResult, stoppedResult } from './itemResults';
import { pickNextRequest } from './nextRequest';
import { OrderedResults } from './orderedResults';
import { ProgressTracker } from './progressTracker';
import { RegistrationChecks } from './registrationChecks';
import { defaultRunSettings, type RunOptions, type RunSettings } from './runOptions';
import { sendBatch } from './sendBatch';
import type { ItemState, SendContext, SendReport } from './sendContext';
import { sendDirect } from './sendDirect';
import { summarize } from './summary';
import { WritePacer, type WriteTicket } from './writePacer';

/** One run of a job: the dispatcher, the sends in flight, the checks, stopping. See runJob. */
export class JobRun {
  private readonly settings: RunSettings;
  private readonly states: ItemState[];
  private readonly queue: ItemState[] = [];
  private readonly sending = new Set<Promise<void>>();
  private readonly changes: Changes;
  private readonly ordered: OrderedResults;
  private readonly progress: ProgressTracker;
  private readonly pacer: WritePacer;
  private readonly skew = new ClockSkew();
  private readonly context: SendContext;
  private readonly checks: RegistrationChecks;
  private readonly stopController = new AbortController();
  private readonly inFlight = new AbortController();
  /** Ends the grace given to what is in flight after a stop, once the run is over. */
  private readonly graceOver = new AbortController();
  private readonly counters = { throttled: 0, httpRequests: 0 };
  private readonly started: number;
  private stopping: 'no' | 'asked' | 'failure' = 'no';
  private stoppedBy: Error | undefined;
  private fatal: Error | undefined;
  private batchingOff = false;
  private over = false;

  constructor(
    items: readonly JobItem[],
    private readonly options: RunOptions,
  ) {
    this.settings = defaultRunSettings(options);
    const { clock } = this.settings;
    this.started = clock.now();
    this.changes = new Changes(clock);
    this.states = items.map((item, index) => ({
      index,
      item,
      clientRequestId: newGuid(),
      attempts: 0,
      journaled: false,
      resends: 0,
      direct: false,
      phase: 'queued',
    }));
    this.ordered = new OrderedResults(items.length, (result, index) => {
      if (!this.fatal) options.onResult?.(result, index);
    });
    this.progress = new ProgressTracker(items.length, this.started);
    this.pacer = new WritePacer(this.settings.writeLimit, clock);
    this.context = {
      client: options.client,
      apiVersion: options.apiVersion,
      pacer: this.pacer,
      clock,
      skew: this.skew,
      latency: { direct: new ConcurrencyTarget(this.settings.maxConcurrency), batch: new ConcurrencyTarget(this.settings.maxConcurrency) },
      stopStarting: this.stopController.signal,
      inFlight: this.inFlight.signal,
      maxRetries: this.settings.maxRetries,
      counters: this.counters,
      noteSending: (states, at, via) => this.noteSending(states, at, via),
    };
    this.checks = new RegistrationChecks({
      client: options.client,
      apiVersion: options.apiVersion,
      clock,
      skew: this.skew,
      settings: this.settings,
      counters: this.counters,
      signal: this.stopController.signal,
      states: this.states,
      changes: this.changes,
      canResend: () => this.stopping === 'no',
      settle: (state, result) => this.settle(state, result),
      adopt: (state, result) => this.finalize(state, result),
      resend: (state, checked) => this.resend(state, checked),
    });
  }

  async run(): Promise<JobReport> {
    const { signal, stopNow } = this.options;
    const onStop = (): void => this.stop('asked');
    const onStopNow = (): void => {
      this.inFlight.abort();
      this.stop('asked');
    };
    signal?.addEventListener('abort', onStop, { once: true });
    stopNow?.addEventListener('abort', onStopNow, { once: true });
    try {
      this.admit();
      if (signal?.aborted) onStop();
      if (stopNow?.aborted) onStopNow();
      const dispatcher = this.dispatch();
      const heartbeat = this.changes.every(1000, () => this.publish());
      while (!this.isOver()) {
        this.checks.start(this.stopping === 'no');
        this.publish();
        if (this.isOver()) break;
        await this.changes.next();
      }
      this.over = true;
      this.changes.dispose();
      await Promise.all([dispatcher, heartbeat]);
    } finally {
      signal?.removeEventListener('abort', onStop);
      stopNow?.removeEventListener('abort', onStopNow);
      this.graceOver.abort(noLongerNeeded);
      this.changes.dispose();
    }
    if (this.fatal) throw this.fatal;
    this.publish('done');
    const results = this.ordered.all();
    return { results, summary: summarize(results, this.started, this.settings.clock.now(), this.stopping === 'asked', this.counters, this.pacer.limit) };
  }

  /** Refuses what cannot be sent, takes what the journal already knows, and queues the rest. */
  private admit(): void {
    const seen = new Set<string>();
    for (const state of this.states) {
      const { item } = state;
      if (!isGuid(item.registrationId))
        this.finalize(state, notSentResult(state, 'invalid', `The registration id ${JSON.stringify(String(item.registrationId).slice(0, 80))} is not a GUID.`));
      else if (seen.has(item.key))
        this.finalize(state, notSentResult(state, 'invalid', `The item ${JSON.stringify(item.key)} is named twice; it is sent once.`));
      else if (!this.checks.resume(state, this.options.resume)) this.queue.push(state);
      seen.add(item.key);
    }
    for (const sample of this.options.resume?.samples ?? []) this.skew.add(sample);
  }

  private async dispatch(): Promise<void> {
    while (!this.over && this.stopping === 'no') {
      const group = this.nextGroup();
      if (!group) {
        await this.changes.next();
        continue;
      }
      for (const state of group) {
        state.phase = 'sending';
        this.queue.splice(this.queue.indexOf(state), 1);
      }
      let ticket: WriteTicket;
      try {
        ticket = await this.pacer.acquire(group.length, this.stopController.signal);
      } catch {
        this.putBack(group);
        return;
      }
      this.launch(group, ticket);
    }
  }

  /** The next request to start, when one may start now: a batch, or one item on its own. */
  private nextGroup(): ItemState[] | undefined {
    if (this.checks.resumedPending() || this.queue.length === 0) return undefined;
    const now = this.settings.clock.now();
    const limit = this.pacer.limit;
    const batching = this.settings.batching && !this.batchingOff;
    const perRequest = batching ? Math.min(maxBatchRequests, limit.writes) : 1;
    const latency = batching ? this.context.latency.batch : this.context.latency.direct;
    if (this.sending.size >= latency.current(limit.writes / limit.windowMs, perRequest)) return undefined;
    const next = pickNextRequest(this.queue, { batching, perRequest, now, busy: (state) => this.checks.isChecking(state.item.registrationId) });
    if (next.wakeAt !== undefined) this.changes.alarmAt(next.wakeAt);
    return next.group;
  }

  private launch(group: ItemState[], ticket: WriteTicket): void {
    const sent: Promise<SendReport> = group.length === 1 ? sendDirect(this.context, group[0]!, ticket) : sendBatch(this.context, group, ticket);
    const done: Promise<void> = sent
      .then((report) => this.absorb(report))
      .catch((error: unknown) => {
        // Something broke around the send (the journal could not be written): nothing more starts, and what
        // this request carried cannot be known.
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const state of group) {
          if (state.phase === 'sending')
            this.finalize(state, {
              ...notSentResult(state, 'skipped', ''),
              outcome: state.attempts > 0 ? 'unknown' : 'skipped',
              reason: `Stopped by an error: ${failure.message}`,
            });
        }
        this.stop('failure', failure);
      })
      .finally(() => {
        this.sending.delete(done);
        this.changes.notify();
      });
    this.sending.add(done);
  }

  private absorb(report: SendReport): void {
    // A failure before any request left (a sign-in, the permission pre-flight) is the run's, not the items'.
    if (report.stoppedBy && this.counters.httpRequests === 0) this.fatal ??= report.stoppedBy;
    const again: ItemState[] = [];
    for (const [state, verdict] of report.verdicts) {
      if (verdict.kind === 'done') {
        this.settle(state, verdict.result);
        continue;
      }
      state.direct ||= verdict.kind === 'direct';
      state.phase = 'queued';
      again.push(state);
    }
    this.queue.unshift(...again.sort((a, b) => a.index - b.index));
    if (report.batchingRefused) this.batchingOff = true;
    if (report.stoppedBy) this.stop('failure', report.stoppedBy);
  }

  /** An item's result as its send (or check) left it: final, or unknown and waiting to be checked. */
  private settle(state: ItemState, result: ItemResult): void {
    const before = state.beforeResend;
    let settled = result;
    if (before) {
      // A resend stopped before it left keeps the unknown result it started from.
      const neverLeft = (result.outcome === 'skipped' || result.outcome === 'cancelled') && result.attempts === before.attempts;
      settled = neverLeft ? before : { ...result, resent: true };
    }
    if (settled !== before) this.options.journal?.result(journalResultRecord(state, settled, this.settings.clock.now()));
    if (state.direct && settled.outcome === 'created' && settled.via === 'direct') this.batchingOff = true;
    if (settled.outcome === 'unknown' && !settled.reconciliation && this.settings.reconcile && this.stopping === 'no') {
      this.checks.await(state, settled);
      this.progress.record(state.index, 'unknown', this.settings.clock.now());
      return;
    }
    this.finalize(state, settled);
  }

  /** A check found nothing and resending was asked for: the item goes back in the queue, as a new round. */
  private resend(state: ItemState, checked: ItemResult): void {
    this.options.journal?.result(journalResultRecord(state, checked, this.settings.clock.now()));
    Object.assign(state, {
      beforeResend: checked,
      result: checked,
      resends: state.resends + 1,
      journaled: false,
      direct: false,
      notBefore: undefined,
      phase: 'queued',
    });
    this.queue.push(state);
  }

  private finalize(state: ItemState, result: ItemResult): void {
    state.phase = 'done';
    state.result = result;
    this.checks.noteFinal(state, result);
    this.progress.record(state.index, result.outcome, this.settings.clock.now());
    this.ordered.set(state.index, result);
  }

  private noteSending(states: readonly ItemState[], at: number, via: 'direct' | 'batch'): void {
    const first = states.filter((state) => !state.journaled);
    this.options.journal?.sending(first.map((state) => ({ type: 'sending', key: state.item.key, at, clientRequestId: state.clientRequestId, via })));
    for (const state of states) {
      state.journaled = true;
      state.attempts += 1;
      state.lastSentAt = at;
      state.firstSentAt ??= at;
    }
  }

  /** Stops starting items: what is queued ends skipped (or cancelled), what waits to be checked stays unknown. */
  private stop(kind: 'asked' | 'failure', error?: Error): void {
    if (this.stopping !== 'no') return;
    this.stopping = kind;
    this.stoppedBy = error;
    this.stopController.abort();
    if (kind === 'asked') {
      this.settings.clock.sleep(this.settings.inFlightGraceMs, AbortSignal.any([this.inFlight.signal, this.graceOver.signal])).then(
        () => this.inFlight.abort(),
        () => undefined,
      );
    }
    this.putBack([]);
    this.checks.giveUpWaiting((state) => this.finalize(state, state.result!));
    this.changes.notify();
  }

  private putBack(group: ItemState[]): void {
    for (const state of group) state.phase = 'queued';
    this.queue.unshift(...group);
    if (this.stopping === 'no') return;
    for (const state of this.queue.splice(0)) this.finalize(state, stoppedResult(state, this.stoppedBy));
  }

  private isOver(): boolean {
    return this.sending.size === 0 && !this.checks.busy() && this.ordered.complete();
  }

  private publish(phase?: JobProgress['phase']): void {
    if (!this.options.onProgress) return;
    const now = this.settings.clock.now();
    const current =
      phase ?? (this.stopping !== 'no' ? 'stopping' : this.queue.length === 0 && this.sending.size === 0 && this.checks.busy() ? 'checking' : 'sending');
    this.options.onProgress(this.progress.snapshot(now, this.sending.size, current, this.pacer.waitingUntil));
  }
}
