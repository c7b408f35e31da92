import assert from 'node:assert/strict';
import { BulkCliFixture, waitFor } from '../support/bulkCli';
import { seededRandom } from '../../src/emulator/random';
import type { CliRun } from '../support/runCli';

describe('intune-mao send: stopping, killing and resuming', function () {
  this.timeout(120_000);
  const fx = new BulkCliFixture(40);
  before(() => fx.start());
  after(() => fx.close());
  beforeEach(() => fx.beforeEach());
  afterEach(() => fx.afterEach());
  const op = (): string => fx.file('op.mao.json', { displayName: 'Wipe corporate data', state: 'pending' });

  /** Runs `send`, sending `signals` once the emulator has seen `afterPosts` POSTs. */
  async function interrupted(args: string[], afterPosts: number, signals: NodeJS.Signals[]): Promise<CliRun> {
    let pid = 0;
    const running = fx.cli(
      ['send', ...args, '--graph-url', fx.emulator.url, '--json'],
      {},
      {
        onSpawn: (p) => {
          pid = p;
        },
      },
    );
    await waitFor(() => fx.posts().length >= afterPosts, `${afterPosts} POSTs`);
    for (const [index, name] of signals.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, 150));
      process.kill(pid, name);
    }
    return running;
  }

  it('resumes a run killed with SIGKILL at random points: every target created exactly once, and again creates nothing', async () => {
    const random = seededRandom(20250122);
    const targets = fx.ids.slice(0, 24);
    for (const [round, batching] of [
      [1, false],
      [2, true],
      [3, false],
    ] as const) {
      fx.emulator.reset();
      const journal = fx.path(`run-${round}.ndjson`);
      const flags = [op(), ...targets.flatMap((t) => ['--registration', t]), '--write-limit', '6/0.3', '--journal', journal, ...(batching ? ['--batch'] : [])];
      const killAt = 1 + Math.floor(random() * (batching ? 3 : targets.length - 2));
      const killed = await interrupted(flags, killAt, ['SIGKILL']);
      assert.equal(killed.code, null, 'killed');
      const before = fx.counts(targets);
      assert.ok(
        before.some((n) => n === 0),
        `round ${round}: the kill came before the end`,
      );
      const resumed = await fx.cli([
        'send',
        ...flags.filter((f) => f !== journal && f !== '--journal'),
        '--resume',
        journal,
        '--resend-unknown',
        '--graph-url',
        fx.emulator.url,
        '--json',
      ]);
      assert.deepEqual(
        fx.counts(targets),
        targets.map(() => 1),
        `round ${round} (killed after ${killAt} POSTs): ${resumed.stdout}`,
      );
      assert.equal(resumed.lines.length, targets.length);
      for (const [index, line] of resumed.lines.entries()) {
        const own = fx.emulator.operationsOf(targets[index]!)[0]!['id'];
        if (line.outcome === 'created') assert.equal(line.operationId, own);
        else assert.equal(line.reconciliation?.ambiguousOperationId, own, JSON.stringify(line));
      }
      const posts = fx.posts().length;
      const again = await fx.cli(['send', ...flags, '--resume', journal, '--resend-unknown', '--graph-url', fx.emulator.url, '--json']);
      assert.ok(again.code === 0 || again.code === 3, again.stderr);
      assert.equal(fx.posts().length, posts, 'a second resume sends nothing');
      assert.ok(again.lines.filter((l) => l.outcome === 'created').every((l) => l.fromJournal || l.reconciliation?.found));
      fx.journalText(`run-${round}.ndjson`);
    }
  });

  it("refuses a journal that is not this job's, or starting over one that holds a run", async () => {
    const [t1, t2] = fx.ids;
    const journal = fx.path('job.ndjson');
    const first = await fx.send([op()], [t1!], '--journal', journal);
    assert.equal(first.code, 0);
    const other = await fx.send([op()], [t2!], '--resume', journal);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /does not match this command: 1 item\(s\) named now are not in it/);
    const over = await fx.send([op()], [t1!], '--journal', journal);
    assert.equal(over.code, 2);
    assert.match(over.stderr, /already holds a run.*--resume/);
    const mixed = await fx.send([op()], [t1!], '--journal', journal, '--resume', fx.path('else.ndjson'));
    assert.equal(mixed.code, 2);
    assert.equal(fx.posts().length, 1);
  });

  it('on Ctrl+C lets what is in flight finish, skips the rest, prints every line and exits 130', async () => {
    fx.emulator.injectFault({ method: 'POST', delayMs: 800 });
    const targets = fx.ids.slice(0, 5);
    const journal = fx.path('stop.ndjson');
    const run = await interrupted([op(), ...targets.flatMap((t) => ['--registration', t]), '--journal', journal], 1, ['SIGINT']);
    assert.equal(run.code, 130, run.stderr);
    assert.deepEqual(
      run.lines.map((l) => l.outcome),
      ['created', 'skipped', 'skipped', 'skipped', 'skipped'],
    );
    assert.match(run.stderr, /1 created, 0 failed, 0 unknown, 4 skipped/);
    assert.equal(fx.posts().length, 1);
    const records = fx
      .journalText('stop.ndjson')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; outcome?: string });
    assert.deepEqual(
      records.filter((r) => r.type === 'result').map((r) => r.outcome),
      ['created'],
    );
  });

  it('on a second Ctrl+C stops what is in flight at once: unknown, and the journal says so', async () => {
    fx.emulator.injectFault({ method: 'POST', delayMs: 10_000 });
    const targets = fx.ids.slice(0, 3);
    const started = Date.now();
    const run = await interrupted([op(), ...targets.flatMap((t) => ['--registration', t]), '--journal', fx.path('now.ndjson')], 1, ['SIGINT', 'SIGINT']);
    assert.ok(Date.now() - started < 9000, 'it did not wait for the answer');
    assert.equal(run.code, 3, 'an unknown outcome wins over the interruption');
    assert.deepEqual(
      run.lines.map((l) => l.outcome),
      ['unknown', 'skipped', 'skipped'],
    );
    assert.match(run.lines[0]!.error.message, /Cancelled while waiting for the answer.*may or may not have been created/);
    const results = fx
      .journalText('now.ndjson')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; outcome?: string; message?: string })
      .filter((r) => r.type === 'result');
    assert.equal(results.length, 1);
    assert.equal(results[0]!.outcome, 'unknown');
    assert.match(results[0]!.message!, /Cancelled while waiting for the answer/);
  });

  for (const [name, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`treats ${name} like Ctrl+C: the lines so far, the rest skipped, exit ${code}`, async () => {
      fx.emulator.injectFault({ method: 'POST', delayMs: 600 });
      const targets = fx.ids.slice(0, 3);
      const run = await interrupted([op(), ...targets.flatMap((t) => ['--registration', t])], 1, [name]);
      assert.equal(run.code, code, run.stderr);
      assert.deepEqual(
        run.lines.map((l) => l.outcome),
        ['created', 'skipped', 'skipped'],
      );
    });
  }

  it('on SIGTERM, what cannot finish in the grace is reported unknown (exit 3), not lost silently', async () => {
    fx.emulator.injectFault({ method: 'POST', delayMs: 15_000 });
    const run = await interrupted([op(), '--registration', fx.ids[0]!, '--registration', fx.ids[1]!], 1, ['SIGTERM']);
    assert.equal(run.code, 3);
    assert.deepEqual(
      run.lines.map((l) => l.outcome),
      ['unknown', 'skipped'],
    );
  });

  it('after a 401 claims challenge with a fixed token, every file gets its line and the words say what happened', async () => {
    fx.emulator.injectFault({
      method: 'POST',
      status: 401,
      skip: 1,
      wwwAuthenticate: 'Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="',
    });
    const files = ['a', 'b', 'c'].map((n) => fx.file(`${n}.mao.json`, { displayName: n }));
    const json = await fx.send(files, [fx.ids[0]!]);
    assert.equal(json.code, 1);
    assert.deepEqual(
      json.lines.map((l) => l.outcome),
      ['created', 'failed', 'skipped'],
    );
    assert.equal(json.lines[1]!.status, 401);
    assert.match(json.lines[1]!.error.message, /cannot be renewed.*answered the request with HTTP 401, so nothing was created/);
    assert.match(json.lines[2]!.error.message, /^Not sent: /);

    fx.emulator.reset();
    fx.emulator.injectFault({ method: 'POST', status: 401, wwwAuthenticate: 'Bearer realm="", error="insufficient_claims", claims="eyJ4Ijp7fX0="' });
    const human = await fx.cli(['send', ...files, '--registration', fx.ids[0]!, '--graph-url', fx.emulator.url]);
    assert.equal(human.code, 1);
    assert.ok(!/Nothing was sent/.test(human.stdout + human.stderr), 'a POST was sent: "nothing was sent" would be false');
    assert.match(human.stdout, /✖ failed .*a\.mao\.json.*HTTP 401/);
    assert.match(human.stdout, /so nothing was created/);
    assert.match(human.stdout, /- skipped .*b\.mao\.json/);
    assert.match(human.stdout, /- skipped .*c\.mao\.json/);
  });
});
