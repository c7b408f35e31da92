// @ts-check
// Bulk figures for `npm run bench`: the engine (dist/core.js) against the emulator (dist/emulator.js) in a
// process of its own, as a pipeline would run them. Prints `name: value unit` lines; asserts nothing.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The core and the client come from the built bundle at run time (dist/core.js), so they are untyped here.
 * @typedef {any} Core
 * @typedef {any} Client
 * @typedef {(name: string, value: string | number, unit: string) => void} Print
 * @typedef {{ url: string, token: string, stop: () => void, admin: (method: string, path: string, body?: unknown) => Promise<any> }} EmulatorProcess
 * @typedef {{ name: string, serverWrites: number, faults?: object, resendUnknown?: boolean }} Scenario
 */
const items = 1000;
// Intune's windows (100 writes per 20 s per app, 200 per tenant) scaled down twentyfold, and so the settle delay.
const windowMs = 1000;
const appWrites = 100;
const tenantWrites = 200;
const settleMs = 100;

/**
 * @param {string} root
 * @param {Print} print
 */
export async function benchBulk(root, print) {
  const core = require(join(root, 'dist', 'core.js'));
  const emulator = await startEmulatorProcess(root);
  try {
    const client = new core.GraphClient({
      target: core.resolveGraphTarget('global', emulator.url),
      getToken: async () => emulator.token,
      userAgent: 'intune-mao-bench',
    });
    const ids = await registrationIds(core, client);
    print('bulk.items', items, 'operations');
    print('bulk.window', windowMs / 1000, 's');
    print('bulk.window_writes_per_app', appWrites, 'writes');
    print('bulk.window_writes_per_tenant', tenantWrites, 'writes');
    print('bulk.settle', settleMs, 'ms');
    /** @type {Scenario[]} */
    const scenarios = [
      { name: 'plain', serverWrites: appWrites },
      // The client believes the documented limit; the server lets through only 60 per window.
      { name: 'storm', serverWrites: 60 },
      // 5% of operation POSTs answer 500 or 504; half of those created the operation first.
      { name: 'faults', serverWrites: appWrites, faults: { probability: 0.05, statuses: [500, 504], createdShare: 0.5, seed: 7 }, resendUnknown: true },
    ];
    for (const scenario of scenarios) {
      for (const batching of [false, true]) {
        await runScenario(core, client, emulator, ids, scenario, batching, print);
      }
    }
    await overhead(core, client, emulator, ids[0], print);
  } finally {
    emulator.stop();
  }
}

/**
 * @param {Core} core
 * @param {Client} client
 * @param {EmulatorProcess} emulator
 * @param {string[]} ids
 * @param {Scenario} scenario
 * @param {boolean} batching
 * @param {Print} print
 */
async function runScenario(core, client, emulator, ids, scenario, batching, print) {
  const name = `bulk.${scenario.name}.${batching ? 'batched' : 'direct'}`;
  await emulator.admin('POST', 'reset');
  await emulator.admin('PUT', 'limits', {
    perApp: { writesPerWindow: scenario.serverWrites, windowMs },
    perTenant: { writesPerWindow: scenario.serverWrites * 2, windowMs },
  });
  if (scenario.faults) await emulator.admin('PUT', 'random-faults', scenario.faults);
  const job = ids.slice(0, items).map((registrationId) => ({
    key: `wipe.mao.json → ${registrationId}`,
    file: 'wipe.mao.json',
    registrationId,
    body: '{"displayName": "Wipe corporate data", "state": "pending"}',
  }));
  const started = performance.now();
  const { results, summary } = await core.runJob(job, {
    client,
    apiVersion: 'beta',
    writeLimit: { writes: appWrites, windowMs },
    batching,
    settleMs,
    resendUnknown: scenario.resendUnknown ?? false,
  });
  const elapsedMs = performance.now() - started;
  const stats = await emulator.admin('GET', 'stats');
  const operations = await Promise.all(job.map((item) => emulator.admin('GET', `operations/${item.registrationId}`)));
  // Every POST that failed without creating must be sent again by any client: the window has to hold those too.
  const writesNeeded = items + (stats.faultsFired - stats.faultsCreated);
  const idealMs = (Math.ceil(writesNeeded / scenario.serverWrites) - 1) * windowMs;
  const unaccounted = results.filter((/** @type {any} */ result, /** @type {number} */ index) => {
    const held = operations[index];
    if (result.outcome === 'created') return held.length !== 1 || held[0].id !== result.operationId;
    return result.outcome !== 'failed' || held.length !== 0;
  }).length;
  print(`${name}.server_writes_per_window`, scenario.serverWrites, 'writes');
  print(`${name}.writes_needed`, writesNeeded, 'writes');
  print(`${name}.ideal`, (idealMs / 1000).toFixed(2), 's');
  print(`${name}.elapsed`, (elapsedMs / 1000).toFixed(2), 's');
  print(`${name}.throughput_of_ceiling`, (idealMs / elapsedMs).toFixed(3), 'ratio');
  print(`${name}.http_requests_per_operation`, (stats.httpRequests / items).toFixed(3), 'requests');
  print(`${name}.throttled_429`, stats.throttledDirect + stats.throttledInner, 'responses');
  print(`${name}.faults`, stats.faultsFired, 'responses');
  print(`${name}.faults_that_created`, stats.faultsCreated, 'responses');
  print(`${name}.reconciled`, summary.reconciled, 'operations');
  print(`${name}.resent_after_check`, results.filter((/** @type {any} */ r) => r.resent).length, 'operations');
  print(`${name}.unknown_at_end`, summary.counts.unknown, 'operations');
  print(`${name}.duplicates`, operations.filter((held) => held.length > 1).length, 'targets');
  print(`${name}.unaccounted`, unaccounted, 'items');
}

