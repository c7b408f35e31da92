import assert from 'node:assert/strict';
import { startEmulatorProcess } from '../support/emulators';
import { type Emulator, type EmulatorOptions, sampleRegistrations, startEmulator } from '../../src/emulator';

const REGISTRATIONS = '/deviceAppManagement/managedAppRegistrations';
const FIRST_ID = String(sampleRegistrations[0].id);
const UNKNOWN_GUID = '00000000-1111-4222-8333-444444444444';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SUCCESS_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';
const BETA_ONLY = ['azureADDeviceId', 'deviceManufacturer', 'deviceModel', 'managedDeviceId', 'patchVersion'];
const INTUNE_MESSAGE =
  /^(.*) - Operation ID \(for customer support\): [0-9a-f-]{36} - Activity ID: [0-9a-f-]{36} - Url: https:\/\/fef\.msub02\.manage\.microsoft\.com\/.+$/;

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // Tests read deeply into Graph payloads; a precise type would only restate the assertions.
  json: any;
}

interface CallInit {
  method?: string;
  /** Defaults to a fresh default token; null sends no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  redirect?: 'follow' | 'manual' | 'error';
  signal?: AbortSignal;
}

function operationsPath(version: 'beta' | 'v1.0', registrationId = FIRST_ID): string {
  return `/${version}${REGISTRATIONS}/${registrationId}/operations`;
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

function intuneDocument(message: string): Record<string, unknown> {
  assert.match(message, /^\{\r\n {2}"_version": 3,\r\n/);
  const document = JSON.parse(message) as Record<string, unknown>;
  assert.equal(document._version, 3);
  assert.match(String(document.Message), INTUNE_MESSAGE);
  return document;
}

describe('Graph emulator', function () {
  this.timeout(10_000);
  const started: Emulator[] = [];

  async function start(options?: EmulatorOptions): Promise<Emulator> {
    const emulator = await startEmulator(options);
    started.push(emulator);
    return emulator;
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });

  async function call(emulator: Emulator, target: string, init: CallInit = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? emulator.mintToken() : init.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(`${emulator.url}${target}`, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: init.redirect,
      signal: init.signal,
    });
    return reply(response);
  }

  function createOperation(emulator: Emulator, version: 'beta' | 'v1.0' = 'beta', init: CallInit = {}): Promise<Reply> {
    return call(emulator, operationsPath(version), { body: { displayName: 'Wipe', state: 'pending' }, ...init });
  }

  async function allPages(emulator: Emulator, firstTarget: string): Promise<Reply[]> {
    const pages: Reply[] = [];
    let next: string | undefined = `${emulator.url}${firstTarget}`;
    while (next) {
      assert.ok(pages.length < 20, 'paging does not end');
      const page = await call(emulator, next.slice(emulator.url.length));
      assert.equal(page.status, 200, page.text);
      pages.push(page);
      next = page.json['@odata.nextLink'];
    }
    return pages;
  }

  describe('registrations', () => {
    it('pages through the sample tenant with absolute nextLinks, the last page without one', async () => {
      const emulator = await start();
      const pages = await allPages(emulator, `/beta${REGISTRATIONS}`);
      assert.deepEqual(
        pages.map((page) => page.json.value.length),
        [5, 5, 2],
      );
      for (const page of pages.slice(0, -1)) {
        const nextLink: string = page.json['@odata.nextLink'];
        assert.ok(nextLink.startsWith(`${emulator.url}/beta${REGISTRATIONS}?`), nextLink);
        assert.match(nextLink, /\$skiptoken=[^&]+/);
      }
      assert.equal('@odata.nextLink' in pages[2].json, false);
      assert.equal(pages[0].json['@odata.context'], `${emulator.url}/beta/$metadata#deviceAppManagement/managedAppRegistrations`);
      const ids = pages.flatMap((page) => page.json.value.map((item: { id: string }) => item.id));
      assert.deepEqual(
        ids,
        sampleRegistrations.map((registration) => registration.id),
      );
    });

    it('serves a realistic mix of android and iOS registrations with fixed ids', () => {
      assert.ok(sampleRegistrations.length >= 12);
      const types = new Set(sampleRegistrations.map((registration) => registration['@odata.type']));
      assert.deepEqual(types, new Set(['#microsoft.graph.androidManagedAppRegistration', '#microsoft.graph.iosManagedAppRegistration']));
      for (const registration of sampleRegistrations) {
        assert.match(String(registration.id), GUID);
        assert.match(String(registration.userId), GUID);
        const identifier = registration.appIdentifier as Record<string, string>;
        if (registration['@odata.type'] === '#microsoft.graph.androidManagedAppRegistration') {
          assert.equal(identifier['@odata.type'], '#microsoft.graph.androidMobileAppIdentifier');
          assert.ok(identifier.packageId);
        } else {
          assert.equal(identifier['@odata.type'], '#microsoft.graph.iosMobileAppIdentifier');
          assert.ok(identifier.bundleId);
        }
      }
      assert.ok(sampleRegistrations.some((registration) => (registration.flaggedReasons as string[]).includes('rootedDevice')));
    });

    it('ends with an empty page when the total is a multiple of the page size, and honours a smaller $top', async () => {
      const emulator = await start({ pageSize: 4 });
      const pages = await allPages(emulator, `/v1.0${REGISTRATIONS}`);
      assert.deepEqual(
        pages.map((page) => page.json.value.length),
        [4, 4, 4, 0],
      );

      const topPages = await allPages(emulator, `/v1.0${REGISTRATIONS}?$top=3`);
      assert.deepEqual(
        topPages.map((page) => page.json.value.length),
        [3, 3, 3, 3, 0],
      );
      assert.match(topPages[0].json['@odata.nextLink'], /\?\$top=3&\$skiptoken=/);
    });

    it('leaves beta-only properties out of v1.0', async () => {
      const emulator = await start({ pageSize: 20 });
      const beta = await call(emulator, `/beta${REGISTRATIONS}`);
      const v1 = await call(emulator, `/v1.0${REGISTRATIONS}`);
      assert.equal(v1.json.value.length, sampleRegistrations.length);
      for (const item of beta.json.value) assert.ok('deviceModel' in item && 'deviceManufacturer' in item);
      for (const item of v1.json.value) {
        for (const name of BETA_ONLY) assert.equal(name in item, false, `${name} in v1.0`);
        assert.ok('deviceName' in item && 'appIdentifier' in item && 'flaggedReasons' in item);
      }
    });

    it('returns one registration, 404 with an Intune message for an unknown id, 400 for a malformed id', async () => {
      const emulator = await start();
      const one = await call(emulator, `/beta${REGISTRATIONS}/${FIRST_ID}`);
      assert.equal(one.status, 200);
      assert.equal(one.json.id, FIRST_ID);
      assert.equal(one.json['@odata.context'], `${emulator.url}/beta/$metadata#deviceAppManagement/managedAppRegistrations/$entity`);

      const missing = await call(emulator, `/beta${REGISTRATIONS}/${UNKNOWN_GUID}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.code, 'ResourceNotFound');
      intuneDocument(missing.json.error.message);

      const malformed = await call(emulator, `/beta${REGISTRATIONS}/not-a-guid`);
      assert.equal(malformed.status, 400);
      assert.equal(malformed.json.error.code, 'BadRequest');
    });

    it('supports $select and $count, and rejects a bad $top or an unsupported query option', async () => {
      const emulator = await start();
      const selected = await call(emulator, `/v1.0${REGISTRATIONS}?$select=deviceName,id&$count=true`);
      assert.equal(selected.json['@odata.count'], sampleRegistrations.length);
      assert.deepEqual(Object.keys(selected.json.value[0]).sort(), ['@odata.type', 'deviceName', 'id']);
      assert.equal((await call(emulator, `/v1.0${REGISTRATIONS}?$select=deviceModel`)).status, 400);
      assert.equal((await call(emulator, `/v1.0${REGISTRATIONS}?$top=-1`)).status, 400);
      assert.equal((await call(emulator, `/v1.0${REGISTRATIONS}?$skiptoken=bogus`)).status, 400);
      assert.equal((await call(emulator, `/v1.0${REGISTRATIONS}?$filter=deviceType eq 'iPad'`)).status, 400);
    });

    it('serves a custom tenant given in the options', async () => {
      const emulator = await start({ registrations: sampleRegistrations.slice(0, 2) });
      const list = await call(emulator, `/beta${REGISTRATIONS}`);
      assert.equal(list.json.value.length, 2);
      assert.equal('@odata.nextLink' in list.json, false);
    });
  });

  describe('operations', () => {
    it('creates an operation (server-set id, timestamp and version) and lists it', async () => {
      const emulator = await start();
      const created = await call(emulator, operationsPath('beta'), {
        body: {
          '@odata.type': '#microsoft.graph.managedAppOperation',
          id: 'client-chosen',
          displayName: 'Wipe',
          state: 'pending',
          lastModifiedDateTime: '2001-01-01T00:00:00Z',
          '@contoso.note': 'instance annotation',
          'displayName@contoso.hint': 'property annotation',
        },
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers.get('content-type'), SUCCESS_TYPE);
      const operation = created.json;
      assert.equal(operation['@odata.type'], '#microsoft.graph.managedAppOperation');
      assert.match(operation.id, GUID);
      assert.equal(operation.displayName, 'Wipe');
      assert.equal(operation.state, 'pending');
      assert.match(operation.lastModifiedDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
      assert.notEqual(operation.lastModifiedDateTime, '2001-01-01T00:00:00Z');
      assert.equal(typeof operation.version, 'string');
      assert.equal(operation['@odata.context'], `${emulator.url}/beta/$metadata#deviceAppManagement/managedAppRegistrations('${FIRST_ID}')/operations/$entity`);
      const location = created.headers.get('location');
      assert.equal(location, `${emulator.url}${operationsPath('beta')}/${operation.id}`);
      assert.equal((await call(emulator, location!.slice(emulator.url.length))).json.id, operation.id);

      await createOperation(emulator, 'v1.0', { body: { displayName: 'Second' } });
      const listed = await call(emulator, operationsPath('v1.0'));
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.json.value.map((item: { displayName: string }) => item.displayName),
        ['Wipe', 'Second'],
      );
      assert.equal(listed.json['@odata.context'], `${emulator.url}/v1.0/$metadata#deviceAppManagement/managedAppRegistrations('${FIRST_ID}')/operations`);
      assert.deepEqual(
        emulator.operationsOf(FIRST_ID).map((item) => item.displayName),
        ['Wipe', 'Second'],
      );
      assert.deepEqual(emulator.operationsOf(String(sampleRegistrations[1].id)), []);
    });

    it('pages the operations list', async () => {
      const emulator = await start({ pageSize: 2 });
      for (let index = 0; index < 3; index++) assert.equal((await createOperation(emulator)).status, 201);
      const pages = await allPages(emulator, operationsPath('beta'));
      assert.deepEqual(
        pages.map((page) => page.json.value.length),
        [2, 1],
      );
    });

    it('rejects an unknown property with ModelValidationFailure', async () => {
      const emulator = await start();
      const rejected = await call(emulator, operationsPath('beta'), { body: { displayName: 'Wipe', reason: 'lost' } });
      assert.equal(rejected.status, 400);
      assert.equal(rejected.headers.get('content-type'), 'application/json');
      assert.deepEqual(Object.keys(rejected.json), ['error']);
      assert.deepEqual(Object.keys(rejected.json.error), ['code', 'message', 'innerError']);
      assert.equal(rejected.json.error.code, 'ModelValidationFailure');
      assert.equal(
        rejected.json.error.message,
        "The property 'reason' does not exist on type 'microsoft.management.services.api.managedAppOperation'. " +
          'Make sure to only use property names that are defined by the type or mark the type as open type.',
      );
      assert.deepEqual(emulator.operationsOf(FIRST_ID), []);
    });

    it('rejects an @odata.type the model does not know', async () => {
      const emulator = await start();
      const rejected = await call(emulator, operationsPath('v1.0'), {
        body: { '@odata.type': '#microsoft.graph.managedAppOperationX', displayName: 'Wipe' },
      });
      assert.equal(rejected.status, 400);
      assert.equal(rejected.json.error.code, 'BadRequest');
      assert.equal(
        rejected.json.error.message,
        "A type named 'microsoft.graph.managedAppOperationX' could not be resolved by the model. " +
          'When a model is available, each type name must resolve to a valid type.',
      );
    });

    it('rejects bodies that are not a JSON object, wrongly typed values and unknown registrations', async () => {
      const emulator = await start();
      for (const body of ['', 'not json', '[1]', '"text"']) {
        const rejected = await call(emulator, operationsPath('beta'), { body });
        assert.equal(rejected.status, 400, body);
        assert.equal(rejected.json.error.code, 'BadRequest');
      }
      assert.equal((await call(emulator, operationsPath('beta'), { body: { displayName: 7 } })).status, 400);
      const missing = await call(emulator, operationsPath('beta', UNKNOWN_GUID), { body: { displayName: 'Wipe' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.code, 'ResourceNotFound');
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}/${FIRST_ID}`, { method: 'DELETE' })).status, 405);
    });
  });

  describe('authentication and permissions', () => {
    it('answers a missing or empty bearer token with 401 "Access token is empty."', async () => {
      const emulator = await start();
      const variants: Record<string, string>[] = [{}, { Authorization: 'Bearer ' }, { Authorization: 'Basic dXNlcjpwYXNz' }];
      for (const headers of variants) {
        const rejected = await call(emulator, `/beta${REGISTRATIONS}`, { token: null, headers });
        assert.equal(rejected.status, 401);
        assert.equal(rejected.json.error.code, 'InvalidAuthenticationToken');
        assert.equal(rejected.json.error.message, 'Access token is empty.');
        assert.equal(rejected.headers.get('www-authenticate'), WWW_AUTHENTICATE);
      }
    });

    it('rejects a token that is not a JWT', async () => {
      const emulator = await start();
      for (const token of ['opaque-token', 'abc.def.ghi']) {
        const rejected = await call(emulator, `/beta${REGISTRATIONS}`, { token });
        assert.equal(rejected.status, 401);
        assert.equal(rejected.json.error.code, 'InvalidAuthenticationToken');
        assert.match(rejected.json.error.message, /^IDX14100: JWT is not well formed/);
        assert.equal(rejected.headers.get('www-authenticate'), WWW_AUTHENTICATE);
      }
    });

    it('rejects an expired token', async () => {
      const emulator = await start();
      const token = emulator.mintToken({ exp: Math.floor(Date.now() / 1000) - 60 });
      const rejected = await call(emulator, `/beta${REGISTRATIONS}`, { token });
      assert.equal(rejected.status, 401);
      assert.equal(rejected.json.error.message, 'Lifetime validation failed, the token is expired.');
    });

    it('accepts every Graph audience and rejects others', async () => {
      const emulator = await start();
      const audiences = [
        'https://graph.microsoft.com',
        'https://graph.microsoft.us',
        'https://dod-graph.microsoft.us',
        'https://microsoftgraph.chinacloudapi.cn',
        '00000003-0000-0000-c000-000000000000',
      ];
      for (const aud of audiences) {
        assert.equal((await call(emulator, `/beta${REGISTRATIONS}`, { token: emulator.mintToken({ aud }) })).status, 200, aud);
      }
      const rejected = await call(emulator, `/beta${REGISTRATIONS}`, { token: emulator.mintToken({ aud: 'https://management.azure.com' }) });
      assert.equal(rejected.status, 401);
      assert.equal(rejected.json.error.code, 'InvalidAuthenticationToken');
    });

    it('mints an unsigned JWT with the documented defaults', async () => {
      const emulator = await start();
      const [header, payload, signature] = emulator.mintToken().split('.');
      assert.equal(signature, '');
      assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()).alg, 'none');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      assert.equal(claims.scp, 'DeviceManagementApps.ReadWrite.All');
      assert.equal(claims.upn, 'admin@contoso.example');
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.match(claims.tid, GUID);
      assert.ok(Math.abs(claims.exp - (Date.now() / 1000 + 3600)) < 60);
    });

    it('requires the write scope for writes and a read or write scope for reads', async () => {
      const emulator = await start();
      const none = emulator.mintToken({ scp: 'User.Read' });
      const forbidden = await call(emulator, `/beta${REGISTRATIONS}`, { token: none });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.json.error.code, 'Forbidden');
      const document = intuneDocument(forbidden.json.error.message);
      assert.match(
        String(document.Message),
        /^Application is not authorized to perform this operation\. Application must have one of the following scopes: DeviceManagementApps\.ReadWrite\.All/,
      );

      const readOnly = emulator.mintToken({ scp: 'User.Read DeviceManagementApps.Read.All' });
      assert.equal((await call(emulator, `/v1.0${REGISTRATIONS}`, { token: readOnly })).status, 200);
      const write = await createOperation(emulator, 'v1.0', { token: readOnly });
      assert.equal(write.status, 403);
      assert.equal(write.json.error.code, 'Forbidden');

      const configuration = emulator.mintToken({ scp: 'DeviceManagementConfiguration.ReadWrite.All' });
      assert.equal((await createOperation(emulator, 'beta', { token: configuration })).status, 201);
      assert.equal((await createOperation(emulator, 'v1.0', { token: configuration })).status, 403);
    });
  });

  describe('response headers', () => {
    it('sends the Graph headers on success and echoes client-request-id', async () => {
      const emulator = await start();
      const clientRequestId = '5f0e5bd9-3f39-4a31-9a24-3a0b8e0d1c11';
      const ok = await call(emulator, `/beta${REGISTRATIONS}`, { headers: { 'client-request-id': clientRequestId } });
      assert.match(ok.headers.get('request-id')!, GUID);
      assert.equal(ok.headers.get('client-request-id'), clientRequestId);
      const diagnostic = JSON.parse(ok.headers.get('x-ms-ags-diagnostic')!);
      for (const key of ['DataCenter', 'Slice', 'Ring', 'ScaleUnit', 'RoleInstance']) assert.ok(key in diagnostic.ServerInfo, key);
      assert.ok(ok.headers.get('date'));
      assert.ok(ok.headers.get('strict-transport-security'));
      assert.equal(ok.headers.get('odata-version'), '4.0');
      assert.equal(ok.headers.get('cache-control'), 'no-cache');
      assert.equal(ok.headers.get('content-type'), SUCCESS_TYPE);
    });

    it('puts request ids and the date in the error body, client-request-id defaulting to request-id', async () => {
      const emulator = await start();
      const failed = await call(emulator, `/beta${REGISTRATIONS}/${UNKNOWN_GUID}`);
      const requestId = failed.headers.get('request-id');
      assert.equal(failed.headers.get('client-request-id'), requestId);
      assert.equal(failed.headers.get('content-type'), 'application/json');
      assert.deepEqual(Object.keys(failed.json.error.innerError), ['date', 'request-id', 'client-request-id']);
      assert.equal(failed.json.error.innerError['request-id'], requestId);
      assert.equal(failed.json.error.innerError['client-request-id'], requestId);
      assert.match(failed.json.error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    });

    it('answers paths outside the API with a Graph error body', async () => {
      const emulator = await start();
      for (const target of ['/', '/v2.0/deviceAppManagement/managedAppRegistrations', '/beta/me', `/beta${REGISTRATIONS}/${FIRST_ID}/policies`]) {
        const failed = await call(emulator, target);
        assert.ok(failed.status === 400 || failed.status === 404, `${target}: ${failed.status}`);
        assert.equal(typeof failed.json.error.code, 'string');
        assert.ok(failed.headers.get('request-id'));
      }
    });
  });

  describe('throttling', () => {
    it('limits writes per tenant per window and says when to retry', async () => {
      const emulator = await start({ throttle: { writesPerWindow: 3, windowMs: 1000 } });
      for (let index = 0; index < 3; index++) assert.equal((await createOperation(emulator)).status, 201);
      const throttled = await createOperation(emulator);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '1');
      assert.equal(throttled.json.error.code, 'TooManyRequests');
      assert.equal(throttled.json.error.innerError.code, '429');
      assert.equal(throttled.json.error.innerError.status, '429');
      assert.equal(emulator.operationsOf(FIRST_ID).length, 3);

      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).status, 200, 'reads are not limited');
      const otherTenant = emulator.mintToken({ tid: '06805082-8944-4d26-b2da-3a56e61a4522' });
      assert.equal((await createOperation(emulator, 'beta', { token: otherTenant })).status, 201);

      await new Promise((resolve) => setTimeout(resolve, 1050));
      assert.equal((await createOperation(emulator)).status, 201);
    });

    it('computes Retry-After from the window', async () => {
      const emulator = await start({ throttle: { writesPerWindow: 1, windowMs: 20_000 } });
      assert.equal((await createOperation(emulator)).status, 201);
      const retryAfter = Number((await createOperation(emulator)).headers.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 19 && retryAfter <= 20, String(retryAfter));
    });
  });

  describe('$batch', () => {
    const batch = (emulator: Emulator, requests: unknown[], init: CallInit = {}): Promise<Reply> =>
      call(emulator, '/beta/$batch', { body: { requests }, ...init });

    it('answers each request as a direct call would', async () => {
      const emulator = await start();
      const answered = await batch(emulator, [
        { id: '1', method: 'GET', url: `${REGISTRATIONS}?$top=2` },
        {
          id: '2',
          method: 'POST',
          url: `${REGISTRATIONS}/${FIRST_ID}/operations`,
          headers: { 'Content-Type': 'application/json' },
          body: { displayName: 'Wipe', state: 'pending' },
        },
        { id: '3', method: 'GET', url: `deviceAppManagement/managedAppRegistrations/${UNKNOWN_GUID}` },
        { id: '4', method: 'POST', url: `${REGISTRATIONS}/${FIRST_ID}/operations`, headers: { 'Content-Type': 'application/json' }, body: { bogus: 1 } },
      ]);
      assert.equal(answered.status, 200);
      const [list, created, missing, invalid] = answered.json.responses;
      assert.deepEqual(
        answered.json.responses.map((r: { id: string }) => r.id),
        ['1', '2', '3', '4'],
      );
      assert.equal(list.status, 200);
      assert.equal(list.body.value.length, 2);
      assert.equal(created.status, 201);
      assert.equal(created.body.displayName, 'Wipe');
      assert.ok(created.headers.Location.endsWith(`/operations/${created.body.id}`));
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'ResourceNotFound');
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.error.code, 'ModelValidationFailure');
      assert.equal(emulator.operationsOf(FIRST_ID).length, 1);
    });

    it('refuses more than 20 requests and needs the outer token', async () => {
      const emulator = await start();
      const steps = Array.from({ length: 21 }, (_, index) => ({ id: String(index + 1), method: 'GET', url: REGISTRATIONS }));
      const tooMany = await batch(emulator, steps);
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.json.error.code, 'BadRequest');
      assert.equal((await batch(emulator, steps.slice(0, 20))).status, 200);
      assert.equal((await batch(emulator, steps.slice(0, 1), { token: null })).status, 401);
    });

    it('throttles inner writes with a 429 carrying Retry-After', async () => {
      const emulator = await start({ throttle: { writesPerWindow: 2, windowMs: 60_000 } });
      const post = (id: string): unknown => ({
        id,
        method: 'POST',
        url: `${REGISTRATIONS}/${FIRST_ID}/operations`,
        headers: { 'Content-Type': 'application/json' },
        body: { displayName: `Wipe ${id}` },
      });
      const answered = await batch(emulator, [post('a'), post('b'), post('c')]);
      assert.equal(answered.status, 200);
      assert.deepEqual(
        answered.json.responses.map((r: { status: number }) => r.status),
        [201, 201, 429],
      );
      const throttled = answered.json.responses[2];
      assert.ok(Number(throttled.headers['Retry-After']) >= 1);
      assert.equal(throttled.body.error.code, 'TooManyRequests');
      assert.equal(emulator.operationsOf(FIRST_ID).length, 2);
    });

    it('applies faults to inner requests', async () => {
      const emulator = await start();
      emulator.injectFault({ path: '/operations', status: 503, retryAfter: '3' });
      const step = (id: string): unknown => ({
        id,
        method: 'POST',
        url: `${REGISTRATIONS}/${FIRST_ID}/operations`,
        headers: { 'Content-Type': 'application/json' },
        body: { displayName: 'Wipe' },
      });
      const answered = await batch(emulator, [step('1'), step('2')]);
      const [failed, created] = answered.json.responses;
      assert.equal(failed.status, 503);
      assert.equal(failed.headers['Retry-After'], '3');
      assert.equal(failed.body.error.code, 'serviceNotAvailable');
      assert.equal(created.status, 201);
    });
  });

  describe('faults', () => {
    it('answers with a Graph error body fitting each status', async () => {
      const emulator = await start();
      const expected: [number, string][] = [
        [429, 'TooManyRequests'],
        [503, 'serviceNotAvailable'],
        [500, 'InternalError'],
        [504, 'GatewayTimeout'],
        [404, 'ResourceNotFound'],
        [403, 'Forbidden'],
        [400, 'BadRequest'],
      ];
      for (const [status] of expected) emulator.injectFault({ status });
      for (const [status, code] of expected) {
        const failed = await call(emulator, `/beta${REGISTRATIONS}`);
        assert.equal(failed.status, status);
        assert.equal(failed.json.error.code, code);
        assert.match(failed.json.error.innerError['request-id'], GUID);
        if (status === 429) assert.equal(failed.json.error.innerError.status, '429');
        if (status === 500) intuneDocument(failed.json.error.message);
      }
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).status, 200);
    });

    it('matches by method and path, counts uses and keeps unused faults queued', async () => {
      const emulator = await start();
      emulator.injectFault({ method: 'POST', path: '/operations', status: 500, code: 'UnknownError', times: 2 });
      emulator.injectFault({ path: /managedAppRegistrations\?\$top=1$/, status: 404 });
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).status, 200);
      assert.equal((await call(emulator, operationsPath('beta'))).status, 200, 'GET does not match a POST fault');
      const first = await createOperation(emulator);
      assert.equal(first.status, 500);
      assert.equal(first.json.error.code, 'UnknownError');
      assert.equal((await createOperation(emulator)).status, 500);
      assert.equal((await createOperation(emulator)).status, 201);
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}?$top=1`)).status, 404);
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}?$top=1`)).status, 200);

      emulator.injectFault({ status: 503 });
      emulator.clearFaults();
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).status, 200);
    });

    it('passes every form of Retry-After through unchanged', async () => {
      const emulator = await start();
      const forms = ['2', '0.25', '2.128', 'Wed, 21 Oct 2037 07:28:00 GMT'];
      for (const retryAfter of forms) emulator.injectFault({ status: 429, retryAfter });
      emulator.injectFault({ status: 503, retryAfter: '5' });
      for (const retryAfter of forms) {
        const throttled = await createOperation(emulator);
        assert.equal(throttled.status, 429);
        assert.equal(throttled.headers.get('retry-after'), retryAfter);
      }
      const unavailable = await createOperation(emulator);
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get('retry-after'), '5');
      assert.deepEqual(emulator.operationsOf(FIRST_ID), []);
    });

    it('delays the answer, and a client timeout cancels cleanly', async () => {
      const emulator = await start();
      emulator.injectFault({ delayMs: 300 });
      const startedAt = Date.now();
      const slow = await call(emulator, `/beta${REGISTRATIONS}`);
      assert.equal(slow.status, 200, 'a delay alone keeps the normal answer');
      assert.ok(Date.now() - startedAt >= 290);

      emulator.injectFault({ delayMs: 5000, status: 500 });
      await assert.rejects(call(emulator, `/beta${REGISTRATIONS}`, { signal: AbortSignal.timeout(100) }), /abort|timeout/i);
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).status, 200);
    });

    it('drops the connection without an answer', async () => {
      const emulator = await start();
      emulator.injectFault({ method: 'POST', reset: true });
      await assert.rejects(createOperation(emulator), TypeError);
      assert.deepEqual(emulator.operationsOf(FIRST_ID), []);
      assert.equal((await createOperation(emulator)).status, 201);
    });

    it('processFirst really creates the operation before failing', async () => {
      const emulator = await start();
      emulator.injectFault({ method: 'POST', processFirst: true, status: 504 });
      const timedOut = await createOperation(emulator);
      assert.equal(timedOut.status, 504);
      assert.equal(timedOut.json.error.code, 'GatewayTimeout');
      assert.equal(emulator.operationsOf(FIRST_ID).length, 1);

      emulator.injectFault({ method: 'POST', processFirst: true, reset: true });
      await assert.rejects(createOperation(emulator), TypeError);
      assert.equal(emulator.operationsOf(FIRST_ID).length, 2);

      emulator.injectFault({ method: 'POST', processFirst: true, delayMs: 5000 });
      await assert.rejects(createOperation(emulator, 'beta', { signal: AbortSignal.timeout(200) }), /abort|timeout/i);
      assert.equal(emulator.operationsOf(FIRST_ID).length, 3, 'written before the client gave up');
    });

    it('serves an HTML gateway page or an empty body', async () => {
      const emulator = await start();
      emulator.injectFault({ status: 503, html: true });
      emulator.injectFault({ status: 502, emptyBody: true });
      const html = await call(emulator, `/beta${REGISTRATIONS}`);
      assert.equal(html.status, 503);
      assert.equal(html.headers.get('content-type'), 'text/html');
      assert.match(html.text, /^<!DOCTYPE html>/);
      assert.equal(html.json, undefined);
      const empty = await call(emulator, `/beta${REGISTRATIONS}`);
      assert.equal(empty.status, 502);
      assert.equal(empty.text, '');
      assert.ok(empty.headers.get('request-id'));
    });

    it("wraps intuneMessage in Intune's _version 3 JSON string", async () => {
      const emulator = await start();
      emulator.injectFault({ status: 400, code: 'BadRequest', intuneMessage: 'Operation is not supported for this app' });
      const failed = await createOperation(emulator);
      assert.equal(failed.status, 400);
      assert.equal(typeof failed.json.error.message, 'string');
      assert.ok(failed.json.error.message.includes('\r\n'));
      const document = intuneDocument(failed.json.error.message);
      assert.equal(INTUNE_MESSAGE.exec(String(document.Message))?.[1], 'Operation is not supported for this app');
      assert.deepEqual(Object.keys(document), ['_version', 'Message', 'CustomApiErrorPhrase', 'RetryAfter', 'ErrorSourceService', 'HttpHeaders']);
    });

    it('redirects', async () => {
      const emulator = await start();
      emulator.injectFault({ redirectTo: 'https://attacker.example/collect' });
      emulator.injectFault({ redirectTo: `${emulator.url}/v1.0${REGISTRATIONS}`, redirectStatus: 302 });
      const temporary = await call(emulator, `/beta${REGISTRATIONS}`, { redirect: 'manual' });
      assert.equal(temporary.status, 307);
      assert.equal(temporary.headers.get('location'), 'https://attacker.example/collect');
      const found = await call(emulator, `/beta${REGISTRATIONS}`, { redirect: 'manual' });
      assert.equal(found.status, 302);
      assert.equal(found.headers.get('location'), `${emulator.url}/v1.0${REGISTRATIONS}`);
    });

    it('echoes the Authorization header back when asked to behave badly', async () => {
      const emulator = await start();
      const token = emulator.mintToken();
      emulator.injectFault({ status: 500, echoAuthorization: true });
      emulator.injectFault({ echoAuthorization: true });
      const failed = await call(emulator, `/beta${REGISTRATIONS}`, { token });
      assert.equal(failed.headers.get('x-echo-authorization'), `Bearer ${token}`);
      assert.ok(failed.json.error.message.includes(token));
      assert.equal(failed.json.echoedAuthorization, `Bearer ${token}`);
      const ok = await call(emulator, `/beta${REGISTRATIONS}`, { token });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-echo-authorization'), `Bearer ${token}`);
      assert.ok(ok.text.includes(token));
    });

    it('sends a custom WWW-Authenticate challenge with a 401', async () => {
      const emulator = await start();
      const challenge =
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
        'error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="';
      emulator.injectFault({ status: 401, wwwAuthenticate: challenge });
      emulator.injectFault({ status: 401 });
      const challenged = await call(emulator, `/beta${REGISTRATIONS}`);
      assert.equal(challenged.status, 401);
      assert.equal(challenged.headers.get('www-authenticate'), challenge);
      assert.equal(challenged.json.error.code, 'InvalidAuthenticationToken');
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).headers.get('www-authenticate'), WWW_AUTHENTICATE);
    });
  });

  describe('control surface /_emulator/', () => {
    async function admin(emulator: Emulator, method: string, target: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
      const response = await fetch(`${emulator.url}/_emulator/${target}`, {
        method,
        headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return reply(response);
    }

    it('queues and clears faults given as JSON, with string or RegExp paths', async () => {
      const emulator = await start();
      assert.equal((await admin(emulator, 'POST', 'faults', { path: '/operations', status: 503, retryAfter: '1' })).status, 204);
      assert.equal((await admin(emulator, 'POST', 'faults', { path: { pathRegExp: '\\?\\$top=\\d+$' }, status: 404 })).status, 204);
      assert.equal((await admin(emulator, 'POST', 'faults', { pathRegExp: 'v1\\.0', status: 500 })).status, 204);
      assert.equal((await admin(emulator, 'POST', 'faults', { status: 'soon' })).status, 400);
      assert.equal((await admin(emulator, 'POST', 'faults', { stauts: 500 })).status, 400);
      assert.equal((await admin(emulator, 'POST', 'faults', { pathRegExp: '(' })).status, 400);

      const unavailable = await createOperation(emulator);
      assert.equal(unavailable.status, 503);
      assert.equal(unavailable.headers.get('retry-after'), '1');
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}?$top=2`)).status, 404);

      assert.equal((await admin(emulator, 'DELETE', 'faults')).status, 204);
      assert.equal((await call(emulator, `/v1.0${REGISTRATIONS}`)).status, 200);
    });

    it('lists recorded requests with Authorization redacted, and reports operations', async () => {
      const emulator = await start();
      const token = emulator.mintToken();
      await createOperation(emulator, 'beta', { token, headers: { 'client-request-id': 'abc' } });
      const recorded = await admin(emulator, 'GET', 'requests');
      assert.equal(recorded.status, 200);
      assert.equal(recorded.json.length, 1, 'control calls are not recorded');
      assert.equal(recorded.json[0].method, 'POST');
      assert.equal(recorded.json[0].path, operationsPath('beta'));
      assert.equal(recorded.json[0].headers.authorization, '[redacted]');
      assert.equal(recorded.json[0].headers['client-request-id'], 'abc');
      assert.ok(!recorded.text.includes(token));

      const operations = await admin(emulator, 'GET', `operations/${FIRST_ID}`);
      assert.equal(operations.status, 200);
      assert.deepEqual(
        operations.json.map((operation: { displayName: string }) => operation.displayName),
        ['Wipe'],
      );
    });

    it('mints tokens with the given claims', async () => {
      const emulator = await start();
      const minted = await admin(emulator, 'POST', 'token', { scp: 'DeviceManagementApps.Read.All' });
      assert.equal(minted.status, 200);
      const token: string = minted.json.access_token;
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`, { token })).status, 200);
      assert.equal((await createOperation(emulator, 'beta', { token })).status, 403);
      assert.equal((await admin(emulator, 'POST', 'token')).status, 200, 'no body means default claims');
    });

    it('resets state', async () => {
      const emulator = await start();
      await createOperation(emulator);
      await admin(emulator, 'POST', 'faults', { status: 500 });
      assert.equal((await admin(emulator, 'POST', 'reset')).status, 204);
      assert.deepEqual(emulator.operationsOf(FIRST_ID), []);
      assert.deepEqual(emulator.requests, []);
      assert.equal((await call(emulator, `/beta${REGISTRATIONS}`)).status, 200);
    });

    it('refuses cross-origin callers and unknown endpoints', async () => {
      const emulator = await start();
      assert.equal((await admin(emulator, 'POST', 'reset', undefined, { Origin: 'https://evil.example' })).status, 403);
      assert.equal((await admin(emulator, 'GET', 'nothing-here')).status, 404);
    });
  });

  describe('lifecycle', () => {
    it('records every request, including rejected ones, and never logs the token', async () => {
      const lines: string[] = [];
      const emulator = await start({ log: (line) => lines.push(line) });
      const token = emulator.mintToken();
      await call(emulator, `/beta${REGISTRATIONS}`, { token: null });
      await createOperation(emulator, 'beta', { token, headers: { 'X-Custom': 'Value' } });
      const [rejected, created] = emulator.requests;
      assert.equal(emulator.requests.length, 2);
      assert.equal(rejected.method, 'GET');
      assert.equal(rejected.headers.authorization, undefined);
      assert.equal(created.headers.authorization, `Bearer ${token}`);
      assert.equal(created.headers['x-custom'], 'Value');
      assert.deepEqual(JSON.parse(created.body), { displayName: 'Wipe', state: 'pending' });
      assert.ok(created.receivedAt >= rejected.receivedAt && created.receivedAt <= Date.now());
      assert.equal(lines.length, 2);
      assert.ok(lines.every((line) => !line.includes(token)));
    });

    it('reset() clears operations, requests, faults and throttle counters', async () => {
      const emulator = await start({ throttle: { writesPerWindow: 1, windowMs: 60_000 } });
      assert.equal((await createOperation(emulator)).status, 201);
      assert.equal((await createOperation(emulator)).status, 429);
      emulator.injectFault({ status: 500 });
      emulator.reset();
      assert.deepEqual(emulator.requests, []);
      assert.deepEqual(emulator.operationsOf(FIRST_ID), []);
      assert.equal((await createOperation(emulator)).status, 201);
    });

    it('close() does not wait for a hanging request', async () => {
      const emulator = await startEmulator();
      emulator.injectFault({ delayMs: 60_000 });
      const pending = call(emulator, `/beta${REGISTRATIONS}`).then(
        () => 'answered',
        () => 'failed',
      );
      while (emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const startedAt = Date.now();
      await emulator.close();
      await emulator.close();
      assert.ok(Date.now() - startedAt < 1000);
      assert.equal(await pending, 'failed');
    });

    it('rejects invalid options', async () => {
      await assert.rejects(startEmulator({ pageSize: 0 }), RangeError);
      await assert.rejects(startEmulator({ throttle: { writesPerWindow: 0, windowMs: 1000 } }), RangeError);
    });

    it('runs from the command line and stops on SIGTERM', async function () {
      const { child, url, token, exited } = await startEmulatorProcess(['--port', '0', '--page-size', '3']);
      try {
        const response = await fetch(`${url}/beta${REGISTRATIONS}`, { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(((await response.json()) as { value: unknown[] }).value.length, 3);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0);
    });
  });
});
