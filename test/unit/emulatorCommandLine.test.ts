import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { generateRegistrations } from '../../src/emulator';
import { startEmulatorProcess } from '../support/emulators';

const REGISTRATIONS = '/deviceAppManagement/managedAppRegistrations';

const ENTRY = path.resolve(__dirname, '../../src/emulator/main.js');

describe('Graph emulator command line', function () {
  this.timeout(20_000);

  it('runs from the command line with a generated tenant, write limits and random faults', async () => {
    const args = [
      '--port',
      '0',
      '--quiet',
      '--registrations',
      '40',
      '--seed',
      '3',
      '--page-size=50',
      '--app-limit',
      '2/60',
      '--tenant-limit',
      'off',
      '--retry-after-decimals',
      '1',
      '--fault-probability',
      '0',
      '--fault-statuses',
      '500,504',
    ];
    const { child, url, token, output: printed, exited } = await startEmulatorProcess(args);
    try {
      const output = printed();
      assert.match(output, /40 generated registrations \(seed 3\)/);
      assert.match(output, /2 writes \/ 60 s per app per tenant, none per tenant/);
      const listed = await fetch(`${url}/beta${REGISTRATIONS}`, { headers: { Authorization: `Bearer ${token}` } });
      const page = (await listed.json()) as { value: { id: string }[] };
      assert.deepEqual(
        page.value.map((item) => item.id),
        generateRegistrations(40, 3).map((registration) => registration.id),
      );
      const post = () =>
        fetch(`${url}/beta${REGISTRATIONS}/${page.value[0].id}/operations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: '{}',
        });
      assert.equal((await post()).status, 201);
      assert.equal((await post()).status, 201);
      const throttled = await post();
      assert.equal(throttled.status, 429);
      const retryAfter = throttled.headers.get('retry-after')!;
      assert.match(retryAfter, /^\d+(\.\d)?$/, 'one decimal');
      assert.ok(Number(retryAfter) > 30 && Number(retryAfter) <= 60, retryAfter);
      assert.ok(!printed().includes('[emulator]'), '--quiet prints no request lines');
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  it('refuses bad command-line flags with exit code 2', async () => {
    for (const args of [['--app-limit', '100'], ['--fault-created-share', '0.5'], ['--registrations', 'many'], ['--colour']]) {
      const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
      assert.equal(code, 2, args.join(' '));
      assert.match(errors, /Usage: node dist\/emulator\.js/);
    }
  });
});
