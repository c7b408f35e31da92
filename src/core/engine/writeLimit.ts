import { parseRate, settings } from '../settings';

/** At most `writes` writes in any `windowMs` milliseconds. */
export interface WriteLimit {
  readonly writes: number;
  readonly windowMs: number;
}

/** `100/20`: 100 writes per 20 seconds. Undefined when the text is not one or is out of the setting's bounds. */
export function parseWriteLimit(text: string): WriteLimit | undefined {
  const rate = parseRate(settings.writeLimit, text);
  return rate && { writes: rate.count, windowMs: Math.round(rate.seconds * 1000) };
}

export const defaultWriteLimit: WriteLimit = parseWriteLimit(settings.writeLimit.default)!;

export function describeWriteLimit(limit: WriteLimit): string {
  return `${limit.writes} per ${limit.windowMs / 1000} s`;
}
