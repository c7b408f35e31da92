import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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
    npm(['install', '--global', '--prefix', prefix, '--offline', '--cache', join(work, 'npm-cache'), '--registry', 'http://127.0.0.1:9/',
      '--no-audit', '--no-fund', '--no-update-notifier', join(work, packed.filename)], work);
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
      'CHANGELOG.md', 'LICENSE', 'README.md', 'bin/intune-mao.js', 'dist/cli-msal.js', 'dist/cli.js', 'package.json',
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
    writeFileSync(body, JSON.stringify({ $registrationId: registrationId, '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe corporate data', state: 'pending' }, null, 2));
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
    assert.deepEqual(emulator.operationsOf(registrationId).map((op) => op['displayName']), ['Wipe corporate data']);
    assert.ok(!sent.stdout.includes(token) && !sent.stderr.includes(token));
  });

  it('loads its MSAL bundle from the installed copy (whoami with a client id reads the empty token cache)', async () => {
    const run = await runCli(['whoami', '--client-id', '11111111-2222-3333-4444-555555555555'], { XDG_CONFIG_HOME: join(work, 'empty-config') }, { executable, cwd: work });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Not signed in to Global\. Run: intune-mao login --client-id/);
  });
});
