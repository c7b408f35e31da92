// Builds the shipped bundles. The extension entry stays small: the core (validator, Graph client,
// node-fetch) and MSAL are separate bundles it loads on first use.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'generate-validator.mjs')], { stdio: 'inherit' });

const production = process.argv.includes('--production');
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  logLevel: 'warning', absWorkingDir: root,
  // jsonc-parser's UMD entry hides its requires from the bundler; its ES module entry does not.
  mainFields: ['module', 'main'],
  alias: { 'whatwg-url': join(root, 'scripts', 'shims', 'whatwg-url.cjs') },
};
const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode', './core', './msal'] },
  { in: 'src/extension/msalSignIn.ts', out: 'dist/msal.js', external: ['vscode', './core'] },
  { in: 'src/core/index.ts', out: 'dist/core.js' },
  { in: 'src/cli/main.ts', out: 'dist/cli.js' },
  { in: 'src/emulator/main.ts', out: 'dist/emulator.js' },
].filter((entry) => existsSync(join(root, entry.in)));

const started = Date.now();
await Promise.all(entries.map((entry) =>
  build({ ...common, entryPoints: [entry.in], outfile: entry.out, external: entry.external ?? [] })));
console.log(`built ${entries.map((e) => e.out).join(', ')} in ${Date.now() - started} ms`);
