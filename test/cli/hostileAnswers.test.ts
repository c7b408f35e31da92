import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeBomb, pour, type BombKind } from '../support/bombs';
import { runCli, type CliRun } from '../support/runCli';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';

const registrationId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const token = `hostile-answers-token-${Date.now()}`;
const limit = 16 * 1024 * 1024;

describe('intune-mao CLI: answers that never end, expand without end or stop halfway', function () {
  // Generous: each case ends in well under a second when it works, and hangs (or burns CPU for long) when it does not.
  this.timeout(30_000);
  let server: ScriptedServer;
  let answer: (response: ServerResponse, method: string) => void;
  let dir: string;
  let file: string;

  before(async () => {
    server = await startScriptedServer((request, response) => answer(response, request.method ?? ''));
    dir = mkdtempSync(join(tmpdir(), 'mao-hostile-'));
    file = join(dir, 'op.mao.json');
    writeFileSync(file, JSON.stringify({ $registrationId: registrationId, displayName: 'Wipe' }));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  /** Runs the CLI; whatever the answer, it must end on its own and leave no connection behind. */
  const cli = async (args: string[]): Promise<CliRun> => {
    const run = await runCli([...args, '--graph-url', server.url], { INTUNE_MAO_ACCESS_TOKEN: token, INTUNE_MAO_BACKOFF_BASE_MS: '20' });
    assert.notEqual(run.code, null, 'the CLI did not end on its own');
    assert.ok(!(run.stdout + run.stderr).includes(token));
    await server.allClosed();
    return run;
  };

  const bombs: BombKind[] = ['gzip', 'deflate', 'br', 'gzip in 3,072 members'];
  for (const kind of bombs) {
    it(`stops decompressing a ${kind} bomb at the size limit and hangs up`, async () => {
      const bomb = await makeBomb(kind);
      let poured: Promise<boolean> | undefined;
      answer = (response) => {
        response.writeHead(201, { 'content-type': 'application/json', 'content-encoding': bomb.encoding });
        // Socket buffers can hold all of a finite bomb: kept open after it, only a CLI that hung up ends the exchange.
        poured = pour(response, bomb, true);
      };
      const run = await cli(['send', file, '--json']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.lines[0]!.outcome, 'created');
      assert.equal(run.lines[0]!.status, 201);
      assert.equal(run.lines[0]!.body, `[response body larger than ${limit} bytes, not read]`);
      assert.equal(await poured, false, 'the CLI hung up before the whole bomb was sent');
    });
  }

  it('hangs up on a body that never ends, once the size limit is passed', async () => {
    let poured: Promise<boolean> | undefined;
    answer = (response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      const block = Buffer.alloc(64 * 1024, 0x20);
      poured = pour(response, {
        encoding: 'gzip',
        expandsToBytes: 'endless',
        pieces: function* () {
          for (;;) yield block;
        },
      });
    };
    const run = await cli(['send', file, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.lines[0]!.body, `[response body larger than ${limit} bytes, not read]`);
    assert.equal(await poured, false);
  });

  it('bounds reading the body by --timeout: a body that trickles forever is a timeout (unknown for a POST)', async () => {
    answer = (response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.write('{"id": "');
      const drip = setInterval(() => response.write('x'), 50);
      response.on('close', () => clearInterval(drip));
    };
    const run = await cli(['send', file, '--json', '--timeout', '1']);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.lines[0]!.outcome, 'unknown');
    assert.match(run.lines[0]!.error.message, /^No answer within 1 s \(timed out\)\. The operation may or may not have been created/);
  });

  it('calls a page bigger than the limit once decompressed a failure to read the list', async () => {
    const bomb = await makeBomb('gzip');
    answer = (response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      void pour(response, bomb);
    };
    const run = await cli(['registrations', '--json']);
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stderr, new RegExp(`✖ The answer was larger than ${limit} bytes once decompressed, so it was not read`));
    assert.equal(server.requests.length, 1, 'not asked again: the same page would be as large');
  });

  describe('a connection lost in the middle of a body with Content-Length is noticed at once', () => {
    const cutShort =
      (how: 'closes' | 'resets', status: number) =>
      (response: ServerResponse): void => {
        response.writeHead(status, { 'content-type': 'application/json', 'content-length': '400' });
        response.write('{"value": [{"id": "a"}');
        setTimeout(() => (how === 'resets' ? response.socket!.resetAndDestroy() : response.socket!.destroy()), 50);
      };
    for (const how of ['closes', 'resets'] as const) {
      // --timeout 600: waiting for the timeout would outlast the test's own.
      it(`send: a server that ${how} the connection after 20 of 400 bytes leaves the outcome unknown (exit 3)`, async () => {
        answer = cutShort(how, 201);
        const run = await cli(['send', file, '--json', '--timeout', '600']);
        assert.equal(run.code, 3, run.stderr);
        assert.equal(run.lines[0]!.outcome, 'unknown');
        assert.match(run.lines[0]!.error.message, /^The connection was lost.* The operation may or may not have been created; it was not sent again/);
        assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1, 'sent once (the check of the operations afterwards is a GET)');
      });

      it(`registrations and operations: a server that ${how} the connection mid-page is a lost connection (exit 1)`, async () => {
        answer = cutShort(how, 200);
        for (const args of [['registrations'], ['operations', registrationId]]) {
          server.requests.length = 0;
          const run = await cli([...args, '--timeout', '600', '--max-retries', '1']);
          assert.equal(run.code, 1, run.stdout);
          assert.match(run.stderr, /✖ The connection was lost/);
          assert.equal(server.requests.length, 2, 'a read is tried again once');
        }
      });
    }
  });
});
