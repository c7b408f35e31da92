import type { ApiVersion } from '../clouds';
import type { GraphClient } from '../graphClient';
import type { Changes } from './changes';
import type { ClockSkew } from './clockSkew';
import type { EngineClock } from './engineClock';
import type { ItemResult } from './jobTypes';
import type { Claimant } from './matchOperations';
import { checkRegistration } from './reconcile';
import type { ResumeState } from './resumeState';
import type { RunSettings } from './runOptions';
import type { ItemState } from './sendContext';

export interface ChecksHost {
  readonly client: GraphClient;
  readonly apiVersion: ApiVersion;
  readonly clock: EngineClock;
  readonly skew: ClockSkew;
  readonly settings: RunSettings;
  readonly counters: { httpRequests: number };
  /** Aborted when the run stops: a listing in progress is given up (it only reads). */
  readonly signal: AbortSignal;
  readonly states: readonly ItemState[];
  readonly changes: Changes;
  canResend(): boolean;
  /** The item's result after a check (journaled, then final). */
  settle(state: ItemState, result: ItemResult): void;
  /** A result the journal already holds: final, not written again. */
  adopt(state: ItemState, result: ItemResult): void;
  /** Queue the item to be sent again; `checked` says the check found nothing. */
  resend(state: ItemState, checked: ItemResult): void;
}

/**
 * Unknown outcomes, settled registration by registration: once nothing for the registration is in flight
 * and its unknown items' last answers are `settleMs` old, its operations are listed (while other
 * registrations' items go on being sent; none is sent to a registration while it is being checked).
 */
export class RegistrationChecks {
  private readonly byRegistration = new Map<string, ItemState[]>();
  private readonly knownIds = new Map<string, Set<string>>();
  private readonly waiting = new Set<string>();
  private readonly running = new Set<string>();
  private readonly resumed = new Set<ItemState>();

  constructor(private readonly host: ChecksHost) {
    for (const state of host.states) {
      const registration = registrationOf(state);
      const list = this.byRegistration.get(registration) ?? [];
      list.push(state);
      this.byRegistration.set(registration, list);
    }
  }

  /** Takes what the journal knows about the item; false when it is simply to be sent. */
  resume(state: ItemState, journal: ResumeState | undefined): boolean {
    const known = journal?.items.get(state.item.key);
    if (!known) return false;
    const { last } = known;
    const { key, file, registrationId } = state.item;
    const ids = { ...(last?.clientRequestId ? { clientRequestId: last.clientRequestId } : {}), ...(last?.requestId ? { requestId: last.requestId } : {}) };
    if (last?.outcome === 'created' && !known.sentSinceResult) {
      this.host.adopt(state, {
        key,
        file,
        registrationId,
        outcome: 'created',
        attempts: 0,
        fromJournal: true,
        ...ids,
        ...(last.status !== undefined ? { status: last.status } : {}),
        ...(last.operationId ? { operationId: last.operationId } : {}),
        ...(last.firstSentAt !== undefined ? { firstSentAt: last.firstSentAt } : {}),
        ...(last.reconciliation ? { reconciliation: last.reconciliation } : {}),
      });
      return true;
    }
    if (!known.sentSinceResult && last?.outcome !== 'unknown') return false;
    if (known.firstSentAt !== undefined) state.firstSentAt = known.firstSentAt;
    const reason = known.sentSinceResult ? 'Sent by an earlier run that stopped before its answer was known.' : (last?.message ?? 'Unknown in an earlier run.');
    const result: ItemResult = {
      key,
      file,
      registrationId,
      outcome: 'unknown',
      attempts: 0,
      reason,
      ...ids,
      ...(state.firstSentAt !== undefined ? { firstSentAt: state.firstSentAt } : {}),
    };
    if (this.host.settings.reconcile && state.firstSentAt !== undefined) {
      this.await(state, result);
      this.resumed.add(state);
    } else {
      this.host.settle(state, { ...result, reconciliation: { checkedAt: this.host.clock.now(), found: false, failure: 'not checked' } });
    }
    return true;
  }

  /** Resumed unknown items are checked before anything is sent. */
  resumedPending(): boolean {
    return this.resumed.size > 0;
  }

