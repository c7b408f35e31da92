// @ts-check
// `npm run test:electron`: the same mocha integration suite through @vscode/test-electron, for desktops
// with internet access (it downloads VS Code into .vscode-test/). Headless Linux and CI use
// scripts/run-vscode-tests.mjs instead (code-server from the npm registry); on a Linux box without a
// display, run this under xvfb-run.
//
//   node scripts/run-electron-tests.mjs [--suite main|restricted]
//
// VSCODE_TEST_VERSION picks the VS Code version (default: stable); INTUNE_MAO_TEST_GREP focuses;
// INTUNE_MAO_TEST_SUMMARY=<file> receives {"passed":N,"failed":N,"pending":N}.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { QUIET_USER_SETTINGS, REPO_ROOT } from './vscode-host.mjs';
import { copyFixtureWorkspace, suiteNamed } from './lib/testSuites.mjs';

/**
 * @param {string} msg
 * @returns {never}
 */
function fail(msg, code = 1) {
  console.error(`error: ${msg}`);
  process.exit(code);
}

const argv = process.argv.slice(2);
let suiteName = 'main';
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].split(/=(.*)/s);
  if (flag === '--suite') suiteName = inline ?? argv[++i];
  else fail(`unknown argument ${argv[i]}\nusage: node scripts/run-electron-tests.mjs [--suite main|restricted]`, 2);
}
const suite = suiteNamed(suiteName) ?? fail(`unknown suite "${suiteName}" (main, restricted or activation)`, 2);

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const extensionMain = path.resolve(REPO_ROOT, pkg.main ?? 'dist/extension.js');
if (!fs.existsSync(extensionMain)) fail(`${path.relative(REPO_ROOT, extensionMain)} is missing: build the extension first (npm run build)`);
const extensionTestsPath = path.join(REPO_ROOT, suite.index);
if (!fs.existsSync(extensionTestsPath)) fail(`${suite.index} is missing: compile the tests first (npm run compile-tests)`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `intune-mao-electron-${suiteName}-`));
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
process.on('exit', cleanup);
const workspaceDir = path.join(tmp, 'workspace');
copyFixtureWorkspace(workspaceDir);
const userDataDir = path.join(tmp, 'user-data');
fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
/** @type {Record<string, unknown>} */
const settings = { ...QUIET_USER_SETTINGS };
if (!suite.trust) settings['security.workspace.trust.startupPrompt'] = 'never'; // stay in Restricted Mode, no modal
fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
const summaryFile = path.join(tmp, 'summary.json');

const launchArgs = [
  ...(suite.noFolder ? [] : [workspaceDir]),
  '--user-data-dir',
  userDataDir,
  '--extensions-dir',
  path.join(tmp, 'extensions'),
  '--disable-extensions', // other installed extensions; the one under development still loads
  '--skip-welcome',
  '--skip-release-notes',
  '--disable-telemetry',
];
if (suite.trust) launchArgs.push('--disable-workspace-trust');

let exitCode = 0;
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION || undefined,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath,
    launchArgs,
    extensionTestsEnv: {
      INTUNE_MAO_TEST_SUMMARY: summaryFile,
      ...(process.env.INTUNE_MAO_TEST_GREP ? { INTUNE_MAO_TEST_GREP: process.env.INTUNE_MAO_TEST_GREP } : {}),
    },
  });
} catch (err) {
  console.error(`error: ${err instanceof Error ? err.message : err}`);
  exitCode = 1;
}

let summary;
try {
  summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
} catch {}
if (summary) {
  if (process.env.INTUNE_MAO_TEST_SUMMARY) fs.writeFileSync(process.env.INTUNE_MAO_TEST_SUMMARY, JSON.stringify(summary));
  if (summary.failed > 0) exitCode = 1;
  console.log(`${suite.label}: ${summary.passed} passed, ${summary.failed} failed, ${summary.pending} skipped`);
} else {
  console.error(`no test summary was written (the ${suiteName} suite did not run to the end)`);
  exitCode = 1;
}
process.exit(exitCode);
