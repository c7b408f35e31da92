// @ts-check
// Prints speed and size figures. Nothing here asserts: the numbers are for people to compare.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { REPO_ROOT as root } from './lib/repoRoot.mjs';

const require = createRequire(import.meta.url);
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });

/** @param {number} n */
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('\nbundle sizes (minified / gzip)');
for (const name of ['extension.js', 'core.js', 'msal.js', 'cli.js', 'cli-msal.js', 'emulator.js']) {
  const path = join(root, 'dist', name);
  if (!existsSync(path)) continue;
  console.log(`  ${name.padEnd(14)} ${kib(statSync(path).size).padStart(10)} / ${kib(gzipSync(readFileSync(path)).length).padStart(9)}`);
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

console.log('\nload time in a fresh Node process (median of 15)');
for (const [label, code] of [
  ['require dist/core.js', `require(${JSON.stringify(join(root, 'dist', 'core.js'))})`],
  ['require dist/cli.js', `require(${JSON.stringify(join(root, 'dist', 'cli.js'))})`],
  ['require dist/cli-msal.js', `require(${JSON.stringify(join(root, 'dist', 'cli-msal.js'))})`],
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
/** @type {[string, string, number][]} */
const validationCases = [['typical file (' + operation.length + ' B)', operation, 20000], ['3.5 MB file', big, 10]];
for (const [label, text, rounds] of validationCases) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) core.validateOperationText(text);
  const perRun = Number(process.hrtime.bigint() - t) / 1e6 / rounds;
  console.log(`  ${label.padEnd(28)} ${perRun < 1 ? (perRun * 1000).toFixed(1) + ' µs' : perRun.toFixed(1) + ' ms'} per file`);
}

const { startEmulator } = require(join(root, 'out', 'src', 'emulator', 'index.js'));
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
