import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { runCli, type CliOptions, type CliRun } from '../support/runCli';
import { startScriptedServer, type ScriptedServer } from '../support/scriptedServer';

const registrationId = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const token = `paging-token-${Date.now()}`;
const registrationsPath = '/beta/deviceAppManagement/managedAppRegistrations';

function page(response: ServerResponse, items: unknown[], nextLink?: string): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: items, ...(nextLink ? { '@odata.nextLink': nextLink } : {}) }));
}

describe('intune-mao CLI: lists that never end, and readers that go away', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let answer: (response: ServerResponse, url: string) => void;

  before(async () => {
    server = await startScriptedServer((request, response) => answer(response, request.url ?? ''));
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const cli = (args: string[], options: CliOptions = {}): Promise<CliRun> =>
    runCli([...args, '--graph-url', server.url], { INTUNE_MAO_ACCESS_TOKEN: token }, options);

  it('says plainly that a nextLink led back to a page already read, and exits 1', async () => {
    // Page 1 → page 2 → page 1 again: a loop of two.
    answer = (response, url) =>
      page(
        response,
        [{ id: url.endsWith('page=2') ? 'b' : 'a' }],
        `${server.url}${url.includes('/operations') ? `${registrationsPath}/${registrationId}/operations` : registrationsPath}?page=${url.endsWith('page=2') ? 1 : 2}`,
      );
    for (const args of [['registrations', '--json'], ['registrations'], ['operations', registrationId, '--json']]) {
      const run = await cli(args);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, /^✖ Graph's @odata\.nextLink led back to a page already read \(page 4\): the list would be endless, so it was stopped\.$/m);
      assert.doesNotMatch(run.stderr, /unexpected error|\n\s+at /);
      assert.ok(!run.stderr.includes(token) && !run.stdout.includes(token));
      if (args.includes('--json'))
        assert.deepEqual(
          run.lines.map((l) => l['id']),
          ['a', 'b', 'a'],
        );
    }
  });

  it('stops quietly when the reader of standard output goes away (| head -1), without a stack trace', async () => {
    let releaseSecondPage: () => void = () => undefined;
    const stdoutClosed = new Promise<void>((resolve) => {
      releaseSecondPage = resolve;
    });
    answer = (response, url) => {
      if (!url.includes('page=2')) {
        page(response, [{ id: 'first' }], `${server.url}${registrationsPath}?page=2`);
        return;
      }
      // The second page comes only once the reader has gone, so the CLI's next write finds the pipe closed.
      void stdoutClosed.then(() => page(response, [{ id: 'second' }, { id: 'third' }]));
    };
    const run = await cli(['registrations', '--json'], { closeStdoutAfterLines: 1, onStdoutClosed: () => releaseSecondPage() });
    assert.deepEqual(
      run.lines.map((l) => l['id']),
      ['first'],
    );
    assert.equal(run.stderr, '');
    assert.equal(run.code, 141);
    assert.equal(server.requests.length, 2, 'the second page was asked for and answered');
  });
});
