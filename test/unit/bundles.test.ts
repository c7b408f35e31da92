import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('the production bundles', function () {
  this.timeout(120_000);
  let out: string;

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'mao-bundles-'));
    // The build itself fails when the activation bundle carries the core or a library, or exceeds its budget.
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--outdir', out], { cwd: root, stdio: 'pipe' });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('keep what activation loads at 30 KB or less', () => {
    assert.ok(statSync(join(out, 'extension.js')).size <= 30 * 1024, `dist/extension.js is ${statSync(join(out, 'extension.js')).size} bytes`);
  });

  it('load the commands, the validator and the core as separate bundles, never MSAL or the core from activation', () => {
    const activation = readFileSync(join(out, 'extension.js'), 'utf8');
    assert.match(activation, /require\(["']\.\/features["']\)/);
    assert.match(activation, /require\(["']\.\/validation["']\)/);
    assert.doesNotMatch(activation, /require\(["']\.\/(core|msal-node)["']\)/);
    const core = readFileSync(join(out, 'core.js'), 'utf8');
    assert.match(core, /require\(["']\.\/validation["']\)/, 'the core uses the one validator bundle');
    assert.match(core, /require\(["']\.\/msal-node["']\)/, 'MSAL is loaded by the core on demand');
  });

  it('refuse to build when the core, a library or a feature slips into the activation bundle', async () => {
    const rules = (await import(join(root, 'scripts', 'bundleRules.mjs'))) as {
      bundleProblem(entry: { out: string; only?: (input: string) => boolean }, inputs: string[]): string | undefined;
      mayBeInActivationBundle(input: string): boolean;
    };
    const entry = { out: 'dist/extension.js', only: rules.mayBeInActivationBundle };
    assert.equal(rules.bundleProblem(entry, ['src/extension/extension.ts', 'src/core/settings.ts', 'src/core/clouds.ts']), undefined);
    assert.match(rules.bundleProblem(entry, ['src/extension/extension.ts', 'src/core/graphClient.ts']) ?? '', /must not bundle src\/core\/graphClient\.ts/);
    assert.match(rules.bundleProblem(entry, ['src/extension/extension.ts', 'node_modules/node-fetch/lib/index.js']) ?? '', /node-fetch/);
    assert.match(rules.bundleProblem(entry, ['src/extension/features/sendCommand.ts']) ?? '', /features\/sendCommand/);
    assert.match(rules.bundleProblem(entry, ['src/core/validation/validateOperation.ts']) ?? '', /validation/);
  });
});