/**
 * One send at a time, with no write limit: the engine and the Graph client against a bare http.request.
 * @param {Core} core
 * @param {Client} client
 * @param {EmulatorProcess} emulator
 * @param {string} registrationId
 * @param {Print} print
 */
async function overhead(core, client, emulator, registrationId, print) {
  await emulator.admin('POST', 'reset');
  await emulator.admin('PUT', 'limits', { perApp: null, perTenant: null });
  const body = '{"displayName": "Wipe corporate data", "state": "pending"}';
  const request = core.buildOperationRequest({ text: body, registrationId, apiVersion: 'beta', target: client.target });
  const agent = new http.Agent({ keepAlive: true });
  const bare = () =>
    new Promise((resolve, reject) => {
      const sent = http.request(
        request.url,
        { method: 'POST', agent, headers: { ...request.headers, Authorization: `Bearer ${emulator.token}` } },
        (answer) => {
          answer.resume();
          answer.on('end', resolve);
        },
      );
      sent.on('error', reject);
      sent.end(request.body);
    });
  const item = { key: 'one', file: 'one.mao.json', registrationId, body };
  /** @type {Record<string, () => Promise<unknown>>} */
  const ways = {
    bare: bare,
    client: () => client.execute(request),
    engine: () => core.runJob([item], { client, apiVersion: 'beta', writeLimit: { writes: 10_000, windowMs: 1000 } }),
  };
  /** @type {Record<string, number>} */
  const medians = {};
  for (const [name, send] of Object.entries(ways)) {
    for (let i = 0; i < 20; i++) await send();
    const samples = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await send();
      samples.push(performance.now() - started);
    }
    const median = samples.sort((a, b) => a - b)[100] ?? NaN;
    medians[name] = median;
    print(`send.${name}_median`, median.toFixed(3), 'ms');
  }
  agent.destroy();
  print('send.client_over_bare', ((medians['client'] ?? NaN) / (medians['bare'] ?? NaN)).toFixed(2), 'ratio');
  print('send.engine_over_bare', ((medians['engine'] ?? NaN) / (medians['bare'] ?? NaN)).toFixed(2), 'ratio');
}

/**
 * @param {Core} core
 * @param {Client} client
 * @returns {Promise<string[]>}
 */
async function registrationIds(core, client) {
  const { items: registrations } = await client.listAll(core.buildGetRequest(client.target, core.registrationsPath('beta')));
  return registrations.map((/** @type {{ id: string }} */ registration) => registration.id);
}

/**
 * node dist/emulator.js with a generated tenant of `items` registrations; its URL and token read from its banner.
 * @param {string} root
 * @returns {Promise<EmulatorProcess>}
 */
function startEmulatorProcess(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'dist', 'emulator.js'), '--registrations', String(items), '--seed', '7', '--page-size', '100', '--quiet'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let banner = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the emulator stopped (exit ${code})`)));
    child.stdout.on('data', (chunk) => {
      banner += chunk;
      const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      const token = /EMULATOR TOKEN[^\n]*\n(\S+)/.exec(banner)?.[1];
      if (!url || !token) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url,
        token,
        stop: () => child.kill(),
        admin: async (/** @type {string} */ method, /** @type {string} */ path, /** @type {unknown} */ body) => {
          const answer = await fetch(`${url}/_emulator/${path}`, {
            method,
            ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
          });
          const text = await answer.text();
          return text ? JSON.parse(text) : undefined;
        },
      });
    });
  });
}
