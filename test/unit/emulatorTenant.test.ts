import assert from 'node:assert/strict';
import { emulatorsClosedAfterEach } from '../support/emulators';
import { type Emulator, generateRegistrations, generatedApps, generatedUsers, sampleIds, sampleRegistrations } from '../../src/emulator';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const REGISTRATIONS = '/deviceAppManagement/managedAppRegistrations';

// Tests read into Graph payloads; a precise type would only restate the assertions.
async function getJson(emulator: { url: string; mintToken(): string }, target: string): Promise<any> {
  const response = await fetch(target.startsWith('http') ? target : `${emulator.url}${target}`, {
    headers: { Authorization: `Bearer ${emulator.mintToken()}` },
  });
  assert.equal(response.status, 200, target);
  return response.json();
}

/** Every item of a collection, following @odata.nextLink; also the size of each page. */
async function allPages(emulator: Emulator, target: string): Promise<{ items: any[]; sizes: number[] }> {
  const items: any[] = [];
  const sizes: number[] = [];
  let next: string | undefined = target;
  while (next) {
    const page = await getJson(emulator, next);
    items.push(...page.value);
    sizes.push(page.value.length);
    next = page['@odata.nextLink'];
  }
  return { items, sizes };
}

describe('Graph emulator tenant, listing and stats', function () {
  this.timeout(20_000);
  const start = emulatorsClosedAfterEach();

  const createOperation = async (emulator: Emulator, registrationId: string, body: Record<string, unknown>): Promise<any> => {
    const response = await fetch(`${emulator.url}/beta${REGISTRATIONS}/${registrationId}/operations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 201);
    return response.json();
  };

  it('lists every created operation, page by page, with its creation time and the properties sent', async () => {
    const emulator = await start({ pageSize: 3 });
    const id = sampleIds.registrations.diegoIpadTeams;
    const created: any[] = [];
    for (let index = 0; index < 7; index++) {
      const before = Date.now();
      const operation = await createOperation(emulator, id, { displayName: `Wipe ${index}`, state: index % 2 ? 'pending' : null });
      const after = Date.now();
      const at = Date.parse(operation.lastModifiedDateTime);
      assert.ok(at >= before && at <= after + 1, `${operation.lastModifiedDateTime} is not between ${before} and ${after}`);
      created.push(operation);
    }
    await createOperation(emulator, sampleIds.registrations.adeleIphoneOffice, { displayName: 'Elsewhere' });

    const listed = await allPages(emulator, `/v1.0${REGISTRATIONS}/${id}/operations`);
    assert.deepEqual(listed.sizes, [3, 3, 1]);
    const fields = (operation: any) => ({
      id: operation.id,
      displayName: operation.displayName,
      state: operation.state,
      lastModifiedDateTime: operation.lastModifiedDateTime,
      version: operation.version,
      type: operation['@odata.type'],
    });
    assert.deepEqual(listed.items.map(fields), created.map(fields));
    const times = listed.items.map((operation) => operation.lastModifiedDateTime);
    assert.deepEqual([...times].sort(), times, 'oldest first');
    assert.equal(new Set(times).size, times.length, 'no two share a creation time');
    assert.deepEqual(emulator.operationsOf(id).map(fields), created.map(fields));

    const topped = await allPages(emulator, `/beta${REGISTRATIONS}/${id}/operations?$top=2`);
    assert.deepEqual(topped.sizes, [2, 2, 2, 1]);
    assert.equal((await getJson(emulator, `/beta${REGISTRATIONS}/${id}/operations?$count=true`))['@odata.count'], 7);
  });

  it('counts requests, writes, 429s, faults and operations; GET /_emulator/stats says the same; reset clears them', async () => {
    const emulator = await start({ writeLimits: { perApp: { writesPerWindow: 2, windowMs: 60_000 } } });
    const id = sampleIds.registrations.meganIpadOutlook;
    await getJson(emulator, `/beta${REGISTRATIONS}`);
    emulator.injectFault({ method: 'POST', processFirst: true, status: 504 });
    const timedOut = await fetch(`${emulator.url}/beta${REGISTRATIONS}/${id}/operations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
      body: '{"displayName":"Wipe"}',
    });
    assert.equal(timedOut.status, 504);
    await createOperation(emulator, id, { displayName: 'Wipe' });
    const step = (stepId: string) => ({
      id: stepId,
      method: 'POST',
      url: `${REGISTRATIONS}/${id}/operations`,
      headers: { 'Content-Type': 'application/json' },
      body: { displayName: 'Wipe' },
    });
    await fetch(`${emulator.url}/beta/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.mintToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests: [step('1'), { id: '2', method: 'GET', url: `${REGISTRATIONS}/${id}/operations` }] }),
    });

    const expected = {
      httpRequests: 4,
      batchRequests: 1,
      innerRequests: 2,
      directPosts: 2,
      innerPosts: 1,
      gets: 2,
      writesAdmitted: 2,
      throttledDirect: 0,
      throttledInner: 1,
      faultsFired: 1,
      faultsCreated: 1,
      connectionsDropped: 0,
      operationsCreated: 2,
    };
    assert.deepEqual(emulator.stats(), expected);
    assert.deepEqual(await (await fetch(`${emulator.url}/_emulator/stats`)).json(), expected);
    emulator.reset();
    assert.ok(Object.values(emulator.stats()).every((count) => count === 0));
  });

  it('generates a tenant of any size: distinct ids, a few users, apps and platforms, the same for the same seed', () => {
    const tenant = generateRegistrations(1000, 5);
    assert.equal(tenant.length, 1000);
    const ids = tenant.map((registration) => String(registration.id));
    assert.ok(ids.every((id) => GUID.test(id)));
    assert.equal(new Set(ids).size, 1000);
    assert.ok(ids.every((id) => !sampleRegistrations.some((sample) => sample.id === id)));
    assert.deepEqual(generateRegistrations(1000, 5), tenant);
    assert.deepEqual(generateRegistrations(10, 5), tenant.slice(0, 10), 'a smaller tenant is the start of a bigger one');
    assert.notDeepEqual(
      generateRegistrations(10, 6).map((registration) => registration.id),
      ids.slice(0, 10),
    );

    const countBy = (key: (registration: Record<string, unknown>) => string): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const registration of tenant) counts.set(key(registration), (counts.get(key(registration)) ?? 0) + 1);
      return counts;
    };
    const byUser = countBy((registration) => String(registration.userId));
    assert.deepEqual(new Set(byUser.keys()), new Set(generatedUsers.map((user) => user.id)));
    assert.ok(
      [...byUser.values()].every((count) => count >= 60),
      'every user has many registrations',
    );
    const byType = countBy((registration) => String(registration['@odata.type']));
    assert.deepEqual(new Set(byType.keys()), new Set(['#microsoft.graph.androidManagedAppRegistration', '#microsoft.graph.iosManagedAppRegistration']));
    const byApp = countBy((registration) => {
      const identifier = registration.appIdentifier as Record<string, string>;
      return identifier.packageId ?? identifier.bundleId;
    });
    const appIds = new Set(generatedApps.flatMap((app) => [app.android, app.ios]));
    assert.ok([...byApp.keys()].every((app) => appIds.has(app)));
    assert.ok(byApp.size >= generatedApps.length);
    assert.ok(tenant.some((registration) => (registration.flaggedReasons as string[]).includes('rootedDevice')));
    for (const registration of tenant.slice(0, 50)) {
      const identifier = registration.appIdentifier as Record<string, string>;
      if (registration['@odata.type'] === '#microsoft.graph.androidManagedAppRegistration') assert.ok(identifier.packageId && registration.patchVersion);
      else assert.ok(identifier.bundleId && !('patchVersion' in registration));
      assert.ok(String(registration.lastSyncDateTime) >= String(registration.createdDateTime));
    }
    assert.throws(() => generateRegistrations(-1), RangeError);
  });

  it('serves a generated tenant, from the options or the control surface; reset brings the samples back', async () => {
    const tenant = generateRegistrations(230, 9);
    const emulator = await start({ registrations: tenant, pageSize: 100 });
    const listed = await allPages(emulator, `/beta${REGISTRATIONS}`);
    assert.deepEqual(listed.sizes, [100, 100, 30]);
    assert.deepEqual(
      listed.items.map((item) => item.id),
      tenant.map((registration) => registration.id),
    );
    const last = String(tenant[229].id);
    await createOperation(emulator, last.toUpperCase(), { displayName: 'Wipe' });
    assert.equal(emulator.operationsOf(last).length, 1);

    const replaced = await fetch(`${emulator.url}/_emulator/registrations`, { method: 'PUT', body: JSON.stringify({ generate: 40, seed: 2 }) });
    assert.equal(replaced.status, 200);
    const answer = (await replaced.json()) as { count: number; ids: string[] };
    assert.equal(answer.count, 40);
    assert.deepEqual(
      answer.ids,
      generateRegistrations(40, 2).map((registration) => registration.id),
    );
    assert.equal((await allPages(emulator, `/beta${REGISTRATIONS}`)).items.length, 40);
    const refused = await fetch(`${emulator.url}/_emulator/registrations`, {
      method: 'PUT',
      body: JSON.stringify({ registrations: [{ id: 'a' }, { id: 'A' }] }),
    });
    assert.equal(refused.status, 400);

    emulator.reset();
    assert.equal((await allPages(emulator, `/beta${REGISTRATIONS}`)).items.length, 230, 'back to the start-up tenant');
  });

  it('names the sample tenant ids so tests need not restate GUIDs', async () => {
    assert.deepEqual(
      Object.values(sampleIds.registrations),
      sampleRegistrations.map((registration) => registration.id),
    );
    assert.deepEqual(
      new Set(
        sampleRegistrations.filter((registration) => (registration.flaggedReasons as string[]).includes('rootedDevice')).map((registration) => registration.id),
      ),
      new Set(sampleIds.rootedRegistrations),
    );
    assert.ok(sampleRegistrations.every((registration) => Object.values(sampleIds.users).includes(registration.userId as never)));
    const emulator = await start();
    const claims = JSON.parse(Buffer.from(emulator.mintToken().split('.')[1], 'base64url').toString());
    assert.equal(claims.tid, sampleIds.tenantId);
    assert.equal(claims.appid, sampleIds.clientAppId);
    assert.equal(claims.oid, sampleIds.adminObjectId);
    assert.equal(claims.upn, sampleIds.adminUpn);
    const v2 = JSON.parse(Buffer.from(emulator.mintToken({ ver: '2.0' }).split('.')[1], 'base64url').toString());
    assert.equal(v2.azp, sampleIds.clientAppId);
    assert.equal('appid' in v2, false);
  });
});
