import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleIds, startEmulator, type Emulator } from '../../src/emulator';
import { runCli, type CliRun } from '../support/runCli';

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('intune-mao CLI against the emulator', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let token: string;
  let dir: string;
  let registrationId: string;
  const outputs: CliRun[] = [];

  before(async () => {
    emulator = await startEmulator({ pageSize: 5 });
    token = emulator.mintToken();
    const first = await fetch(`${emulator.url}/beta/deviceAppManagement/managedAppRegistrations`, { headers: { Authorization: `Bearer ${token}` } });
    registrationId = ((await first.json()) as { value: { id: string }[] }).value[0]!.id;
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.reset();
    dir = mkdtempSync(join(tmpdir(), 'mao-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const run of outputs.splice(0)) {
      assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), 'the token appeared in the CLI output');
    }
  });

  const file = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };
  const operation = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    $registrationId: registrationId,
    '@odata.type': '#microsoft.graph.managedAppOperation',
    displayName: 'Wipe corporate data',
    state: 'pending',
    ...extra,
  });
  const cli = async (args: string[], env: Record<string, string | undefined> = {}, options = {}): Promise<CliRun> => {
    const run = await runCli(args, { INTUNE_MAO_ACCESS_TOKEN: token, INTUNE_MAO_BACKOFF_BASE_MS: '20', ...env }, options);
    outputs.push(run);
    return run;
  };
  const send = (files: string[], ...extra: string[]): Promise<CliRun> => cli(['send', ...files, '--graph-url', emulator.url, '--json', ...extra]);
  const posts = () => emulator.requests.filter((r) => r.method === 'POST');

  describe('validate', () => {
    it('exits 0 for a valid file, warnings allowed, and 2 for an invalid one', async () => {
      const good = file('good.mao.json', operation({ id: 'server-set' }));
      const bad = file('bad.mao.json', '{\n  "displayName": "x",\n  // comment\n  "colour": "red",\n}');
      const ok = await cli(['validate', good, '--json']);
      assert.equal(ok.code, 0);
      assert.deepEqual(ok.lines[0], {
        file: good,
        valid: true,
        problems: [{ line: 6, column: 3, pointer: '/id', severity: 'warning', message: ok.lines[0]!.problems[0].message }],
      });
      const failed = await cli(['validate', good, bad, '--json']);
      assert.equal(failed.code, 2);
      assert.equal(failed.lines.length, 2);
      assert.equal(failed.lines[1]!.valid, false);
      assert.ok(failed.lines[1]!.problems.some((p: { line: number; message: string }) => p.line === 3 && /Comments are not allowed/.test(p.message)));
    });

    it('prints problems as file:line:column for people', async () => {
      const bad = file('bad.mao.json', '{"displayName": "x", "colour": 1}');
      const run = await cli(['validate', bad]);
      assert.equal(run.code, 2);
      assert.match(run.stdout, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:22 error: Property "colour" is not allowed`));
      assert.ok(!run.stdout.includes('\u001b['), 'no colour outside a terminal');
    });

    it('calls JSON nested thousands of levels deep a validation problem (exit 2) in validate and send', async () => {
      for (const depth of [2_000, 100_000]) {
        const deep = file(`deep-${depth}.mao.json`, `{"$registrationId": "${registrationId}", "displayName": ${'['.repeat(depth)}${']'.repeat(depth)}}`);
        const checked = await cli(['validate', deep]);
        assert.equal(checked.code, 2, checked.stderr);
        assert.match(checked.stdout, /:1:\d+ error: Nested more than 64 levels deep/);
        assert.equal(checked.stderr, '');
        const json = await cli(['validate', deep, '--json']);
        assert.equal(json.code, 2);
        assert.equal(json.lines[0]!.valid, false);
        assert.match(json.lines[0]!.problems[0].message, /Nested more than 64 levels deep/);
        const sent = await send([deep]);
        assert.equal(sent.code, 2, sent.stderr);
        assert.equal(sent.lines[0]!.outcome, 'invalid');
        assert.doesNotMatch(sent.stderr, /unexpected error|RangeError/);
      }
      assert.equal(emulator.requests.length, 0);
    });

    it('reports both target keys in one file, and an id in $registrationIds that is not a GUID, as problems (exit 2)', async () => {
      const other = '0f0e0d0c-0b0a-4909-8807-060504030201';
      const both = file('both.mao.json', operation({ $registrationIds: [other] }));
      const bad = file('bad-ids.mao.json', { displayName: 'x', $registrationIds: [other, 'not-a-guid'] });
      const run = await cli(['validate', both, bad, '--json']);
      assert.equal(run.code, 2);
      assert.deepEqual(
        run.lines.map((l) => l.valid),
        [false, false],
      );
      assert.deepEqual(
        run.lines[0]!.problems.map((p: { pointer: string }) => p.pointer),
        ['/$registrationId'],
      );
      assert.match(run.lines[0]!.problems[0].message, /either "\$registrationId" or "\$registrationIds", not both/);
      assert.deepEqual(
        run.lines[1]!.problems.map((p: { pointer: string }) => p.pointer),
        ['/$registrationIds/1'],
      );
      assert.match(run.lines[1]!.problems[0].message, /item 2 of "\$registrationIds" must be a GUID/);
      const good = await cli(['validate', file('ids.mao.json', { displayName: 'x', $registrationIds: [other, registrationId] })]);
      assert.equal(good.code, 0, good.stdout);
    });

    it('reports a missing file and a usage error with exit 2', async () => {
      assert.equal((await cli(['validate', join(dir, 'missing.mao.json')])).code, 2);
      assert.equal((await cli(['validate'])).code, 2);
      assert.equal((await cli(['validate', '--bogus', 'x'])).code, 2);
      assert.equal((await cli(['frobnicate'])).code, 2);
    });
  });

  describe('send', () => {
    it('creates the operation, sending the body as written less the local keys', async () => {
      const text = '\uFEFF{\n  "$schema": "./s.json",\n  "$registrationId": "' + registrationId + '",\n  "displayName":  "Wipe",\n  "state": "pending"\n}';
      const run = await send([file('a.mao.json', text)]);
      assert.equal(run.code, 0, run.stderr);
      const [line] = run.lines;
      assert.equal(line!.ok, true);
      assert.equal(line!.outcome, 'created');
      assert.equal(line!.status, 201);
      assert.equal(line!.registrationId, registrationId);
      assert.equal(line!.attempts, 1);
      assert.match(line!.requestId, guidPattern);
      assert.match(line!.clientRequestId, guidPattern);
      assert.equal(line!.body.displayName, 'Wipe');
      assert.equal(typeof line!.durationMs, 'number');
      assert.equal(line!.error, undefined);
      const [post] = posts();
      assert.equal(post!.path, `/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`);
      assert.equal(post!.body, '{\n  "displayName":  "Wipe",\n  "state": "pending"\n}');
      assert.equal(post!.headers['authorization'], `Bearer ${token}`);
      assert.equal(post!.headers['content-type'], 'application/json');
      assert.equal(post!.headers['accept'], 'application/json');
      assert.equal(post!.headers['client-request-id'], line!.clientRequestId);
      assert.match(post!.headers['user-agent']!, /^intune-mao-cli\//);
      assert.equal(post!.headers['retry-attempt'], undefined);
      assert.equal(emulator.operationsOf(registrationId).length, 1);
    });

    it('reads a body from standard input when the file is -', async () => {
      const text = '{"displayName": "From a pipeline",  "state": "pending"}';
      const checked = await cli(['validate', '-', '--json'], {}, { stdin: text });
      assert.equal(checked.code, 0);
      assert.deepEqual(checked.lines[0], { file: '-', valid: true, problems: [] });
      const run = await cli(['send', '-', '--registration', registrationId, '--graph-url', emulator.url, '--json'], {}, { stdin: text });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.lines[0]!.file, '-');
      assert.equal(run.lines[0]!.outcome, 'created');
      assert.equal(posts()[0]!.body, text);
      const twice = await cli(['validate', '-', '-'], {}, { stdin: text });
      assert.equal(twice.code, 2);
      assert.match(twice.stderr, /standard input \(-\) can be named once only/);
      const broken = await cli(['send', '-', '--registration', registrationId, '--graph-url', emulator.url], {}, { stdin: '{"displayName": "x",}' });
      assert.equal(broken.code, 2);
      assert.match(broken.stdout, /-:1:21 error: .*trailing comma/);
      assert.equal(broken.stdout.match(/trailing comma/g)?.length, 1, 'one mistake, one problem');
      assert.equal(posts().length, 1);
    });

    it('sends a file with $registrationIds to each registration it names, the body without the local key', async () => {
      const [first, second] = [registrationId, sampleIds.registrations.alexIphoneOutlook];
      const text = JSON.stringify({ $registrationIds: [first, second], displayName: 'Wipe', state: 'pending' }, null, 2);
      const run = await send([file('many.mao.json', text)]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        run.lines.map((l) => [l.registrationId, l.outcome]),
        [
          [first, 'created'],
          [second, 'created'],
        ],
      );
      assert.deepEqual(
        posts().map((p) => p.path),
        [first, second].map((id) => `/beta/deviceAppManagement/managedAppRegistrations/${id}/operations`),
      );
      assert.deepEqual(
        posts().map((p) => p.body),
        Array(2).fill('{\n  "displayName": "Wipe",\n  "state": "pending"\n}'),
      );
    });

    it('uses --registration over the file and v1.0 when asked', async () => {
      const other = '0f0e0d0c-0b0a-4909-8807-060504030201';
      const run = await send([file('a.mao.json', operation())], '--registration', other, '--api-version', 'v1.0');
      assert.equal(run.lines[0]!.registrationId, other);
      assert.match(posts()[0]!.path, new RegExp(`^/v1.0/deviceAppManagement/managedAppRegistrations/${other}/operations$`));
      assert.equal(run.lines[0]!.status, 404);
      assert.equal(run.lines[0]!.outcome, 'failed');
      assert.equal(run.code, 1);
    });

    it('sends nothing when any file is invalid', async () => {
      const good = file('good.mao.json', operation());
      const bad = file('bad.mao.json', { ...operation(), colour: 'red' });
      const run = await send([good, bad]);
      assert.equal(run.code, 2);
      assert.deepEqual(
        run.lines.map((l) => l.outcome),
        ['skipped', 'invalid'],
      );
      assert.equal(emulator.requests.length, 0);
    });

    it('refuses a missing or hostile registration id before any request', async () => {
      const noTarget = file('none.mao.json', { displayName: 'x' });
      const missing = await send([noTarget]);
      assert.equal(missing.code, 2);
      assert.match(missing.lines[0]!.problems[0].message, /No target registration/);
      for (const hostile of ['../../../users', `${registrationId}/../x`, `${registrationId}?$top=1`]) {
        const run = await send([noTarget], '--registration', hostile);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /must be a GUID/);
      }
      const inFile = await send([file('h.mao.json', { $registrationId: '../x', displayName: 'x' })]);
      assert.equal(inFile.code, 2);
      assert.equal(emulator.requests.length, 0);
    });

    it('prints the exact request on --dry-run and sends nothing', async () => {
      const human = await cli(['send', file('a.mao.json', operation()), '--graph-url', emulator.url, '--dry-run']);
      assert.equal(human.code, 0);
      assert.match(human.stdout, new RegExp(`POST ${emulator.url}/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`));
      assert.match(human.stdout, /Authorization: Bearer \[redacted\]/);
      assert.match(human.stdout, /client-request-id: [0-9a-f-]{36}/);
      assert.match(human.stdout, /"displayName": "Wipe corporate data"/);
      assert.ok(!human.stdout.includes('$registrationId'));
      const json = await cli(['send', file('b.mao.json', operation()), '--cloud', 'china', '--dry-run', '--json'], { INTUNE_MAO_ACCESS_TOKEN: undefined });
      assert.equal(json.code, 0);
      assert.equal(
        json.lines[0]!.request.url,
        `https://microsoftgraph.chinacloudapi.cn/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`,
      );
      assert.equal(emulator.requests.length, 0);
    });

    it('refuses a Graph URL that is not loopback, and an unknown cloud', async () => {
      const a = file('a.mao.json', operation());
      for (const url of ['https://graph.microsoft.com.evil.example', 'http://10.1.2.3:8080', 'http://localhost.evil.example']) {
        const run = await cli(['send', a, '--graph-url', url]);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /only loopback|not a valid URL/);
      }
      assert.equal((await cli(['send', a, '--cloud', 'mars'])).code, 2);
      assert.equal((await cli(['send', a, '--api-version', 'v2'])).code, 2);
    });

    it('says clearly when there is no token, and sends nothing', async () => {
      const run = await cli(['send', file('a.mao.json', operation()), '--graph-url', emulator.url], { INTUNE_MAO_ACCESS_TOKEN: undefined });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /No access token\. Set INTUNE_MAO_ACCESS_TOKEN/);
      assert.equal(emulator.requests.length, 0);
    });

    it('refuses a token with a line break, a control or a non-ASCII character before sending (exit 2), never showing it', async () => {
      const a = file('a.mao.json', operation());
      const split = `${token.slice(0, 40)}\n${token.slice(40)}`;
      const cases: [string, RegExp, string[][]][] = [
        [split, /it holds a line break \(character 41 of \d+\)/, [['send', a], ['registrations'], ['operations', registrationId]]],
        [`${token}\u0007`, /it holds a control character/, [['send', a]]],
        [`${token}\u0085`, /it holds a control character/, [['send', a]]],
        [`${token}\u20ac`, /it holds a character that is not ASCII/, [['send', a]]],
        [`${token}\u00e9`, /it holds a character that is not ASCII/, [['send', a, '--json']]],
      ];
      for (const [badToken, why, commands] of cases) {
        for (const args of commands) {
          const run = await cli([...args, '--graph-url', emulator.url], { INTUNE_MAO_ACCESS_TOKEN: badToken });
          assert.equal(run.code, 2, `${args[0]}: ${run.stdout}${run.stderr}`);
          assert.match(run.stderr, why);
          assert.match(run.stderr, /the token itself is not shown[\s\S]*Nothing was sent\./);
          for (const piece of [token.slice(0, 40), token.slice(40)]) assert.ok(!(run.stdout + run.stderr).includes(piece), 'part of the token was printed');
        }
      }
      assert.equal(emulator.requests.length, 0);
    });

    // Seconds count from the 429; a date names the moment itself (whole seconds), however long the CLI took to start.
    const retryAfterForms: [string, () => string, (firstReceivedAt: number, value: string) => number][] = [
      ['fractional seconds', () => '0.2', (first) => first + 180],
      ['whole seconds', () => '1', (first) => first + 900],
      ['an HTTP date', () => new Date(Date.now() + 2500).toUTCString(), (_first, value) => Date.parse(value) - 50],
    ];
    for (const [form, retryAfter, earliestRetry] of retryAfterForms) {
      it(`retries a 429 after a Retry-After in ${form}, with the same client-request-id`, async () => {
        const value = retryAfter();
        emulator.injectFault({ method: 'POST', status: 429, retryAfter: value });
        const run = await send([file('a.mao.json', operation())]);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.equal(run.lines[0]!.attempts, 2);
        const [first, second] = posts();
        assert.equal(first!.headers['client-request-id'], second!.headers['client-request-id']);
        assert.equal(first!.headers['retry-attempt'], undefined);
        assert.equal(second!.headers['retry-attempt'], '1');
        const waited = second!.receivedAt - first!.receivedAt;
        assert.ok(second!.receivedAt >= earliestRetry(first!.receivedAt, value) && waited < 5000, `waited ${waited} ms`);
        assert.equal(emulator.operationsOf(registrationId).length, 1);
      });
    }

    it('retries 503 with backoff when there is no Retry-After, even with an HTML body', async () => {
      emulator.injectFault({ method: 'POST', status: 503, html: true, times: 2 });
      const run = await send([file('a.mao.json', operation())]);
      assert.equal(run.code, 0);
      assert.equal(run.lines[0]!.attempts, 3);
      assert.deepEqual(
        posts().map((p) => p.headers['retry-attempt']),
        [undefined, '1', '2'],
      );
    });

    it('gives up after --max-retries and reports a definite failure', async () => {
      emulator.injectFault({ method: 'POST', status: 429, retryAfter: '0', times: 10 });
      const run = await send([file('a.mao.json', operation())], '--max-retries', '2');
      assert.equal(run.code, 1);
      assert.equal(run.lines[0]!.outcome, 'failed');
      assert.equal(run.lines[0]!.attempts, 3);
      assert.equal(run.lines[0]!.error.code, 'TooManyRequests');
      assert.equal(posts().length, 3);
    });

    it('never repeats a POST whose outcome is unknown (504 after the write)', async () => {
      emulator.injectFault({ method: 'POST', status: 504, processFirst: true });
      const run = await cli(['send', file('a.mao.json', operation()), '--graph-url', emulator.url]);
      assert.equal(run.code, 3);
      assert.equal(posts().length, 1);
      assert.equal(emulator.operationsOf(registrationId).length, 1, 'the write did happen');
      assert.match(run.stdout, /\? unknown/);
      assert.match(run.stdout, /may or may not have been created|did not say whether/);
      assert.match(run.stdout, new RegExp(`intune-mao operations ${registrationId}`));
    });

    it('treats a lost connection, a 500 and a timeout as unknown, sent once', async () => {
      emulator.injectFault({ method: 'POST', reset: true, processFirst: true });
      const reset = await send([file('a.mao.json', operation())]);
      assert.equal(reset.code, 3);
      assert.equal(reset.lines[0]!.outcome, 'unknown');
      assert.match(reset.lines[0]!.error.message, /connection was lost/);

      emulator.reset();
      emulator.injectFault({ method: 'POST', status: 500, intuneMessage: 'An internal server error has occurred' });
      const failed = await send([file('b.mao.json', operation())]);
      assert.equal(failed.code, 3);
      assert.equal(failed.lines[0]!.error.code, 'InternalError');
      assert.equal(failed.lines[0]!.error.innerMessage, 'An internal server error has occurred');
      assert.match(failed.lines[0]!.error.activityId, guidPattern);

      emulator.reset();
      emulator.injectFault({ method: 'POST', delayMs: 3000 });
      const slow = await send([file('c.mao.json', operation())], '--timeout', '0.5');
      assert.equal(slow.code, 3);
      assert.match(slow.lines[0]!.error.message, /timed out/);
      assert.equal(posts().length, 1);
    });

    it('decodes Graph errors: 400 from Graph, 403 for a missing scope', async () => {
      emulator.injectFault({ method: 'POST', status: 400, code: 'ModelValidationFailure', intuneMessage: 'The property is not valid' });
      const bad = await send([file('a.mao.json', operation())]);
      assert.equal(bad.code, 1);
      assert.equal(bad.lines[0]!.error.code, 'ModelValidationFailure');
      assert.equal(bad.lines[0]!.error.innerMessage, 'The property is not valid');

      // A read-only token no longer reaches Graph (the pre-flight refuses it: permissionPreflight.test.ts). Graph's
      // own 403 still comes to a token that has the scope, for example when the account lacks an Intune role.
      const withScope = emulator.mintToken({ scp: 'DeviceManagementApps.ReadWrite.All', upn: 'no-intune-role@contoso.example' });
      emulator.injectFault({
        method: 'POST',
        status: 403,
        intuneMessage:
          'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementApps.ReadWrite.All',
      });
      const forbidden = await runCli(['send', file('b.mao.json', operation()), '--graph-url', emulator.url], { INTUNE_MAO_ACCESS_TOKEN: withScope });
      assert.ok(!forbidden.stdout.includes(withScope) && !forbidden.stderr.includes(withScope));
      assert.equal(forbidden.code, 1);
      assert.match(forbidden.stdout, /✖ failed/);
      assert.match(forbidden.stdout, /DeviceManagementApps\.ReadWrite\.All/);
      assert.match(forbidden.stdout, /code Forbidden · activity id [0-9a-f-]{36}/);
    });

    it('survives empty and HTML bodies without crashing', async () => {
      emulator.injectFault({ method: 'POST', status: 502, emptyBody: true });
      const empty = await send([file('a.mao.json', operation())]);
      assert.equal(empty.code, 3);
      assert.match(empty.lines[0]!.error.message, /HTTP 502/);
      emulator.injectFault({ method: 'POST', status: 404, html: true });
      const html = await cli(['send', file('b.mao.json', operation()), '--graph-url', emulator.url]);
      assert.equal(html.code, 1);
      assert.match(html.stdout, /HTML page/);
    });

    it('reports 3 over 1 when one file failed and another is unknown', async () => {
      emulator.injectFault({ method: 'POST', status: 400 });
      emulator.injectFault({ method: 'POST', status: 504 });
      const run = await send([file('a.mao.json', operation()), file('b.mao.json', operation()), file('c.mao.json', operation())]);
      assert.deepEqual(
        run.lines.map((l) => l.outcome),
        ['failed', 'unknown', 'created'],
      );
      assert.equal(run.code, 3);
    });

    it("keeps sending within Intune's write throttle by obeying Retry-After", async () => {
      const throttled = await startEmulator({ throttle: { writesPerWindow: 2, windowMs: 1000 } });
      try {
        const t = throttled.mintToken();
        const files = ['a', 'b', 'c'].map((n) => file(`${n}.mao.json`, operation()));
        const run = await runCli(['send', ...files, '--graph-url', throttled.url, '--json'], { INTUNE_MAO_ACCESS_TOKEN: t });
        assert.equal(run.code, 0, run.stdout);
        assert.deepEqual(
          run.lines.map((l) => l.attempts),
          [1, 1, 2],
        );
        assert.equal(throttled.operationsOf(registrationId).length, 3);
      } finally {
        await throttled.close();
      }
    });

    it('does not carry the token across a redirect to another origin', async () => {
      const seen: IncomingHttpHeaders[] = [];
      const other: Server = createServer((req, res) => {
        seen.push(req.headers);
        req.resume();
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      try {
        const port = (other.address() as { port: number }).port;
        emulator.injectFault({ method: 'POST', redirectTo: `http://127.0.0.1:${port}/beta/elsewhere`, redirectStatus: 307 });
        const run = await send([file('a.mao.json', operation())]);
        assert.equal(seen.length, 1);
        assert.equal(seen[0]!['authorization'], undefined);
        assert.equal(run.code, 1);
        assert.equal(run.lines[0]!.status, 401);
      } finally {
        other.close();
      }
    });

    it('writes the --verbose request and response to standard error; standard output keeps the summary only', async () => {
      const run = await cli(['send', file('a.mao.json', operation()), '--graph-url', emulator.url, '--verbose']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, new RegExp(`^POST ${emulator.url}/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations$`, 'm'));
      assert.match(run.stderr, /^Authorization: Bearer \[redacted\]$/m);
      assert.match(run.stderr, /^HTTP 201$/m);
      assert.match(run.stderr, /^request-id: [0-9a-f-]{36}$/m);
      assert.match(run.stdout, /✔ created/);
      assert.doesNotMatch(run.stdout, /POST http|Authorization|^HTTP 201$|request-id: |"displayName"/m);
    });

    it('redacts a token that a hostile server echoes back', async () => {
      emulator.injectFault({ method: 'POST', status: 400, echoAuthorization: true });
      const run = await cli(['send', file('a.mao.json', operation()), '--graph-url', emulator.url, '--verbose']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /x-echo-authorization: Bearer \[redacted\]/);
      const json = await send([file('b.mao.json', operation())]);
      assert.equal(json.code, 0);
    });

    it('stops on Ctrl+C: a request in flight is reported unknown, the rest skipped', async () => {
      emulator.injectFault({ method: 'POST', delayMs: 5000 });
      let pid = 0;
      const running = cli(
        ['send', file('a.mao.json', operation()), file('b.mao.json', operation()), '--graph-url', emulator.url, '--json'],
        {},
        {
          onSpawn: (p: number) => {
            pid = p;
          },
        },
      );
      const deadline = Date.now() + 5000;
      while (posts().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      process.kill(pid, 'SIGINT');
      const run = await running;
      assert.equal(run.code, 3);
      assert.deepEqual(
        run.lines.map((l) => l.outcome),
        ['unknown', 'skipped'],
      );
      assert.equal(posts().length, 1);
    });
  });

  describe('registrations and operations', () => {
    it('lists every registration across pages', async () => {
      const json = await cli(['registrations', '--graph-url', emulator.url, '--json']);
      assert.equal(json.code, 0);
      const pages = emulator.requests.filter((r) => r.path.includes('managedAppRegistrations'));
      assert.ok(pages.length >= 3, `expected several pages, got ${pages.length}`);
      assert.ok(json.lines.length > 10);
      assert.equal(new Set(json.lines.map((l) => l['id'])).size, json.lines.length);
      const human = await cli(['registrations', '--graph-url', emulator.url]);
      assert.match(human.stdout, /^ID\s+PLATFORM\s+APP/m);
      assert.match(human.stdout, new RegExp(`${json.lines.length} shown`));
    });

    it('filters registrations by text', async () => {
      const all = (await cli(['registrations', '--graph-url', emulator.url, '--json'])).lines;
      const android = all.filter((r) => /android/i.test(r['@odata.type']));
      const filtered = await cli(['registrations', '--graph-url', emulator.url, '--json', '--filter', 'ANDROID']);
      assert.equal(filtered.lines.length, android.length);
      assert.ok(android.length > 0 && android.length < all.length);
    });

    it("lists one registration's operations, and refuses a hostile id", async () => {
      await send([file('a.mao.json', operation({ displayName: 'Listed op' }))]);
      const run = await cli(['operations', registrationId, '--graph-url', emulator.url, '--json']);
      assert.equal(run.code, 0);
      assert.deepEqual(
        run.lines.map((l) => l['displayName']),
        ['Listed op'],
      );
      const hostile = await cli(['operations', '../x', '--graph-url', emulator.url]);
      assert.equal(hostile.code, 2);
    });

    it('exits 1 with the decoded error when the list cannot be read', async () => {
      // A token without a read scope is refused before the list is asked for (permissionPreflight.test.ts); this
      // is Graph refusing a token that has it.
      emulator.injectFault({
        method: 'GET',
        status: 403,
        intuneMessage:
          'Application is not authorized to perform this operation. Application must have one of the following scopes: DeviceManagementApps.Read.All',
      });
      const run = await runCli(['registrations', '--graph-url', emulator.url], {
        INTUNE_MAO_ACCESS_TOKEN: emulator.mintToken({ scp: 'DeviceManagementApps.Read.All' }),
      });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /✖ .*scopes?/i);
    });
  });
});