  isChecking(registrationId: string): boolean {
    return this.running.has(registrationId.toLowerCase());
  }

  busy(): boolean {
    return this.running.size > 0;
  }

  await(state: ItemState, result: ItemResult): void {
    state.phase = 'checking';
    state.result = result;
    this.waiting.add(registrationOf(state));
  }

  noteFinal(state: ItemState, result: ItemResult): void {
    if (result.outcome === 'created' && result.operationId) this.idsOf(registrationOf(state)).add(result.operationId.toLowerCase());
  }

  /** Items still waiting for a check stay as they are (the run is stopping). */
  giveUpWaiting(finalize: (state: ItemState) => void): void {
    for (const registration of this.waiting) {
      for (const state of this.byRegistration.get(registration) ?? []) {
        if (state.phase === 'checking') {
          this.resumed.delete(state);
          finalize(state);
        }
      }
    }
    this.waiting.clear();
  }

  /** Starts the checks that are due; sets an alarm for the next one. */
  start(allowed: boolean): void {
    if (!allowed) return;
    const now = this.host.clock.now();
    let earliest = Infinity;
    for (const registration of [...this.waiting]) {
      if (this.running.size >= this.host.settings.maxConcurrency) break;
      const states = this.byRegistration.get(registration) ?? [];
      if (states.some((state) => state.phase === 'sending')) continue;
      const due = states.filter((state) => state.phase === 'checking');
      if (due.length === 0) {
        this.waiting.delete(registration);
        continue;
      }
      const readyAt = Math.max(...due.map((state) => (state.lastAnsweredAt ?? state.firstSentAt ?? now) + this.host.settings.settleMs));
      if (readyAt > now) {
        earliest = Math.min(earliest, readyAt);
        continue;
      }
      this.waiting.delete(registration);
      this.running.add(registration);
      void this.check(registration, states, due).finally(() => {
        this.running.delete(registration);
        this.host.changes.notify();
      });
    }
    if (earliest < Infinity) this.host.changes.alarmAt(earliest);
  }

  private async check(registration: string, states: readonly ItemState[], due: readonly ItemState[]): Promise<void> {
    const { host } = this;
    const claimants: Claimant[] = states
      .filter(
        (state) => state.phase === 'checking' || state.result?.outcome === 'unknown' || (state.result?.outcome === 'created' && !state.result.operationId),
      )
      .map((state) => ({
        index: state.index,
        firstSentAt: state.firstSentAt ?? state.result?.firstSentAt ?? 0,
        body: state.item.body,
        ...(state.result?.outcome === 'created' ? { created: true } : {}),
      }));
    const known = this.idsOf(registration);
    const outcome = await checkRegistration(host.client, host.apiVersion, due[0]!.item.registrationId, claimants, known, host.skew, host.clock, host.signal);
    host.counters.httpRequests += outcome.requests;
    for (const state of due) {
      this.resumed.delete(state);
      const base = state.result!;
      const checkedAt = outcome.checkedAt;
      const verdict = outcome.verdicts?.get(state.index);
      if (!verdict) {
        host.settle(state, { ...base, reconciliation: { checkedAt, found: false, failure: outcome.failure ?? 'not checked' } });
      } else if (verdict.kind === 'found') {
        known.add(verdict.operationId.toLowerCase());
        host.settle(state, {
          ...base,
          outcome: 'created',
          operationId: verdict.operationId,
          reconciliation: { checkedAt, found: true, operationId: verdict.operationId },
        });
      } else if (verdict.kind === 'ambiguous') {
        host.settle(state, { ...base, reconciliation: { checkedAt, found: false, ambiguousOperationId: verdict.operationId } });
      } else {
        const checked: ItemResult = { ...base, reconciliation: { checkedAt, found: false } };
        if (host.settings.resendUnknown && state.resends < host.settings.maxResends && host.canResend()) host.resend(state, checked);
        else host.settle(state, checked);
      }
    }
  }

  private idsOf(registration: string): Set<string> {
    let ids = this.knownIds.get(registration);
    if (!ids) this.knownIds.set(registration, (ids = new Set()));
    return ids;
  }
}

function registrationOf(state: ItemState): string {
  return state.item.registrationId.toLowerCase();
}
