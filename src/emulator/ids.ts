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

/** innerError.date style: seconds precision, no zone designator. */
export function errorDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}
