import { settings } from './settings';

export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** The most time spent waiting between attempts, all waits together. */
  readonly maxTotalWaitMs: number;
  /** First backoff step when the server gives no Retry-After. */
  readonly backoffBaseMs: number;
  /** The longest single backoff step. */
  readonly backoffCapMs: number;
}

export const defaultRetrySettings: RetrySettings = {
  maxRetries: settings.maxRetries.default,
  maxTotalWaitMs: 180_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
};

/**
 * Reads Retry-After in each form HTTP allows plus the fractional seconds Graph sends: "3", "2.128",
 * or an HTTP-date. Returns milliseconds to wait, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients spread out. */
export function backoffDelay(retryNumber: number, settings: RetrySettings, random: () => number = Math.random): number {
  const step = Math.min(settings.backoffCapMs, settings.backoffBaseMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** A POST may be repeated only when the answer proves nothing was created. */
export function isSafeToRepeatPost(status: number): boolean {
  return status === 429 || status === 503;
}

/** Statuses after which a read is repeated. */
export function isRetryableRead(status: number): boolean {
  return status === 429 || status === 503 || status === 502 || status === 504 || status === 500;
}
