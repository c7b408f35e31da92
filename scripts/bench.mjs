// Prints speed and size figures. Nothing here asserts: the numbers are for people to compare.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEmulatorModule } from './sandbox.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('\nbundle sizes (minified / gzip)');
for (const name of ['extension.js', 'features.js', 'validation.js', 'core.js', 'msal-node.js', 'cli.js', 'emulator.js']) {
  const path = join(root, 'dist', name);
  if (!existsSync(path)) continue;
  console.log(`  ${name.padEnd(14)} ${kib(statSync(path).size).padStart(10)} / ${kib(gzipSync(readFileSync(path)).length).padStart(9)}`);
}

// The npm package as `npm pack` makes it from the build above, and what installing it puts on disk.
const scratch = mkdtempSync(join(tmpdir(), 'intune-mao-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const npmCli = [process.env.npm_execpath, join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')]
  .find((path) => path?.endsWith('.js') && existsSync(path));
const npm = (args) => (npmCli
  ? execFileSync(process.execPath, [npmCli, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  : execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32' }));
const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch]));
const prefix = join(scratch, 'prefix');
mkdirSync(prefix);
npm(['install', '--global', '--prefix', prefix, '--offline', '--cache', join(scratch, 'npm-cache'), '--no-audit', '--no-fund', join(scratch, packed.filename)]);
const installedDir = [join(prefix, 'lib', 'node_modules', 'intune-mao'), join(prefix, 'node_modules', 'intune-mao')].find((dir) => existsSync(dir));
const bytesUnder = (dir) => readdirSync(dir, { withFileTypes: true })
  .reduce((sum, entry) => sum + (entry.isDirectory() ? bytesUnder(join(dir, entry.name)) : statSync(join(dir, entry.name)).size), 0);
console.log('\nnpm package (the CLI)');
console.log(`  ${packed.filename.padEnd(24)} ${kib(statSync(join(scratch, packed.filename)).size).padStart(10)} tarball, ${packed.entryCount} files`);
const dependencies = existsSync(join(installedDir, 'node_modules')) ? readdirSync(join(installedDir, 'node_modules')).length : 0;
console.log(`  ${'installed'.padEnd(24)} ${kib(bytesUnder(installedDir)).padStart(10)} on disk, ${dependencies} packages in its node_modules`);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

console.log('\nload time in a fresh Node process (median of 15)');
for (const [label, code] of [
  ['require dist/core.js', `require(${JSON.stringify(join(root, 'dist', 'core.js'))})`],
  ['require dist/cli.js', `require(${JSON.stringify(join(root, 'dist', 'cli.js'))})`],
  ['require dist/msal-node.js', `require(${JSON.stringify(join(root, 'dist', 'msal-node.js'))})`],
  // The extension's entry needs the real vscode module to run; compiling it is what activation pays before registering.
  ['compile dist/extension.js', `new (require('vm').Script)(require('fs').readFileSync(${JSON.stringify(join(root, 'dist', 'extension.js'))}, 'utf8'))`],
  ['require @azure/msal-node', `require(${JSON.stringify(require.resolve('@azure/msal-node'))})`],
]) {
  const samples = [];
  for (let i = 0; i < 15; i++) {
    const out = spawnSync(process.execPath, ['-e', `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8' });
    samples.push(Number(out.stdout.trim()));
  }
  console.log(`  ${label.padEnd(28)} ${median(samples).toFixed(1).padStart(7)} ms`);
}

console.log('\n`intune-mao --version` wall time (median of 10)');
const wall = [];
for (let i = 0; i < 10; i++) {
  const t = process.hrtime.bigint();
  spawnSync(process.execPath, [join(root, 'bin', 'intune-mao.js'), '--version']);
  wall.push(Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(`  ${median(wall).toFixed(1)} ms`);

const core = require(join(root, 'dist', 'core.js'));
const operation = JSON.stringify({ $registrationId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending', version: '1' }, null, 2);
const big = JSON.stringify({ displayName: 'x'.repeat(3_500_000) });
console.log('\nvalidation');
for (const [label, text, rounds] of [['typical file (' + operation.length + ' B)', operation, 20000], ['3.5 MB file', big, 10]]) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) core.validateOperationText(text);
  const perRun = Number(process.hrtime.bigint() - t) / 1e6 / rounds;
  console.log(`  ${label.padEnd(28)} ${perRun < 1 ? (perRun * 1000).toFixed(1) + ' µs' : perRun.toFixed(1) + ' ms'} per file`);
}

const { startEmulator } = await loadEmulatorModule(scratch);
const emulator = await startEmulator({ throttle: { writesPerWindow: 1_000_000, windowMs: 20_000 } });
try {
  const client = new core.GraphClient({ target: core.resolveGraphTarget('global', emulator.url), getToken: async () => emulator.mintToken(), userAgent: 'bench' });
  const list = await client.listAll(core.buildGetRequest(client.target, core.registrationsPath('beta')));
  const id = list.items[0].id;
  const request = core.buildOperationRequest({ text: operation, registrationId: id, apiVersion: 'beta', target: client.target });
  const rounds = 300;
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await client.execute(request);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`\nsend against the local emulator: ${(ms / rounds).toFixed(2)} ms per operation (${rounds} sequential POSTs, ${(rounds / ms * 1000).toFixed(0)}/s)`);
} finally {
  await emulator.close();
}

// The extension in the real VS Code host (skipped with --no-host: it installs code-server on first use).
if (!process.argv.includes('--no-host')) {
  const { measureHostActivation } = await import('./benchHost.mjs');
  const launches = 5;
  console.log(`\nthe extension in the real VS Code host (code-server, ${launches} cold launches; VS Code's own activation times)`);
  const figures = await measureHostActivation({ launches, log: (line) => console.log(`  # ${line}`) });
  const middle = (values) => (values.length ? median(values) : NaN);
  const ours = middle(figures.oursMs);
  const floor = middle(figures.floorMs);
  console.log(`  activation median intune-mao: ${ours} ms (of ${figures.oursMs.join(', ')})`);
  console.log(`  activation median one-command extension: ${floor} ms (of ${figures.floorMs.join(', ')})`);
  console.log(`  activation ratio intune-mao / one-command: ${(ours / Math.max(floor, 1)).toFixed(2)} x`);
  console.log(`  windows without a *.mao.json that started intune-mao: ${figures.startedWithoutFile} of ${figures.launches}`);
  console.log(`  bytes loaded at activation (dist/extension.js): ${statSync(join(root, 'dist', 'extension.js')).size} B`);
  console.log(`  open a *.mao.json to its first diagnostic, median: ${middle(figures.diagnosticMs)} ms (of ${figures.diagnosticMs.join(', ')})`);
}
