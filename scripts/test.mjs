// @ts-check
// `npm test`: builds, type-checks, lints, then runs every layer (unit and CLI, the suite inside a real VS Code, the
// Restricted Mode suite, the UI smoke test) and ends with one line of totals.
// `node scripts/test.mjs unit` (or `vscode`, `restricted`, `activation`, `ui`) runs only the layers named.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as root } from './lib/repoRoot.mjs';

const node = process.execPath;
const layers = [
  { name: 'unit', title: 'unit and CLI tests', args: ['scripts/run-mocha.mjs', 'out/test/unit', 'out/test/cli'] },
  { name: 'vscode', title: 'integration tests in a real VS Code', args: ['scripts/run-vscode-tests.mjs', '--suite', 'main'] },
  { name: 'restricted', title: 'Restricted Mode tests in a real VS Code', args: ['scripts/run-vscode-tests.mjs', '--suite', 'restricted'] },
  {
    name: 'activation',
    title: 'activation tests in a real VS Code (a window without a folder)',
    args: ['scripts/run-vscode-tests.mjs', '--suite', 'activation'],
  },
  { name: 'ui', title: 'UI smoke test (Playwright)', args: ['scripts/ui-smoke.mjs'] },
];
const wanted = process.argv.slice(2);
const selected = layers.filter((layer) => wanted.length === 0 || wanted.includes(layer.name));

/**
 * Runs one preparation step; the whole run stops when it fails.
 * @param {string} title
 * @param {string} command
 * @param {string[]} args
 */
function step(title, command, args) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

step('build', node, ['scripts/build.mjs']);
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
step('type-check and compile tests', node, [tsc, '-p', '.']);
step('type-check the scripts', node, [tsc, '-p', 'scripts']);
step('lint (ESLint)', node, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.', '--max-warnings', '0']);
step('formatting (Prettier; `npm run format` fixes it)', node, [join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '.']);

const work = mkdtempSync(join(tmpdir(), 'intune-mao-tests-'));
const totals = { passed: 0, failed: 0, pending: 0 };
/** @type {string[]} */
const broken = [];
for (const layer of selected) {
  if (!existsSync(join(root, layer.args[0]))) {
    console.error(`\n=== ${layer.title}: ${layer.args[0]} is missing`);
    broken.push(layer.name);
    totals.failed += 1;
    continue;
  }
  console.log(`\n=== ${layer.title}`);
  const summaryFile = join(work, `${layer.name}.json`);
  const result = spawnSync(node, layer.args, { cwd: root, stdio: 'inherit', env: { ...process.env, INTUNE_MAO_TEST_SUMMARY: summaryFile } });
  const summary = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined;
  if (summary) {
    totals.passed += summary.passed;
    totals.failed += summary.failed;
    totals.pending += summary.pending ?? 0;
  }
  if (result.status !== 0 || !summary || summary.passed === 0) {
    broken.push(layer.name);
    if (!summary || summary.failed === 0) totals.failed += 1; // the layer itself broke (crash, timeout, no tests)
  }
}
rmSync(work, { recursive: true, force: true });

console.log(`\nlayers: ${selected.map((l) => `${l.name} ${broken.includes(l.name) ? 'FAILED' : 'ok'}`).join(', ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.pending ? `, ${totals.pending} skipped` : ''}`);
process.exit(broken.length > 0 ? 1 : 0);
