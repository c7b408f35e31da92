// Builds the shipped bundles. The extension is split so that a window pays only for what it uses:
//   dist/extension.js   activation: registrations, the CodeLens, diagnostics, the status bar (no core, no libraries)
//   dist/validation.js  the validator (schema, strict JSON): loaded when a *.mao.json is opened
//   dist/features.js    commands, pickers, views: loaded on the first command or view
//   dist/core.js        the Graph client and the rest of the core: loaded on the first send or listing
//   dist/msal-node.js   MSAL, loaded only for a device code sign-in (by the extension's core.js and the CLI)
// The CLI is dist/cli.js (core and validation inside) with the same dist/msal-node.js.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleProblem, mayBeInActivationBundle, mayBeInFeaturesBundle } from './bundleRules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'generate-validator.mjs')], { stdio: 'inherit' });

const production = process.argv.includes('--production');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? process.argv[outdirFlag + 1] : join(root, 'dist');
// A bundle that is no longer built must not linger in dist/ (the VSIX and the npm package take dist/ as it is).
rmSync(outdir, { recursive: true, force: true });
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  logLevel: 'warning', absWorkingDir: root,
  // jsonc-parser's UMD entry hides its requires from the bundler; its ES module entry does not.
  mainFields: ['module', 'main'],
  alias: {
    jsonwebtoken: join(root, 'scripts', 'shims', 'jsonwebtoken.cjs'),
  },
};

// MSAL is parsed only when a device code sign-in happens: the core's lazy `require('@azure/msal-node')`
// becomes `require('./msal-node')`, a bundle of its own, so only MSAL's classes live there.
const msalAsOwnBundle = {
  name: 'msal-as-own-bundle',
  setup(b) {
    b.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: './msal-node', external: true }));
  },
};

// In the extension's bundles, the validation folder is dist/validation.js: code outside the folder that imports
// it gets `require('./validation')`, so the validator exists once and loads without the Graph client.
const validationFolder = join(root, 'src', 'core', 'validation');
const validationAsOwnBundle = {
  name: 'validation-as-own-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)validation$/ }, (args) => {
      const target = join(args.resolveDir, args.path);
      const importerInside = args.importer.startsWith(validationFolder);
      return target === validationFolder && !importerInside ? { path: './validation', external: true } : undefined;
    });
  },
};

const inRepo = (input) => relative(root, join(root, input)).split('\\').join('/');
const msalInputs = /node_modules\/@azure\/msal-/;
// jsonwebtoken is aliased to a shim (see `common`); this catches a path the alias would miss.
const jwtInputs = /node_modules\/(jsonwebtoken|jws)\//;

const activationBudgetBytes = 30 * 1024;
const extensionExternals = ['vscode', './core', './validation', './features', './msal-node'];
const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', external: extensionExternals, plugins: [validationAsOwnBundle], only: mayBeInActivationBundle, budget: activationBudgetBytes },
  { in: 'src/extension/features/index.ts', out: 'dist/features.js', external: extensionExternals, plugins: [validationAsOwnBundle], only: mayBeInFeaturesBundle },
  { in: 'src/core/validation/index.ts', out: 'dist/validation.js', without: msalInputs },
  { in: 'src/core/index.ts', out: 'dist/core.js', plugins: [validationAsOwnBundle, msalAsOwnBundle], without: msalInputs },
  { in: 'src/core/msalNode.ts', out: 'dist/msal-node.js', without: jwtInputs },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', plugins: [msalAsOwnBundle], without: msalInputs },
  { in: 'src/emulator/main.ts', out: 'dist/emulator.js' },
].filter((entry) => existsSync(join(root, entry.in)));

const started = Date.now();
await Promise.all(entries.map(async (entry) => {
  const { metafile } = await build({
    ...common, entryPoints: [entry.in], outfile: join(outdir, entry.out.replace(/^dist\//, '')), external: entry.external ?? [], plugins: entry.plugins ?? [], metafile: true,
  });
  const problem = bundleProblem(entry, Object.keys(metafile.inputs).map(inRepo));
  if (problem) throw new Error(problem);
  if (production && entry.budget) {
    const bytes = Object.values(metafile.outputs).find((output) => output.entryPoint === entry.in)?.bytes ?? 0;
    if (bytes > entry.budget) throw new Error(`${entry.out} is ${bytes} bytes, over its budget of ${entry.budget}: move code out of activation`);
  }
}));
// On stderr: `npm pack --json` runs this as its prepack, and its stdout must stay JSON.
console.error(`built ${entries.map((e) => e.out).join(', ')} in ${Date.now() - started} ms`);
