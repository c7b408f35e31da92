// @ts-check
// Builds the shipped bundles. The extension entry stays small: the core (validator, Graph client,
// node-fetch) and MSAL are separate bundles it loads on first use.
//
//   node scripts/build.mjs [--production | --watch]
//
// --production minifies and drops source maps. --watch builds, then rebuilds on every change (the schema
// too) and prints each problem as `✘ [ERROR] <text>` followed by `    <file>:<line>:<column>:`, between
// `[watch] build started` and `[watch] build finished`: what the watch task's problem matcher reads
// (.vscode/tasks.json).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, watch as watchFolder } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT as root } from './lib/repoRoot.mjs';

const production = process.argv.includes('--production');
const watching = process.argv.includes('--watch');
const generateValidator = () => execFileSync(process.execPath, [join(root, 'scripts', 'generate-validator.mjs')], { stdio: 'inherit' });
generateValidator();

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  logLevel: watching ? 'silent' : 'warning', absWorkingDir: root, metafile: true,
  // jsonc-parser's UMD entry hides its requires from the bundler; its ES module entry does not.
  mainFields: ['module', 'main'],
  alias: {
    'whatwg-url': join(root, 'scripts', 'shims', 'whatwg-url.cjs'),
    jsonwebtoken: join(root, 'scripts', 'shims', 'jsonwebtoken.cjs'),
  },
};
// node-fetch's `require('url')` (and no one else's) gets a url.parse() built on WHATWG URL: see the shim.
/** @type {esbuild.Plugin} */
const nodeFetchUrl = {
  name: 'node-fetch-url',
  setup(b) {
    b.onResolve({ filter: /^url$/ }, (args) => (/[\\/]node_modules[\\/]node-fetch[\\/]/.test(args.importer)
      ? { path: join(root, 'scripts', 'shims', 'node-fetch-url.cjs') }
      : undefined));
  },
};
// The CLI's start-up must not parse MSAL: its lazy `require('@azure/msal-node')` (src/core/msalSignIn.ts) becomes
// `require('./cli-msal')`, a bundle of its own next to dist/cli.js. Only the core's own classes live in
// dist/cli.js, and only MSAL's in dist/cli-msal.js, so `instanceof` checks keep working on both sides.
/** @type {esbuild.Plugin} */
const msalNodeAsCliMsal = {
  name: 'msal-node-as-cli-msal',
  setup(b) {
    b.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: './cli-msal', external: true }));
  },
};
/**
 * What a bundle must never contain: checked after every build, so a stray value import cannot bring it back.
 * @param {string} entry
 * @param {string} out
 * @param {RegExp} inputs
 * @returns {esbuild.Plugin}
 */
const withoutInputs = (entry, out, inputs) => ({
  name: 'without-inputs',
  setup(b) {
    b.onEnd((result) => {
      const unwanted = Object.keys(result.metafile?.inputs ?? {}).filter((input) => inputs.test(input));
      if (unwanted.length === 0) return;
      return { errors: [{ text: `${out} must not bundle ${unwanted[0]} (and ${unwanted.length - 1} more)`, location: { file: entry, line: 1, column: 0 } }] };
    });
  },
});
const msalInputs = /node_modules\/@azure\/msal-/;
// jsonwebtoken is aliased to a shim (see `common`); this catches a path the alias would miss.
const jwtInputs = /node_modules\/(jsonwebtoken|jws)\//;
/** @type {{ in: string, out: string, external?: string[], plugins?: esbuild.Plugin[], without?: RegExp }[]} */
const entries = [
  { in: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode', './core', './msal'], without: msalInputs },
  { in: 'src/extension/msalSignIn.ts', out: 'dist/msal.js', external: ['vscode', './core'], without: jwtInputs },
  { in: 'src/core/index.ts', out: 'dist/core.js', without: msalInputs },
  { in: 'src/cli/main.ts', out: 'dist/cli.js', plugins: [msalNodeAsCliMsal], without: msalInputs },
  { in: 'src/cli/msal.ts', out: 'dist/cli-msal.js', without: jwtInputs },
  { in: 'src/emulator/main.ts', out: 'dist/emulator.js' },
].filter((entry) => existsSync(join(root, entry.in)));

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

/** @param {(typeof entries)[number]} entry */
const optionsOf = (entry) => ({
  ...common,
  entryPoints: [entry.in],
  outfile: entry.out,
  external: entry.external ?? [],
  plugins: [nodeFetchUrl, ...(entry.plugins ?? []), ...(entry.without ? [withoutInputs(entry.in, entry.out, entry.without)] : []), ...(watching ? [reportWatchBuilds] : [])],
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
  console.log(`built ${entries.map((e) => e.out).join(', ')} in ${Date.now() - started} ms`);
}
