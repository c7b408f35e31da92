// JSON bodies of the /_emulator/ control surface, checked and turned into the emulator's own types.
import type { Fault, RandomFaults, SampleRegistration, WindowLimit, WriteLimitOptions } from './types';

const FAULT_FIELDS: Record<string, 'string' | 'number' | 'boolean'> = {
  method: 'string',
  inBatch: 'boolean',
  skip: 'number',
  times: 'number',
  status: 'number',
  code: 'string',
  retryAfter: 'string',
  delayMs: 'number',
  reset: 'boolean',
  processFirst: 'boolean',
  html: 'boolean',
  emptyBody: 'boolean',
  intuneMessage: 'string',
  redirectTo: 'string',
  redirectStatus: 'number',
  echoAuthorization: 'boolean',
  wwwAuthenticate: 'string',
};

/** A Fault from JSON, where a pattern is written `{"pathRegExp": "..."}` (top level or as `path`). */
export function faultFromJson(value: unknown): Fault | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'A fault must be a JSON object.';
  const fault: Record<string, unknown> = {};
  let pattern: unknown;
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'path') {
      if (typeof field === 'string') fault.path = field;
      else if (field !== null && typeof field === 'object' && 'pathRegExp' in field) pattern = (field as { pathRegExp: unknown }).pathRegExp;
      else return '\'path\' must be a string or {"pathRegExp": "..."}.';
    } else if (key === 'pathRegExp') {
      pattern = field;
    } else if (key === 'retryAfter' && typeof field === 'number') {
      fault.retryAfter = String(field);
    } else if (FAULT_FIELDS[key] !== undefined) {
      if (typeof field !== FAULT_FIELDS[key]) return `'${key}' must be a ${FAULT_FIELDS[key]}.`;
      fault[key] = field;
    } else {
      return `Unknown fault field '${key}'.`;
    }
  }
  if (pattern !== undefined) {
    if (typeof pattern !== 'string') return "'pathRegExp' must be a string.";
    try {
      fault.path = new RegExp(pattern);
    } catch {
      return `'${pattern}' is not a valid regular expression.`;
    }
  }
  return fault as Fault;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function limitFromJson(value: unknown, name: string): WindowLimit | null | string {
  if (value === null) return null;
  if (!isObject(value) || typeof value.writesPerWindow !== 'number' || typeof value.windowMs !== 'number' || Object.keys(value).length !== 2) {
    return `'${name}' must be null or {"writesPerWindow": <number>, "windowMs": <number>}.`;
  }
  return { writesPerWindow: value.writesPerWindow, windowMs: value.windowMs };
}

/** A change of write limits: any of perApp, perTenant (a limit or null) and retryAfterDecimals. */
export function writeLimitsFromJson(value: unknown): WriteLimitOptions | string {
  if (!isObject(value)) return 'Write limits must be a JSON object.';
  const change: WriteLimitOptions = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === 'perApp' || key === 'perTenant') {
      const limit = limitFromJson(field, key);
      if (typeof limit === 'string') return limit;
      change[key] = limit;
    } else if (key === 'retryAfterDecimals') {
      if (typeof field !== 'number') return "'retryAfterDecimals' must be a number.";
      change.retryAfterDecimals = field;
    } else {
      return `Unknown write limit field '${key}'.`;
    }
  }
  return change;
}

const RANDOM_FAULT_FIELDS: Record<string, 'number' | 'string' | 'statuses'> = {
  probability: 'number',
  seed: 'number',
  statuses: 'statuses',
  createdShare: 'number',
  resetShare: 'number',
  delayMs: 'number',
  retryAfter: 'string',
};

/** Random faults from JSON; their ranges are checked when they are applied. */
export function randomFaultsFromJson(value: unknown): RandomFaults | string {
  if (!isObject(value)) return 'Random faults must be a JSON object.';
  for (const [key, field] of Object.entries(value)) {
    const kind = RANDOM_FAULT_FIELDS[key];
    if (kind === undefined) return `Unknown random fault field '${key}'.`;
    if (kind === 'statuses' ? !Array.isArray(field) || field.some((status) => typeof status !== 'number') : typeof field !== kind) {
      return `'${key}' must be ${kind === 'statuses' ? 'a list of numbers' : `a ${kind}`}.`;
    }
  }
  if (value.probability === undefined) return "Random faults need a 'probability'.";
  return value as unknown as RandomFaults;
}

export type TenantChange = { generate: number; seed?: number } | { registrations: SampleRegistration[] };

/** `{"generate": <count>, "seed": <n>}` for a synthetic tenant, or `{"registrations": [...]}`. */
export function registrationsFromJson(value: unknown): TenantChange | string {
  if (isObject(value) && typeof value.generate === 'number' && Object.keys(value).every((key) => key === 'generate' || key === 'seed')) {
    if (value.seed !== undefined && typeof value.seed !== 'number') return "'seed' must be a number.";
    return value.seed === undefined ? { generate: value.generate } : { generate: value.generate, seed: value.seed };
  }
  if (isObject(value) && Array.isArray(value.registrations) && Object.keys(value).length === 1) {
    return { registrations: value.registrations as SampleRegistration[] };
  }
  return 'Send {"generate": <count>, "seed": <number>} or {"registrations": [...]}.';
}
