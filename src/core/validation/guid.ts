import { randomUUID } from 'node:crypto';

const guidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && guidPattern.test(value);
}

export function newGuid(): string {
  return randomUUID();
}
