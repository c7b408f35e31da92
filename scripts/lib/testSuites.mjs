// @ts-check
// The integration suites that run inside a real VS Code, for every runner: code-server
// (scripts/run-vscode-tests.mjs), the desktop VS Code (scripts/run-electron-tests.mjs) and the launch
// configurations in .vscode/launch.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './repoRoot.mjs';

/**
 * @typedef {object} Suite
 * @property {string} index the compiled test index (exports `run()`), relative to the repository
 * @property {boolean} trust false: the workspace opens in Restricted Mode
 * @property {string} label how the totals line names it
 * @property {boolean} [noFolder] open a window without a folder instead of the fixture workspace
 */

/** @type {Readonly<Record<'main' | 'restricted' | 'activation', Suite>>} */
export const SUITES = {
  main: { index: 'out/test/integration/index.js', trust: true, label: 'integration' },
  restricted: { index: 'out/test/integration/restricted/index.js', trust: false, label: 'restricted' },
  // A window without a folder: what starts the extension, and what it loads.
  activation: { index: 'out/test/integration/activation/index.js', trust: true, label: 'activation', noFolder: true },
};

/** The workspace the suites open (each runner opens a copy: the tests write into it). */
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');

/**
 * @param {string} name
 * @returns {Suite | undefined}
 */
export function suiteNamed(name) {
  return Object.hasOwn(SUITES, name) ? SUITES[/** @type {keyof typeof SUITES} */ (name)] : undefined;
}

/**
 * A fresh copy of the fixture workspace at `dir` (what was there before is removed).
 * @param {string} dir
 */
export function copyFixtureWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(FIXTURE_WORKSPACE, dir, { recursive: true });
  return dir;
}
