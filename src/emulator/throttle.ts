// Intune's write limits: sliding windows per app per tenant and per tenant. Only admitted writes count.

import type { WindowLimit, WriteLimitSettings } from './types';

/** Who writes: the token's tenant and app, lower case ('' when the claim is missing). */
export interface Writer {
  tenant: string;
  app: string;
}

export type WriteAdmission = { admitted: true } | { admitted: false; limit: 'perApp' | 'perTenant'; retryAfter: string; waitMs: number };

export const INTUNE_WRITE_LIMITS: WriteLimitSettings = {
  perApp: { writesPerWindow: 100, windowMs: 20_000 },
  perTenant: { writesPerWindow: 200, windowMs: 20_000 },
  retryAfterDecimals: 3,
};

export function checkLimit(limit: WindowLimit | null, name: string): void {
  if (limit === null) return;
  if (!Number.isInteger(limit.writesPerWindow) || limit.writesPerWindow < 1 || !Number.isFinite(limit.windowMs) || !(limit.windowMs > 0)) {
    throw new RangeError(`The ${name} write limit needs a whole writesPerWindow >= 1 and a windowMs > 0.`);
  }
}

export function checkWriteLimits(limits: WriteLimitSettings): void {
  checkLimit(limits.perApp, 'per-app');
  checkLimit(limits.perTenant, 'per-tenant');
  if (![0, 1, 2, 3].includes(limits.retryAfterDecimals)) throw new RangeError('retryAfterDecimals must be 0, 1, 2 or 3.');
}

/** Seconds, rounded up to `decimals` places and at least one unit of that precision, without trailing zeros. */
export function formatRetryAfter(waitMs: number, decimals: number): string {
  const unitsPerSecond = 10 ** decimals;
  const units = Math.max(1, Math.ceil((waitMs * unitsPerSecond) / 1000 - 1e-9));
  const whole = Math.floor(units / unitsPerSecond);
  const fraction = String(units % unitsPerSecond)
    .padStart(decimals, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** Admission times of one writer key, oldest first; `head` skips the ones that left every window. */
class AdmissionLog {
  private times: number[] = [];
  private head = 0;

  forget(olderThanOrAt: number): void {
    while (this.head < this.times.length && this.times[this.head] <= olderThanOrAt) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Admissions after `since`, counted up to `cap`. */
  countAfter(since: number, cap: number): number {
    let count = 0;
    for (let index = this.times.length - 1; count < cap && index >= this.head && this.times[index] > since; index--) count++;
    return count;
  }

  /** The admission time `fromNewest` places before the newest (0: the newest). */
  nthNewest(fromNewest: number): number {
    return this.times[this.times.length - 1 - fromNewest];
  }

  add(at: number): void {
    this.times.push(at);
  }
}

export class WriteLimiter {
  private readonly logs = new Map<string, AdmissionLog>();
  private limits: WriteLimitSettings;
  /** How long admissions are remembered: the longest window configured since the last reset. */
  private retentionMs: number;

  /** `clock` returns milliseconds and must not go backwards. */
  constructor(
    limits: WriteLimitSettings,
    private readonly clock: () => number = () => performance.now(),
  ) {
    checkWriteLimits(limits);
    this.limits = structuredClone(limits);
    this.retentionMs = longestWindow(limits);
  }

  get current(): WriteLimitSettings {
    return structuredClone(this.limits);
  }

  /** Changes the limits; writes already admitted keep counting against the new windows. */
  configure(limits: WriteLimitSettings): void {
    checkWriteLimits(limits);
    this.limits = structuredClone(limits);
    this.retentionMs = Math.max(this.retentionMs, longestWindow(limits));
  }

  admit(writer: Writer, now = this.clock()): WriteAdmission {
    const windows: { name: 'perApp' | 'perTenant'; limit: WindowLimit; log: AdmissionLog }[] = [];
    if (this.limits.perApp) windows.push({ name: 'perApp', limit: this.limits.perApp, log: this.logFor(`app ${writer.tenant} ${writer.app}`, now) });
    if (this.limits.perTenant) windows.push({ name: 'perTenant', limit: this.limits.perTenant, log: this.logFor(`tenant ${writer.tenant}`, now) });

    let blocking: { name: 'perApp' | 'perTenant'; freesAt: number } | undefined;
    for (const { name, limit, log } of windows) {
      const inWindow = log.countAfter(now - limit.windowMs, limit.writesPerWindow);
      if (inWindow < limit.writesPerWindow) continue;
      // A slot frees when enough of the writes in the window have left it for one more to fit.
      const freesAt = log.nthNewest(limit.writesPerWindow - 1) + limit.windowMs;
      if (!blocking || freesAt > blocking.freesAt) blocking = { name, freesAt };
    }
    if (blocking) {
      const waitMs = Math.max(0, blocking.freesAt - now);
      return { admitted: false, limit: blocking.name, waitMs, retryAfter: formatRetryAfter(waitMs, this.limits.retryAfterDecimals) };
    }
    for (const { log } of windows) log.add(now);
    return { admitted: true };
  }

  reset(limits?: WriteLimitSettings): void {
    this.logs.clear();
    if (limits) {
      checkWriteLimits(limits);
      this.limits = structuredClone(limits);
    }
    this.retentionMs = longestWindow(this.limits);
  }

  private logFor(key: string, now: number): AdmissionLog {
    let log = this.logs.get(key);
    if (!log) {
      log = new AdmissionLog();
      this.logs.set(key, log);
    }
    log.forget(now - this.retentionMs);
    return log;
  }
}

function longestWindow(limits: WriteLimitSettings): number {
  return Math.max(limits.perApp?.windowMs ?? 0, limits.perTenant?.windowMs ?? 0);
}
