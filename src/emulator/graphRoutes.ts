import { handleBatch } from './batch';
import { answerWithFaults, type FaultSources } from './faults';
import { DROP_CONNECTION, type GraphAnswer, type GraphCall, type GraphOutcome, isOperationPost } from './graphCall';
import { DEFAULT_WWW_AUTHENTICATE, errorAnswer, intuneMessage, jsonAnswer } from './graphResponses';
import { isGuid } from './ids';
import { checkOperationPayload } from './operationPayload';
import type { OperationStore } from './operationStore';
import { pageOf } from './paging';
import { forbiddenText, isPermitted, isWriteMethod } from './permissions';
import type { RegistrationDirectory } from './registrationDirectory';
import { ALLOWED_METHODS, parseTarget, resolveRoute, versionOf } from './routeTable';
import type { StatsCounter } from './stats';
import { type GraphVersion, registrationFor, registrationProperties } from './tenant';
import type { WriteLimiter } from './throttle';
import { checkBearer, grantedPermissions, writerOf } from './tokens';
import type { SampleRegistration } from './types';

/** The emulator's state as the Graph routes see it. */
export interface GraphBackend {
  baseUrl: string;
  pageSize: number;
  registrations: RegistrationDirectory;
  operations: OperationStore;
  limiter: WriteLimiter;
  faults: FaultSources;
  stats: StatsCounter;
}

function countCall(call: GraphCall, stats: StatsCounter): void {
  if (call.insideBatch) stats.add('innerRequests');
  if (call.method === 'GET') stats.add('gets');
  else if (isOperationPost(call)) stats.add(call.insideBatch ? 'innerPosts' : 'directPosts');
}

/** Faults first, then normal handling: the entry point for direct calls and for each batch step. */
export async function answerGraphCall(call: GraphCall, backend: GraphBackend): Promise<GraphOutcome> {
  countCall(call, backend.stats);
  const outcome = await answerWithFaults(call, backend.faults, () => routeGraphCall(call, backend));
  if (outcome !== DROP_CONNECTION && outcome.status === 429) backend.stats.add(call.insideBatch ? 'throttledInner' : 'throttledDirect');
  return outcome;
}

