// The /_emulator/ control surface for controllers in other processes. No auth: the server is loopback-only,
// and the Host/Origin checks keep web pages (DNS rebinding, cross-site posts) from driving it.
import { faultFromJson, randomFaultsFromJson, registrationsFromJson, writeLimitsFromJson } from './adminJson';
import { generateRegistrations } from './generatedTenant';
import type { Emulator, RandomFaults, RecordedRequest, TokenClaims } from './types';

export const ADMIN_PREFIX = '/_emulator/';

export interface AdminControls extends Pick<
  Emulator,
  'injectFault' | 'clearFaults' | 'reset' | 'operationsOf' | 'stats' | 'writeLimits' | 'setWriteLimits' | 'setRandomFaults' | 'setRegistrations'
> {
  requests(): RecordedRequest[];
  mintToken(claims: Partial<TokenClaims>): string;
  randomFaults(): RandomFaults | undefined;
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

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return headers.authorization === undefined ? headers : { ...headers, authorization: '[redacted]' };
}

function redacted(request: RecordedRequest): RecordedRequest {
  const copy: RecordedRequest = { ...request, headers: withoutAuthorization(request.headers) };
  if (request.batchSteps) copy.batchSteps = request.batchSteps.map((step) => ({ ...step, headers: withoutAuthorization(step.headers) }));
  return copy;
}

/** Runs a control that may refuse its input with a RangeError, as a 400. */
function attempt(apply: () => AdminAnswer): AdminAnswer {
  try {
    return apply();
  } catch (error) {
    if (error instanceof RangeError) return failure(400, error.message);
    throw error;
  }
}

/** The JSON body of a request, checked by `read`, or the 400 that says what is wrong. */
function readBody<T>(body: string, read: (value: unknown) => T | string): { value: T } | { error: AdminAnswer } {
  const parsed = parseJson(body);
  if ('error' in parsed) return { error: failure(400, parsed.error) };
  const value = read(parsed.value);
  return typeof value === 'string' ? { error: failure(400, value) } : { value };
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
    const fault = readBody(request.body, faultFromJson);
    if ('error' in fault) return fault.error;
    return attempt(() => {
      controls.injectFault(fault.value);
      return { status: 204 };
    });
  }
  if (route === 'GET stats') return { status: 200, body: controls.stats() };
  if (route === 'GET limits') return { status: 200, body: controls.writeLimits() };
  if (route === 'PUT limits') {
    const change = readBody(request.body, writeLimitsFromJson);
    if ('error' in change) return change.error;
    return attempt(() => ({ status: 200, body: controls.setWriteLimits(change.value) }));
  }
  if (route === 'GET random-faults') return { status: 200, body: controls.randomFaults() ?? null };
  if (route === 'PUT random-faults') {
    const faults = readBody(request.body, randomFaultsFromJson);
    if ('error' in faults) return faults.error;
    return attempt(() => {
      controls.setRandomFaults(faults.value);
      return { status: 200, body: controls.randomFaults() };
    });
  }
  if (route === 'DELETE random-faults') {
    controls.setRandomFaults(undefined);
    return { status: 204 };
  }
  if (route === 'PUT registrations') {
    const tenant = readBody(request.body, registrationsFromJson);
    if ('error' in tenant) return tenant.error;
    return attempt(() => {
      const registrations = 'generate' in tenant.value ? generateRegistrations(tenant.value.generate, tenant.value.seed) : tenant.value.registrations;
      controls.setRegistrations(registrations);
      return { status: 200, body: { count: registrations.length, ids: registrations.map((registration) => registration.id) } };
    });
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
