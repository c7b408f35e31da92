import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { sampleRegistrations, startEmulator, type Emulator } from '../../src/emulator';
import { repoRoot, runCli } from '../support/runCli';

/** npm's own CLI, run by this Node: the one that came with it, or the one running the tests (`npm test`). */
function npm(args: string[], cwd: string): string {
  const beside = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  const launcher = process.env['npm_execpath']?.endsWith('.js') ? process.env['npm_execpath'] : existsSync(beside) ? beside : undefined;
  const env: NodeJS.ProcessEnv = {};
  // The npm running the tests passes its own settings down as npm_config_*; this install takes only its flags.
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  const result = launcher
    ? spawnSync(process.execPath, [launcher, ...args], { cwd, env, encoding: 'utf8' })
    : spawnSync('npm', args, { cwd, env, encoding: 'utf8' });
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Runs a command line the way a CI step does (bash -e). */
function shell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path)];
  });
}

describe('the npm package (the CLI), packed and installed offline into an empty prefix', function () {
  this.timeout(120_000);
  let work: string;
  let installed: string;
  let executable: string;
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, any>;
  let packed: { filename: string; files: { path: string }[] };
  let emulator: Emulator;

  before(async () => {
    if (process.platform === 'win32') throw new Error('this test lays out a POSIX npm prefix (lib/node_modules, bin/)');
    work = mkdtempSync(join(tmpdir(), 'mao-npm-'));
    const prefix = join(work, 'prefix');
    installed = join(prefix, 'lib', 'node_modules', 'intune-mao');
    executable = join(prefix, 'bin', 'intune-mao');
    // dist/ as the test run built it: the prepack build is the same build with --production.
    [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot)) as [typeof packed];
    mkdirSync(prefix);
    // --offline, an empty cache and a registry nobody listens on: the tarball must need nothing from the network.
    npm(
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--offline',
        '--cache',
        join(work, 'npm-cache'),
        '--registry',
        'http://127.0.0.1:9/',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        join(work, packed.filename),
      ],
      work,
    );
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('describes itself for npm: public, with repository, bugs, homepage and engines, and no runtime dependencies', () => {
    assert.equal(manifest['private'], undefined);
    assert.equal(manifest['repository']?.url, 'https://github.com/intune-mao/intune-mao.git');
    assert.equal(manifest['bugs']?.url, 'https://github.com/intune-mao/intune-mao/issues');
    assert.equal(manifest['homepage'], 'https://github.com/intune-mao/intune-mao#readme');
    assert.equal(manifest['engines']?.node, '>=20');
    assert.deepEqual(manifest['dependencies'] ?? {}, {}, 'the bundles carry what they use');
    assert.equal(manifest['scripts']?.prepack, 'node scripts/build.mjs --production', 'npm pack builds for production first');
  });

  it('holds only what runs: the bin, the two CLI bundles, the schema, README, LICENSE, CHANGELOG and package.json', () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'bin/intune-mao.js',
      'dist/cli.js',
      'dist/msal-node.js',
      'package.json',
      'schemas/managedAppOperation.schema.json',
    ]);
  });

  it('installs those files and nothing else: no node_modules, one executable on the PATH', () => {
    assert.deepEqual(filesUnder(installed).sort(), packed.files.map((f) => f.path).sort());
    assert.ok(!existsSync(join(installed, 'node_modules')));
    assert.ok((statSync(executable).mode & 0o111) !== 0, 'bin/intune-mao is executable');
  });

  it('runs from the installed copy: --version, validate, send --dry-run, and a real send to the emulator', async () => {
    const cwd = mkdtempSync(join(work, 'job-'));
    const registrationId = String(sampleRegistrations[0]!['id']);
    const body = join(cwd, 'wipe.mao.json');
    writeFileSync(
      body,
      JSON.stringify(
        { $registrationId: registrationId, '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe corporate data', state: 'pending' },
        null,
        2,
      ),
    );
    writeFileSync(join(cwd, 'broken.mao.json'), '{ "displayName": "x", }');
    const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, env, { executable, cwd });

    const version = await cli(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), manifest['version']);

    const valid = await cli(['validate', 'wipe.mao.json', '--json']);
    assert.equal(valid.code, 0, valid.stderr);
    assert.deepEqual(valid.lines, [{ file: 'wipe.mao.json', valid: true, problems: [] }]);
    assert.equal((await cli(['validate', 'broken.mao.json'])).code, 2);

    const dryRun = await cli(['send', 'wipe.mao.json', '--dry-run', '--graph-url', emulator.url]);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.match(dryRun.stdout, new RegExp(`POST ${emulator.url}/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`));
    assert.equal(emulator.requests.length, 0);

    const token = emulator.mintToken();
    const sent = await cli(['send', 'wipe.mao.json', '--graph-url', emulator.url, '--json'], { INTUNE_MAO_ACCESS_TOKEN: token });
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.lines[0]!['outcome'], 'created');
    assert.deepEqual(
      emulator.operationsOf(registrationId).map((op) => op['displayName']),
      ['Wipe corporate data'],
    );
    assert.ok(!sent.stdout.includes(token) && !sent.stderr.includes(token));
  });

  it("runs the README's pipeline steps as written, with the installed copy on the PATH", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### In a pipeline')))![1]!;
    const steps = yaml
      .split(/^(?=- run: )/m)
      .filter((step) => step.startsWith('- run: '))
      .map((step) => ({
        command: /^- run: (.+)$/m.exec(step)![1]!,
        env: Object.fromEntries([...step.matchAll(/^ {4}([A-Z_]+): (.+)$/gm)].map((m) => [m[1]!, m[2]!])),
      }));
    assert.match(steps[0]!.command, /^npm install -g intune-mao@\d+\.\d+\.\d+$/, 'the job installs a pinned version first');
    assert.deepEqual(
      steps.slice(1).map((step) => Object.keys(step.env)),
      [[], ['INTUNE_MAO_ACCESS_TOKEN']],
      'only send is given the token',
    );

    const job = mkdtempSync(join(work, 'pipeline-'));
    mkdirSync(join(job, 'operations'));
    const registrationId = String(sampleRegistrations[1]!['id']);
    for (const name of ['wipe', 'check-in']) {
      writeFileSync(
        join(job, 'operations', `${name}.mao.json`),
        JSON.stringify({ $registrationId: registrationId, displayName: `README ${name}`, state: 'pending' }),
      );
    }
    const token = emulator.mintToken();
    const base: NodeJS.ProcessEnv = { NO_COLOR: '1' };
    for (const [key, value] of Object.entries(process.env)) if (!/^(INTUNE_MAO_|CI$|NODE_PATH$|npm_)|_proxy$/i.test(key)) base[key] = value;
    base['PATH'] = [dirname(executable), dirname(process.execPath), process.env['PATH']].join(delimiter);
    // The emulator stands in for Graph through the environment, so the commands stay as the README writes them.
    base['INTUNE_MAO_GRAPH_URL'] = emulator.url;
    for (const step of steps.slice(1)) {
      const env = { ...base, ...(step.env['INTUNE_MAO_ACCESS_TOKEN'] ? { INTUNE_MAO_ACCESS_TOKEN: token } : {}) };
      // Not spawnSync: the emulator answering the CLI runs in this process.
      const run = await shell(step.command, job, env);
      assert.equal(run.status, 0, `${step.command}\n${run.stdout}${run.stderr}`);
      assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token));
    }
    const results = readFileSync(join(job, 'results.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { outcome: string });
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['created', 'created'],
    );
    assert.deepEqual(
      emulator
        .operationsOf(registrationId)
        .map((op) => op['displayName'])
        .sort(),
      ['README check-in', 'README wipe'],
    );
  });

  it('loads its MSAL bundle from the installed copy (whoami with a client id reads the empty token cache)', async () => {
    const run = await runCli(
      ['whoami', '--client-id', '11111111-2222-3333-4444-555555555555'],
      { XDG_CONFIG_HOME: join(work, 'empty-config') },
      { executable, cwd: work },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Not signed in to Global\. Run: intune-mao login --client-id/);
  });
});
