import { randomBytes, randomUUID } from 'node:crypto';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newGuid(): string {
  return randomUUID();
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Graph's DateTimeOffset style: seven fractional digits and Z, e.g. 2025-01-22T19:17:04.1234567Z. */
export function graphTimestamp(now: Date = new Date()): string {
  const subMillisecond = String(Number(process.hrtime.bigint() % 10000n)).padStart(4, '0');
  return `${now.toISOString().slice(0, 23)}${subMillisecond}Z`;
}

/** innerError.date style: seconds precision, no zone designator. */
export function errorDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}
