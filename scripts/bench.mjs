// Prints speed and size figures as `name: value unit` lines. Nothing here asserts: the numbers are for people to
// compare. Needs nothing but `npm ci`: it builds dist/ itself and runs the emulator from there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchBulk } from './benchBulk.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });

const print = (name, value, unit) => console.log(`${name}: ${value} ${unit}`);
const kib = (n) => (n / 1024).toFixed(1);
console.log('');
for (const name of ['extension.js', 'features.js', 'validation.js', 'core.js', 'msal-node.js', 'cli.js', 'emulator.js']) {
  const path = join(root, 'dist', name);
  if (!existsSync(path)) continue;
  print(`bundle.${name}.minified`, kib(statSync(path).size), 'KiB');
  print(`bundle.${name}.gzip`, kib(gzipSync(readFileSync(path)).length), 'KiB');
}

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
    const out = spawnSync(process.execPath, ['-e', `const t=process.hrtime.bigint();${code};console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8' });
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
const operation = JSON.stringify({ $registrationId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending', version: '1' }, null, 2);
const big = JSON.stringify({ displayName: 'x'.repeat(3_500_000) });
for (const [label, text, rounds] of [['typical_file', operation, 20000], ['file_3_5_mb', big, 10]]) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) core.validateOperationText(text);
  print(`validation.${label}`, (Number(process.hrtime.bigint() - t) / 1e6 / rounds).toFixed(4), 'ms');
}

await benchBulk(root, print);
