import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from '../support/runCli';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';

const registrationId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const token = `terminal-safety-token-${Date.now()}`;
/** Anything that would act on a terminal; only the line breaks between lines are allowed. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const activeCharacter = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

describe('intune-mao CLI: untrusted text reaches the terminal inert', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let answer: (response: ServerResponse, method: string, url: string) => void;
  let dir: string;
  const runs: CliRun[] = [];

  before(async () => {
    server = await startScriptedServer((request, response) => answer(response, request.method ?? '', request.url ?? ''));
    dir = mkdtempSync(join(tmpdir(), 'mao-inert-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });
  afterEach(() => {
    for (const run of runs.splice(0)) {
      for (const [name, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
      ] as const) {
        const found = activeCharacter.exec(text);
        assert.equal(found, null, `${name} holds U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`);
      }
      assert.ok(!(run.stdout + run.stderr).includes(token));
    }
  });

  const cli = async (args: string[]): Promise<CliRun> => {
    const run = await runCli(args, { INTUNE_MAO_ACCESS_TOKEN: token });
    runs.push(run);
    return run;
  };
  const operationFile = (name = 'op.mao.json', body: unknown = { $registrationId: registrationId, displayName: 'Wipe' }): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };
  const send = (...extra: string[]): Promise<CliRun> => cli(['send', operationFile(), '--graph-url', server.url, ...extra]);

  it("shows Graph's error code, message and request-id with their escape sequences written out", async () => {
    answer = (response) =>
      json(
        response,
        400,
        {
          error: { code: 'Bad\u001b[2JRequest', message: 'The \u001b]52;c;ZXZpbA==\u0007clipboard \u009b31mred\r\n✔ created fake.mao.json' },
        },
        { 'request-id': 'req\u009b2J' },
      );
    const run = await send();
    assert.equal(run.code, 1, run.stderr);
    assert.ok(run.stdout.includes('The \\x1b]52;c;ZXZpbA==\\x07clipboard \\x9b31mred\\r\\n✔ created fake.mao.json'), run.stdout);
    assert.ok(run.stdout.includes('code Bad\\x1b[2JRequest'));
    assert.ok(run.stdout.includes('request-id req\\x9b2J'));
    assert.doesNotMatch(run.stdout, /^✔ created fake/m, 'no line of its own');
  });

  it("shows the created operation's id inert, and --verbose dumps the body inert", async () => {
    answer = (response) => json(response, 201, { id: 'op\u001b[31m\u0007', displayName: 'Wipe\u001b[8m' });
    const run = await send('--verbose');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes('operation id op\\x1b[31m\\x07'), run.stdout);
    assert.ok(run.stderr.includes('"id": "op\\u001b[31m\\u0007"'), run.stderr);
  });

  it('keeps --json lines free of raw C1 controls and line separators, as the same JSON values', async () => {
    const displayName = 'a\u0085b\u2028c\u2029d\u009be\u202ef';
    answer = (response) => json(response, 201, { id: 'op-1', displayName });
    const run = await send('--json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines.length, 1);
    assert.equal(run.lines[0]!.body.displayName, displayName);
    assert.ok(run.stdout.includes('a\\u0085b\\u2028c\\u2029d\\u009be\\u202ef'), run.stdout);
  });

  it("shows a registration's fields and flags column inert, and one row per registration", async () => {
    answer = (response, _method, url) => {
      if (url.includes('/operations')) {
        json(response, 200, { value: [{ id: 'op\u001b[2J', displayName: 'name\u2028x', state: 'pending\u202e', version: '1\r\nFORGED' }] });
        return;
      }
      json(response, 200, {
        value: [
          {
            '@odata.type': '#microsoft.graph.androidManagedAppRegistration',
            id: `${registrationId}\u001b[2J`,
            deviceName: 'Phone\u001b]0;title\u0007',
            userId: 'user\r\nINJECTED row',
            flaggedReasons: ['rootedDevice\u001b[5m'],
            applicationVersion: '1\u009b0m',
            appIdentifier: { packageId: 'com.contoso\u001b' },
          },
        ],
      });
    };
    const registrations = await cli(['registrations', '--graph-url', server.url]);
    assert.equal(registrations.code, 0, registrations.stderr);
    for (const shown of [`${registrationId}\\x1b[2J`, 'Phone\\x1b]0;title\\x07', 'user\\r\\nINJECTED row', 'rootedDevice\\x1b[5m', '1\\x9b0m']) {
      assert.ok(registrations.stdout.includes(shown), `${shown} in ${registrations.stdout}`);
    }
    assert.equal(registrations.stdout.trim().split('\n').length, 3, 'header, one row, the count');
    const operations = await cli(['operations', registrationId, '--graph-url', server.url]);
    assert.equal(operations.code, 0, operations.stderr);
    for (const shown of ['op\\x1b[2J', 'name\\u2028x', 'pending\\u202e', '1\\r\\nFORGED']) assert.ok(operations.stdout.includes(shown), operations.stdout);
    assert.doesNotMatch(operations.stdout, /^FORGED/m);
  });

  it('shows file names with escapes and line breaks, and property names from a file, inert', async () => {
    const name = 'evil\u001b[2J\n✔ forged.mao.json';
    const path = operationFile(name, { $registrationId: registrationId, '\u001b[2Jcolour': 'red' });
    const validated = await cli(['validate', path]);
    assert.equal(validated.code, 2);
    assert.ok(validated.stdout.includes('evil\\x1b[2J\\n✔ forged.mao.json'), validated.stdout);
    assert.ok(validated.stdout.includes('Property "\\x1b[2Jcolour" is not allowed'), validated.stdout);
    assert.doesNotMatch(validated.stdout, /^✔ forged/m);
    const sent = await cli(['send', path, '--graph-url', server.url]);
    assert.equal(sent.code, 2);
    assert.ok(sent.stdout.includes('✖ invalid  ' + join(dir, 'evil\\x1b[2J\\n✔ forged.mao.json')), sent.stdout);
    const missing = await cli(['validate', join(dir, 'gone\u0007\r.mao.json')]);
    assert.ok(missing.stdout.includes('gone\\x07\\r.mao.json'), missing.stdout);
  });
});
