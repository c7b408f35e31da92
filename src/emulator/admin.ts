// The /_emulator/ control surface for controllers in other processes. No auth: the server is loopback-only,
// and the Host/Origin checks keep web pages (DNS rebinding, cross-site posts) from driving it.
import type { Fault, RecordedRequest, TokenClaims } from './types';

export const ADMIN_PREFIX = '/_emulator/';

export interface AdminControls {
  injectFault(fault: Fault): void;
  clearFaults(): void;
  requests(): RecordedRequest[];
  mintToken(claims: Partial<TokenClaims>): string;
  reset(): void;
  operationsOf(registrationId: string): Record<string, unknown>[];
}

export interface AdminRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: string;
}

export interface AdminAnswer {
  status: number;
  body?: unknown;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;
const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

function failure(status: number, message: string): AdminAnswer {
  return { status, body: { error: { code: 'EmulatorAdminError', message } } };
}

function parseJson(body: string): { value: unknown } | { error: string } {
  if (body.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(body) };
  } catch {
    return { error: 'The body is not valid JSON.' };
  }
}

const FAULT_FIELDS: Record<string, 'string' | 'number' | 'boolean'> = {
  method: 'string',
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
      else return "'path' must be a string or {\"pathRegExp\": \"...\"}.";
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

function redacted(request: RecordedRequest): RecordedRequest {
  const headers = { ...request.headers };
  if (headers.authorization !== undefined) headers.authorization = '[redacted]';
  return { ...request, headers };
}

export function handleAdmin(request: AdminRequest, controls: AdminControls): AdminAnswer {
  const host = request.headers.host;
  const origin = request.headers.origin;
  if ((host !== undefined && !LOOPBACK_HOST.test(host)) || (origin !== undefined && !LOOPBACK_ORIGIN.test(origin))) {
    return failure(403, 'The emulator control surface only answers loopback callers.');
  }

  const path = request.target.split('?')[0].slice(ADMIN_PREFIX.length);
  const route = `${request.method} ${path}`;
  if (route === 'POST faults') {
    const parsed = parseJson(request.body);
    if ('error' in parsed) return failure(400, parsed.error);
    const fault = faultFromJson(parsed.value);
    if (typeof fault === 'string') return failure(400, fault);
    try {
      controls.injectFault(fault);
    } catch (error) {
      return failure(400, error instanceof Error ? error.message : String(error));
    }
    return { status: 204 };
  }
  if (route === 'DELETE faults') {
    controls.clearFaults();
    return { status: 204 };
  }
  if (route === 'GET requests') return { status: 200, body: controls.requests().map(redacted) };
  if (route === 'POST token') {
    const parsed = parseJson(request.body);
    if ('error' in parsed) return failure(400, parsed.error);
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      return failure(400, 'Claims must be a JSON object.');
    }
    const accessToken = controls.mintToken(parsed.value as Partial<TokenClaims>);
    return { status: 200, body: { access_token: accessToken, token_type: 'Bearer' } };
  }
  if (route === 'POST reset') {
    controls.reset();
    return { status: 204 };
  }
  const operations = /^operations\/([^/]+)$/.exec(path);
  if (request.method === 'GET' && operations) {
    let registrationId: string;
    try {
      registrationId = decodeURIComponent(operations[1]);
    } catch {
      return failure(400, 'The registration id is not correctly percent-encoded.');
    }
    return { status: 200, body: controls.operationsOf(registrationId) };
  }
  return failure(404, `No emulator control endpoint for ${request.method} ${ADMIN_PREFIX}${path}.`);
}
