// @ts-check
// Builds the shipped bundles. The extension is split so that a window pays only for what it uses:
//   dist/extension.js   activation: registrations, the CodeLens, diagnostics, the status bar (no core, no libraries)
//   dist/validation.js  the validator (schema, strict JSON): loaded when a *.mao.json is opened
//   dist/features.js    commands, pickers, views: loaded on the first command or view
//   dist/core.js        the Graph client and the rest of the core: loaded on the first send or listing
//   dist/msal-node.js   MSAL, loaded only for a device code sign-in (by the extension's core.js and the CLI)
// The CLI is dist/cli.js (core and validation inside) with the same dist/msal-node.js.
//
//   node scripts/build.mjs [--production | --watch] [--outdir <dir>]
//
// --production minifies, drops source maps and holds the activation bundle to its budget. --watch builds, then
// rebuilds on every change (the schema too) and prints each problem as `✘ [ERROR] <text>` followed by
// `    <file>:<line>:<column>:`, between `[watch] build started` and `[watch] build finished`: what the watch
// task's problem matcher reads (.vscode/tasks.json).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, watch as watchFolder } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleProblem, mayBeInActivationBundle, mayBeInFeaturesBundle } from './bundleRules.mjs';
import { REPO_ROOT as root } from './lib/repoRoot.mjs';

const production = process.argv.includes('--production');
const watching = process.argv.includes('--watch');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? String(process.argv[outdirFlag + 1]) : join(root, 'dist');
const generateValidator = () => execFileSync(process.execPath, [join(root, 'scripts', 'generate-validator.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
generateValidator();
// A bundle that is no longer built must not linger in dist/ (the VSIX and the npm package take dist/ as it is).
rmSync(outdir, { recursive: true, force: true });

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: watching ? 'silent' : 'warning',
  absWorkingDir: root,
  metafile: true,
  // jsonc-parser's UMD entry hides its requires from the bundler; its ES module entry does not.
  mainFields: ['module', 'main'],
  alias: {
    jsonwebtoken: join(root, 'scripts', 'shims', 'jsonwebtoken.cjs'),
  },
};

// MSAL is parsed only when a device code sign-in happens: the core's lazy `require('@azure/msal-node')`
// becomes `require('./msal-node')`, a bundle of its own, so only MSAL's classes live there.
/** @type {esbuild.Plugin} */
const msalAsOwnBundle = {
  name: 'msal-as-own-bundle',
  setup(b) {
    b.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: './msal-node', external: true }));
  },
};

// In the extension's bundles, the validation folder is dist/validation.js: code outside the folder that imports
// it gets `require('./validation')`, so the validator exists once and loads without the Graph client.
const validationFolder = join(root, 'src', 'core', 'validation');
/** @type {esbuild.Plugin} */
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

/** @param {string} input */
const inRepo = (input) => relative(root, join(root, input)).split('\\').join('/');
const msalInputs = /node_modules\/@azure\/msal-/;
// jsonwebtoken is aliased to a shim (see `common`); this catches a path the alias would miss.
const jwtInputs = /node_modules\/(jsonwebtoken|jws)\//;
const activationBudgetBytes = 30 * 1024;
const extensionExternals = ['vscode', './core', './validation', './features', './msal-node'];

/**
 * @typedef {{ in: string, out: string, external?: string[], plugins?: esbuild.Plugin[], without?: RegExp,
 *   only?: (input: string) => boolean, budget?: number }} Entry
 */
/** @type {Entry[]} */
const entries = [
  {
    in: 'src/extension/extension.ts',
    out: 'dist/extension.js',
    external: extensionExternals,
    plugins: [validationAsOwnBundle],
    only: mayBeInActivationBundle,
    budget: activationBudgetBytes,
  },
  {
    in: 'src/extension/features/index.ts',
    out: 'dist/features.js',
    external: extensionExternals,
    plugins: [validationAsOwnBundle],
    only: mayBeInFeaturesBundle,
  },
  { in: 'src/core/validation/index.ts', out: 'dist/validation.js', without: msalInputs },
  { in: 'src/core/index.ts', out: 'dist/core.js', plugins: [validationAsOwnBundle, msalAsOwnBundle], without: msalInputs },
  { in: 'src/core/msalNode.ts', out: 'dist/msal-node.js', without: jwtInputs },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', plugins: [msalAsOwnBundle], without: msalInputs },
  { in: 'src/emulator/main.ts', out: 'dist/emulator.js' },
].filter((entry) => existsSync(join(root, entry.in)));