async function routeGraphCall(call: GraphCall, backend: GraphBackend): Promise<GraphOutcome> {
  const { segments, rawQuery } = parseTarget(call.target);
  const version = versionOf(segments[0]);
  if (!version) return errorAnswer(call, 400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}`);

  const token = checkBearer(call.headers.authorization);
  if (!token.ok) {
    return errorAnswer(call, 401, 'InvalidAuthenticationToken', token.message, { 'WWW-Authenticate': DEFAULT_WWW_AUTHENTICATE });
  }

  const route = resolveRoute(segments.slice(1));
  if ('unknownSegment' in route) {
    return errorAnswer(call, 400, 'BadRequest', `Resource not found for the segment '${route.unknownSegment}'.`);
  }
  if (!ALLOWED_METHODS[route.kind].includes(call.method)) {
    return errorAnswer(call, 405, 'BadRequest', `The HTTP method '${call.method}' is not allowed on this resource.`, {
      Allow: ALLOWED_METHODS[route.kind].join(', '),
    });
  }
  if (route.kind === 'batch') {
    if (call.insideBatch) return errorAnswer(call, 400, 'BadRequest', 'A batch request cannot contain another batch.');
    backend.stats.add('batchRequests');
    return handleBatch(call, version, (step) => answerGraphCall(step, backend));
  }

  const isWrite = isWriteMethod(call.method);
  if (!isPermitted(grantedPermissions(token.claims), version, isWrite)) {
    return errorAnswer(call, 403, 'Forbidden', intuneMessage(call, forbiddenText(version, isWrite)));
  }
  if (isWrite) {
    const admission = backend.limiter.admit(writerOf(token.claims));
    if (!admission.admitted) {
      return errorAnswer(call, 429, 'TooManyRequests', 'Too many requests. Retry after the time given in Retry-After.', {
        'Retry-After': admission.retryAfter,
      });
    }
    backend.stats.add('writesAdmitted');
  }

  const context = new RouteContext(call, backend, version, rawQuery);
  switch (route.kind) {
    case 'registrations':
      return context.listRegistrations();
    case 'registration':
      return context.getRegistration(route.registrationId);
    case 'operations':
      return call.method === 'POST' ? context.createOperation(route.registrationId) : context.listOperations(route.registrationId);
    case 'operation':
      return context.getOperation(route.registrationId, route.operationId);
  }
}

/** Handlers for one authorized call. */
class RouteContext {
  private readonly versionRoot: string;

  constructor(
    private readonly call: GraphCall,
    private readonly backend: GraphBackend,
    private readonly version: GraphVersion,
    private readonly rawQuery: string,
  ) {
    this.versionRoot = `${backend.baseUrl}/${version}`;
  }

  listRegistrations(): GraphAnswer {
    const rejected = this.rejectQueryOptions(['$top', '$skiptoken', '$select', '$count']);
    if (rejected) return rejected;
    const select = this.readSelect();
    if ('error' in select) return select.error;

    const selectSuffix = select.names ? `(${select.names.join(',')})` : '';
    return this.collection(
      this.backend.registrations.all,
      `$metadata#deviceAppManagement/managedAppRegistrations${selectSuffix}`,
      '/deviceAppManagement/managedAppRegistrations',
      (registration) => this.shape(registration, select.names),
    );
  }

  getRegistration(id: string): GraphAnswer {
    const rejected = this.rejectQueryOptions(['$select']);
    if (rejected) return rejected;
    const select = this.readSelect();
    if ('error' in select) return select.error;
    const found = this.findRegistration(id);
    if ('error' in found) return found.error;
    return jsonAnswer(200, {
      '@odata.context': `${this.versionRoot}/$metadata#deviceAppManagement/managedAppRegistrations/$entity`,
      ...this.shape(found.registration, select.names),
    });
  }

  listOperations(registrationId: string): GraphAnswer {
    const rejected = this.rejectQueryOptions(['$top', '$skiptoken', '$count']);
    if (rejected) return rejected;
    const found = this.findRegistration(registrationId);
    if ('error' in found) return found.error;
    const id = String(found.registration.id);
    return this.collection(
      this.backend.operations.list(id),
      `$metadata#deviceAppManagement/managedAppRegistrations('${id}')/operations`,
      `/deviceAppManagement/managedAppRegistrations/${encodeURIComponent(id)}/operations`,
    );
  }

  createOperation(registrationId: string): GraphAnswer {
    const found = this.findRegistration(registrationId);
    if ('error' in found) return found.error;
    const payload = checkOperationPayload(this.call.body);
    if (!payload.ok) return errorAnswer(this.call, 400, payload.code, payload.message);

    const id = String(found.registration.id);
    const operation = this.backend.operations.create(id, { displayName: payload.displayName, state: payload.state });
    this.call.effects.operationsCreated += 1;
    return jsonAnswer(
      201,
      {
        '@odata.context': `${this.versionRoot}/$metadata#deviceAppManagement/managedAppRegistrations('${id}')/operations/$entity`,
        ...operation,
      },
      { Location: `${this.versionRoot}/deviceAppManagement/managedAppRegistrations/${encodeURIComponent(id)}/operations/${operation.id}` },
    );
  }

  getOperation(registrationId: string, operationId: string): GraphAnswer {
    const found = this.findRegistration(registrationId);
    if ('error' in found) return found.error;
    const id = String(found.registration.id);
    const operation = this.backend.operations.find(id, operationId);
    if (!operation) return this.notFound(`Operation '${operationId}' was not found.`);
    return jsonAnswer(200, {
      '@odata.context': `${this.versionRoot}/$metadata#deviceAppManagement/managedAppRegistrations('${id}')/operations/$entity`,
      ...operation,
    });
  }

  /** One page of `items`; `shape` turns only that page's items into what the endpoint serializes. */
  private collection<T>(items: readonly T[], contextFragment: string, path: string, shape: (item: T) => unknown = (item) => item): GraphAnswer {
    const paged = pageOf(items, this.backend.pageSize, `${this.versionRoot}${path}`, this.rawQuery);
    if (!paged.ok) return errorAnswer(this.call, 400, 'BadRequest', paged.message);
    const envelope: Record<string, unknown> = { '@odata.context': `${this.versionRoot}/${contextFragment}` };
    if (new URLSearchParams(this.rawQuery).get('$count') === 'true') envelope['@odata.count'] = items.length;
    envelope.value = paged.page.value.map(shape);
    if (paged.page.nextLink) envelope['@odata.nextLink'] = paged.page.nextLink;
    return jsonAnswer(200, envelope);
  }

  private findRegistration(id: string): { registration: SampleRegistration } | { error: GraphAnswer } {
    const registration = this.backend.registrations.find(id);
    if (registration) return { registration };
    if (!isGuid(id)) {
      return { error: errorAnswer(this.call, 400, 'BadRequest', `'${id}' is not a valid managedAppRegistration key: a GUID is expected.`) };
    }
    return { error: this.notFound(`Managed app registration '${id}' was not found.`) };
  }

  private notFound(text: string): GraphAnswer {
    return errorAnswer(this.call, 404, 'ResourceNotFound', intuneMessage(this.call, text));
  }

  private shape(registration: SampleRegistration, select: string[] | undefined): SampleRegistration {
    const full = registrationFor(this.version, registration);
    if (!select) return full;
    const picked: SampleRegistration = { '@odata.type': full['@odata.type'] };
    for (const name of select) if (name in full) picked[name] = full[name];
    return picked;
  }

  /** $select names in their canonical spelling, or the 400 for an unknown one. */
  private readSelect(): { names?: string[] } | { error: GraphAnswer } {
    const raw = new URLSearchParams(this.rawQuery).get('$select');
    if (raw === null) return {};
    const known = registrationProperties(this.version);
    const names: string[] = [];
    for (const requested of raw
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')) {
      const name = known.find((candidate) => candidate.toLowerCase() === requested.toLowerCase());
      if (!name) {
        return {
          error: errorAnswer(this.call, 400, 'BadRequest', `Could not find a property named '${requested}' on type 'microsoft.graph.managedAppRegistration'.`),
        };
      }
      names.push(name);
    }
    return { names };
  }

  private rejectQueryOptions(supported: string[]): GraphAnswer | undefined {
    for (const name of new URLSearchParams(this.rawQuery).keys()) {
      if (name.startsWith('$') && !supported.includes(name.toLowerCase())) {
        return errorAnswer(this.call, 400, 'BadRequest', `The query option '${name}' is not supported by this emulator on this resource.`);
      }
    }
    return undefined;
  }
}
