// @ts-check
// Prints speed and size figures as `name: value unit` lines. Nothing here asserts: the numbers are for people to
// compare. Needs nothing but `npm ci`: it builds dist/ itself and runs the emulator from there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { benchBulk } from './benchBulk.mjs';
import { REPO_ROOT as root } from './lib/repoRoot.mjs';

const require = createRequire(import.meta.url);
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });

/** @type {(name: string, value: string | number, unit: string) => void} */
const print = (name, value, unit) => console.log(`${name}: ${value} ${unit}`);
/** @param {number} n */
const kib = (n) => (n / 1024).toFixed(1);
console.log('');
for (const name of ['extension.js', 'features.js', 'validation.js', 'core.js', 'msal-node.js', 'cli.js', 'emulator.js']) {
  const path = join(root, 'dist', name);
  if (!existsSync(path)) continue;
  print(`bundle.${name}.minified`, kib(statSync(path).size), 'KiB');
  print(`bundle.${name}.gzip`, kib(gzipSync(readFileSync(path)).length), 'KiB');
}

// The npm package as `npm pack` makes it from the build above, and what installing it puts on disk.
const scratch = mkdtempSync(join(tmpdir(), 'intune-mao-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const npmCli = [process.env.npm_execpath, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')].find(
  (path) => path?.endsWith('.js') && existsSync(path),
);
/** @param {string[]} args */
const npm = (args) =>
  npmCli
    ? execFileSync(process.execPath, [npmCli, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    : execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32' });
const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch]));
const prefix = join(scratch, 'prefix');
mkdirSync(prefix);
npm(['install', '--global', '--prefix', prefix, '--offline', '--cache', join(scratch, 'npm-cache'), '--no-audit', '--no-fund', join(scratch, packed.filename)]);
const installedDir = [join(prefix, 'lib', 'node_modules', 'intune-mao'), join(prefix, 'node_modules', 'intune-mao')].find((dir) => existsSync(dir)) ?? prefix;
/** @type {(dir: string) => number} */
const bytesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? bytesUnder(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );
print('npm_package.tarball', kib(statSync(join(scratch, packed.filename)).size), 'KiB');
print('npm_package.files', packed.entryCount, 'files');
print('npm_package.installed', kib(bytesUnder(installedDir)), 'KiB');
print(
  'npm_package.installed_dependencies',
  existsSync(join(installedDir, 'node_modules')) ? readdirSync(join(installedDir, 'node_modules')).length : 0,
  'packages',
);

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Load times in a fresh Node process, median of 15.
for (const [label, code] of [
  ['require_core', `require(${JSON.stringify(join(root, 'dist', 'core.js'))})`],
  ['require_cli', `require(${JSON.stringify(join(root, 'dist', 'cli.js'))})`],
  ['require_msal_bundle', `require(${JSON.stringify(join(root, 'dist', 'msal-node.js'))})`],
  // The extension's entry needs the real vscode module to run; compiling it is what activation pays before registering.
  ['compile_extension', `new (require('vm').Script)(require('fs').readFileSync(${JSON.stringify(join(root, 'dist', 'extension.js'))}, 'utf8'))`],
  ['require_msal_node_package', `require(${JSON.stringify(require.resolve('@azure/msal-node'))})`],
]) {
  const samples = [];
  for (let i = 0; i < 15; i++) {
    const out = spawnSync(process.execPath, ['-e', `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`], {
      encoding: 'utf8',
    });
    samples.push(Number(out.stdout.trim()));
  }
  print(`load.${label}`, median(samples).toFixed(1), 'ms');
}

const wall = [];
for (let i = 0; i < 10; i++) {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, [join(root, 'bin', 'intune-mao.js'), '--version']);
  wall.push(Number(process.hrtime.bigint() - t) / 1e6);
}
print('cli.version_wall_time', median(wall).toFixed(1), 'ms');

const core = require(join(root, 'dist', 'core.js'));
const operation = JSON.stringify(
  {
    $registrationId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    '@odata.type': '#microsoft.graph.managedAppOperation',
    displayName: 'Wipe',
    state: 'pending',
    version: '1',
  },
  null,
  2,
);
const big = JSON.stringify({ displayName: 'x'.repeat(3_500_000) });
/** @type {[string, string, number][]} */
const validationCases = [
  ['typical_file', operation, 20000],
  ['file_3_5_mb', big, 10],
];
for (const [label, text, rounds] of validationCases) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) core.validateOperationText(text);
  print(`validation.${label}`, (Number(process.hrtime.bigint() - t) / 1e6 / rounds).toFixed(4), 'ms');
}

await benchBulk(root, print);

// The extension in the real VS Code host (skipped with --no-host: it installs code-server on first use).
if (!process.argv.includes('--no-host')) {
  const { measureHostActivation } = await import('./benchHost.mjs');
  const figures = await measureHostActivation({ launches: 5, log: (line) => console.log(`# host: ${line}`) });
  /** @param {number[]} values */
  const middle = (values) => (values.length ? (median(values) ?? NaN) : NaN);
  const ours = middle(figures.oursMs);
  const floor = middle(figures.floorMs);
  print('host.launches', figures.launches, 'cold launches');
  print('host.launches_failed', figures.failedLaunches, `of ${figures.launches}`);
  print('host.activation.intune_mao.median', ours, 'ms');
  print('host.activation.one_command.median', floor, 'ms');
  print('host.activation.ratio', (ours / Math.max(floor, 1)).toFixed(2), 'x');
  print('host.windows_without_operation_that_started_it', figures.startedWithoutFile, `of ${figures.launches - figures.failedLaunches}`);
  print('host.bytes_loaded_at_activation', statSync(join(root, 'dist', 'extension.js')).size, 'B');
  print('host.open_to_first_diagnostic.median', middle(figures.diagnosticMs), 'ms');
}