/**
 * The entry's own rules, checked after every build (and every rebuild), so a stray value import cannot bring
 * the core, a library or MSAL into a bundle that must not carry it.
 * @param {Entry} entry
 * @returns {esbuild.Plugin}
 */
const keepsItsRules = (entry) => ({
  name: 'keeps-its-rules',
  setup(b) {
    b.onEnd((result) => {
      /** @type {esbuild.PartialMessage[]} */
      const errors = [];
      const location = { file: entry.in, line: 1, column: 0 };
      const problem = bundleProblem(entry, Object.keys(result.metafile?.inputs ?? {}).map(inRepo));
      if (problem) errors.push({ text: problem, location });
      const bytes = Object.values(result.metafile?.outputs ?? {}).find((output) => output.entryPoint === entry.in)?.bytes ?? 0;
      if (production && entry.budget && bytes > entry.budget) {
        errors.push({ text: `${entry.out} is ${bytes} bytes, over its budget of ${entry.budget}: move code out of activation`, location });
      }
      return errors.length ? { errors } : undefined;
    });
  },
});

// --- watch mode: one report for all bundles, in the form the problem matcher reads
let building = 0;
/** @type {esbuild.Message[]} */
let problems = [];
/** @type {esbuild.Plugin} */
const reportWatchBuilds = {
  name: 'report-watch-builds',
  setup(b) {
    b.onStart(() => {
      if (building++ === 0) {
        problems = [];
        console.log('[watch] build started');
      }
    });
    b.onEnd((result) => {
      problems.push(...result.errors.map((m) => ({ ...m, id: 'ERROR' })), ...result.warnings.map((m) => ({ ...m, id: 'WARNING' })));
      if (--building > 0) return;
      // A file in several bundles has its problem reported by each.
      const seen = new Set();
      problems = problems.filter((p) => {
        const key = JSON.stringify([p.id, p.text, p.location?.file, p.location?.line, p.location?.column]);
        return !seen.has(key) && seen.add(key);
      });
      for (const problem of problems) {
        console.log(`${problem.id === 'ERROR' ? '✘' : '▲'} [${problem.id}] ${problem.text}`);
        const where = problem.location;
        console.log(where ? `    ${where.file}:${where.line}:${where.column + 1}:` : '    package.json:1:1:');
      }
      console.log(`[watch] build finished${problems.length ? ` with ${problems.length} problem(s)` : ''}`);
    });
  },
};

/** @param {Entry} entry */
const optionsOf = (entry) => ({
  ...common,
  entryPoints: [entry.in],
  outfile: join(outdir, entry.out.replace(/^dist\//, '')),
  external: entry.external ?? [],
  plugins: [...(entry.plugins ?? []), keepsItsRules(entry), ...(watching ? [reportWatchBuilds] : [])],
});

if (watching) {
  const contexts = await Promise.all(entries.map((entry) => esbuild.context(optionsOf(entry))));
  await Promise.all(contexts.map((context) => context.watch()));
  // The validator is generated from the schema; the bundles' own watchers see the regenerated file. (The
  // folder is watched: an editor that saves by replacing the file would end a watch on the file itself.)
  watchFolder(join(root, 'schemas'), (_event, name) => {
    if (name !== 'managedAppOperation.schema.json') return;
    try {
      generateValidator();
    } catch {} // generate-validator.mjs has said what is wrong with the schema
  });
} else {
  const started = Date.now();
  await Promise.all(entries.map((entry) => esbuild.build(optionsOf(entry))));
  // On stderr: `npm pack --json` runs this as its prepack, and its stdout must stay JSON.
  console.error(`built ${entries.map((e) => e.out).join(', ')} in ${Date.now() - started} ms`);
}
