import assert from 'node:assert/strict';
import { BulkCliFixture } from '../support/bulkCli';

describe('intune-mao send in bulk (the engine, run as a process)', function () {
  this.timeout(90_000);
  const fx = new BulkCliFixture(40);
  before(() => fx.start());
  after(() => fx.close());
  beforeEach(() => fx.beforeEach());
  afterEach(() => fx.afterEach());
  const wipe = (name = 'Wipe corporate data'): Record<string, unknown> => ({
    '@odata.type': '#microsoft.graph.managedAppOperation',
    displayName: name,
    state: 'pending',
  });

  it('sends each file to each target, from --registration and a --registrations list, each named once', async () => {
    const [t1, t2, t3] = fx.ids;
    const a = fx.file('a.mao.json', wipe('A'));
    const b = fx.file('b.mao.json', wipe('B'));
    const list = fx.file('targets.txt', `# incident 42\n${t2}\n\n${t3!.toUpperCase()}   # the laptop\n${t1}\n`);
    const run = await fx.send([a, b, a], [t1!], '--registrations', list);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      run.lines.map((l) => [l.file, l.registrationId]),
      [
        [a, t1],
        [a, t2],
        [a, t3],
        [b, t1],
        [b, t2],
        [b, t3],
      ],
    );
    assert.ok(run.lines.every((l) => l.outcome === 'created' && l.ok === true && typeof l.operationId === 'string'));
    assert.match(run.stderr, new RegExp(`note: registration ${t1} is named more than once: each file is sent to it once`));
    assert.match(run.stderr, /note: .*a\.mao\.json is named more than once: it is sent once/);
    assert.deepEqual(fx.counts([t1!, t2!, t3!]), [2, 2, 2]);
    assert.deepEqual(
      fx
        .posts()
        .map((p) => JSON.parse(p.body).displayName)
        .sort(),
      ['A', 'A', 'A', 'B', 'B', 'B'],
    );
  });

  it('reads the NDJSON that `registrations --json` prints, from a file or from standard input', async () => {
    const listed = await fx.cli(['registrations', '--graph-url', fx.emulator.url, '--json']);
    const ndjson = listed.stdout.split('\n').slice(0, 3).join('\n') + '\n';
    const targets = listed.lines.slice(0, 3).map((l) => String(l['id']));
    const op = fx.file('op.mao.json', wipe());
    const fromStdin = await fx.cli(['send', op, '--registrations', '-', '--graph-url', fx.emulator.url, '--json'], {}, { stdin: ndjson });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.deepEqual(
      fromStdin.lines.map((l) => l.registrationId),
      targets,
    );
    const bad = await fx.cli(['send', op, '--registrations', fx.file('bad.txt', `${targets[0]}\nnot-a-guid\n`), '--graph-url', fx.emulator.url]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.txt, line 2: "not-a-guid" is not a registration id/);
    const both = await fx.cli(['send', '-', '--registrations', '-', '--graph-url', fx.emulator.url], {}, { stdin: '' });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /standard input \(-\) can be named once only/);
    assert.deepEqual(fx.counts(targets), [1, 1, 1]);
  });

  for (const batching of [false, true]) {
    it(`keeps within --write-limit: a server with the same limit never answers 429 (${batching ? 'batched' : 'one by one'})`, async () => {
      fx.emulator.setWriteLimits({ perApp: { writesPerWindow: 6, windowMs: 400 }, perTenant: null });
      const targets = fx.ids.slice(0, 20);
      const run = await fx.send([fx.file('op.mao.json', wipe())], targets, '--write-limit', '6/0.4', ...(batching ? ['--batch'] : []));
      assert.equal(run.code, 0, run.stderr);
      const stats = fx.emulator.stats();
      assert.equal(stats.throttledDirect + stats.throttledInner, 0);
      assert.deepEqual(
        fx.counts(targets),
        targets.map(() => 1),
      );
      assert.equal(stats.batchRequests > 0, batching);
    });
  }

  it("survives a 429 storm (configured far above the server's real limit): a few 429s, each target created once", async () => {
    fx.emulator.setWriteLimits({ perApp: { writesPerWindow: 4, windowMs: 400 }, perTenant: { writesPerWindow: 8, windowMs: 400 } });
    const targets = fx.ids.slice(0, 28);
    const run = await fx.send([fx.file('op.mao.json', wipe())], targets, '--write-limit', '40/0.4');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const stats = fx.emulator.stats();
    // One by one at first; then the 429s bring the limit down to what the server lets through.
    assert.ok(stats.throttledDirect > 0 && stats.throttledDirect <= 12, `${stats.throttledDirect} 429s for ${targets.length} operations`);
    assert.deepEqual(
      fx.counts(targets),
      targets.map(() => 1),
    );
    assert.ok(run.lines.every((l) => l.attempts <= 4));
  });

  it('settles unknown outcomes by listing the operations: found (and marked so), not found (and when it was checked)', async () => {
    const targets = fx.ids.slice(0, 8);
    fx.emulator.injectFault({ inBatch: true, status: 500, processFirst: true, skip: 3 });
    fx.emulator.injectFault({ inBatch: true, status: 504, skip: 5 });
    const run = await fx.send([fx.file('op.mao.json', wipe())], targets, '--batch');
    assert.equal(run.code, 3);
    assert.equal(run.lines[3]!.outcome, 'created');
    assert.equal(run.lines[3]!.reconciliation.found, true);
    assert.equal(run.lines[3]!.operationId, fx.emulator.operationsOf(targets[3]!)[0]!['id']);
    assert.equal(run.lines[5]!.outcome, 'unknown');
    assert.equal(run.lines[5]!.reconciliation.found, false);
    assert.ok(Date.parse(run.lines[5]!.reconciliation.checkedAt) > 0);
    assert.deepEqual(
      fx.counts(targets),
      targets.map((_, i) => (i === 5 ? 0 : 1)),
      'nothing was sent again',
    );

    fx.emulator.reset();
    fx.emulator.injectFault({ inBatch: true, status: 500, processFirst: true, skip: 3 });
    fx.emulator.injectFault({ inBatch: true, status: 504, skip: 5 });
    const human = await fx.cli(['send', fx.path('op.mao.json'), ...targets.flatMap((t) => ['--registration', t]), '--graph-url', fx.emulator.url, '--batch']);
    assert.match(human.stdout, /✔ created .*\n.*operation id .*\n.*hold it: reconciled/);
    assert.match(
      human.stdout,
      /\? unknown .*\n(.*\n)*? {4}Not among the registration's operations at \d{4}-\d\d-\d\dT[\d:.]+Z; it was not sent again \(the same command with --resend-unknown sends such items again\)/,
    );
    assert.match(human.stdout, new RegExp(`Check before sending again: intune-mao operations ${targets[5]}`));
  });

  it('--resend-unknown sends again only what the check did not find, ending at one operation per target', async () => {
    const targets = fx.ids.slice(0, 6);
    fx.emulator.injectFault({ method: 'POST', status: 504, skip: 2 });
    fx.emulator.injectFault({ method: 'POST', reset: true, skip: 4 });
    const run = await fx.send([fx.file('op.mao.json', wipe())], targets, '--resend-unknown');
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(
      run.lines.map((l) => l.attempts),
      [1, 1, 2, 1, 2, 1],
    );
    assert.deepEqual(
      run.lines.map((l) => l.resent === true),
      [false, false, true, false, true, false],
    );
    assert.deepEqual(
      fx.counts(targets),
      targets.map(() => 1),
    );
  });

  it("without a terminal (a pipeline's log), says how far it got every few seconds on standard error only", async () => {
    const targets = fx.ids.slice(0, 14);
    const run = await fx.send([fx.file('op.mao.json', wipe())], targets, '--write-limit', '2/1');
    assert.equal(run.code, 0);
    assert.match(run.stderr, /progress: \d+\/14 · \d+ created/);
    assert.ok(!run.stdout.includes('progress'));
    assert.ok(!run.stderr.includes('\r'), 'no redrawn line outside a terminal');
  });

  it('keeps --json to one valid line per item on stdout, in item order, whatever happens', async () => {
    const targets = fx.ids.slice(0, 24);
    fx.emulator.setRandomFaults({ probability: 0.3, statuses: [400, 429, 500, 503, 504], createdShare: 0.5, seed: 3, retryAfter: '0.05' });
    const run = await fx.send([fx.file('op.mao.json', wipe())], targets, '--batch', '--resend-unknown');
    const lines = run.stdout.split('\n');
    assert.equal(lines.pop(), '', 'stdout ends with a line break');
    assert.equal(lines.length, targets.length);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      parsed.map((l) => l['registrationId']),
      targets,
    );
    for (const line of parsed) {
      assert.ok(['created', 'failed', 'unknown'].includes(String(line['outcome'])), JSON.stringify(line));
      assert.deepEqual(Object.keys(line).slice(0, 10), [
        'file',
        'registrationId',
        'ok',
        'outcome',
        'status',
        'requestId',
        'clientRequestId',
        'attempts',
        'durationMs',
        'body',
      ]);
    }
    const created = parsed.filter((l) => l['outcome'] === 'created').map((l) => targets.indexOf(String(l['registrationId'])));
    for (const index of created) assert.equal(fx.counts([targets[index]!])[0], 1);
    assert.ok(
      fx.counts(targets).every((n) => n <= 1),
      'no duplicates',
    );
  });
});
