// @ts-check
// Runs the mocha integration suite inside a real VS Code (code-server + headless Debian chromium).
//
//   node scripts/run-vscode-tests.mjs [--suite main|restricted] [--timeout <seconds>] [--verbose]
//
// Needs `npm run build` (dist/extension.js) and `npm run compile-tests` (out/test/...) first.
// INTUNE_MAO_TEST_GREP=<pattern> runs only the matching tests; INTUNE_MAO_TEST_SUMMARY=<file> receives
// {"passed":N,"failed":N,"pending":N}; INTUNE_MAO_TEST_TIMEOUT=<seconds> changes the overall timeout (600).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { REPO_ROOT, QUIET_USER_SETTINGS, ensureHost, extensionTestPayload, launchBrowser, startHost, workbenchUrl } from './vscode-host.mjs';
import { SUITES, copyFixtureWorkspace, suiteNamed } from './lib/testSuites.mjs';

const SUMMARY_MARKER = 'INTUNE_MAO_TEST_SUMMARY ';

// Log lines that are expected in an offline headless run and say nothing about the tests.
// (Workbench and extension host lines arrive through the same channel, without a source tag.)
const NOISE = [
  /authentication provider ['"]?github/i, // "Timed out waiting for authentication provider 'github' to register."
  /getaddrinfo (ENOTFOUND|EAI_AGAIN)/i, // telemetry hosts, open-vsx gallery: no DNS here
  /net::ERR_NAME_NOT_RESOLVED|net::ERR_INTERNET_DISCONNECTED/i,
  /^\[(AgentHost[^\]]*|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]/,
  /^(Resolving|Resolved) connection token|^Creating a socket \(|^Updating additional builtin extensions cache/,
  /^Creation of workbench contribution .* took \d+ms/,
  /DialogService: refused to show dialog in tests/i,
  /^\s*$/,
];

/**
 * @param {string} [msg]
 * @returns {never}
 */
function usage(msg) {
  if (msg) console.error(`error: ${msg}`);
  console.error('usage: node scripts/run-vscode-tests.mjs [--suite main|restricted|activation] [--timeout <seconds>] [--verbose]');
  process.exit(2);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = { suite: 'main', timeoutSec: Number(process.env.INTUNE_MAO_TEST_TIMEOUT ?? 600), verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--suite') opts.suite = value();
    else if (flag === '--timeout') opts.timeoutSec = Number(value());
    else if (flag === '--verbose') opts.verbose = true;
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  const suite = suiteNamed(opts.suite) ?? usage(`unknown suite "${opts.suite}" (${Object.keys(SUITES).join(', ')})`);
  if (!(opts.timeoutSec > 0)) usage('--timeout must be a positive number of seconds');
  return { ...opts, definition: suite };
}

/**
 * @param {string} msg
 * @returns {never}
 */
function fail(msg) {
  console.error(`error: ${msg}`);
  process.exit(1);
}

/** @param {unknown} a */
function formatArg(a) {
  if (typeof a === 'string') return a;
  try {
    return JSON.stringify(a);
  } catch {
    return String(a);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const suite = opts.definition;

  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const extensionMain = path.resolve(REPO_ROOT, pkg.main ?? 'dist/extension.js');
  if (!fs.existsSync(extensionMain) && !fs.existsSync(`${extensionMain}.js`)) {
    fail(`${path.relative(REPO_ROOT, extensionMain)} is missing: build the extension first (npm run build)`);
  }
  const testsIndex = path.join(REPO_ROOT, suite.index);
  if (!fs.existsSync(testsIndex)) fail(`${suite.index} is missing: compile the tests first (npm run compile-tests)`);

  const started = Date.now();
  ensureHost();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `intune-mao-${opts.suite}-`));
  const workspaceDir = path.join(tmp, 'workspace');
  copyFixtureWorkspace(workspaceDir);
  const summaryFile = path.join(tmp, 'summary.json');

  /** @type {import('./vscode-host.mjs').Host | undefined} */
  let host;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const cleanup = async () => {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await host?.stop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

  let exitCode;
  let runFailed = false; // the harness failed (as opposed to tests failing)
  /** @type {import('./lib/stepRunner.mjs').TestSummary | undefined} */
  let markerSummary;
  let serverOutput = '';
  try {
    host = await startHost({
      workspaceDir,
      trust: suite.trust,
      userSettings: QUIET_USER_SETTINGS,
      env: {
        INTUNE_MAO_TEST_SUMMARY: summaryFile,
        ...(process.env.INTUNE_MAO_TEST_GREP ? { INTUNE_MAO_TEST_GREP: process.env.INTUNE_MAO_TEST_GREP } : {}),
      },
      verbose: opts.verbose,
    });
    console.log(`[vscode-tests] suite ${opts.suite}: VS Code host on ${host.url} (workspace ${suite.trust ? 'trusted' : 'in Restricted Mode'})`);
    browser = (await launchBrowser()).browser;
    const page = await browser.newPage();

    /** @typedef {{ code?: number, timeout?: boolean, error?: string }} RunEnd */
    /** @type {(end: RunEnd) => void} */
    let finish = () => {};
    /** @type {Promise<RunEnd>} */
    const done = new Promise((resolve) => (finish = resolve));
    timer = setTimeout(() => finish({ timeout: true }), opts.timeoutSec * 1000);
    browser.on('disconnected', () => finish({ error: 'the browser closed unexpectedly' }));
    page.on('crash', () => finish({ error: 'the workbench page crashed' }));
    await page.exposeFunction('codeAutomationExit', (/** @type {unknown} */ code) => finish({ code: Number.isInteger(Number(code)) ? Number(code) : 1 }));
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown} */ args) => {
      const list = Array.isArray(args) ? args : [args];
      // console.log arguments as given, e.g. mocha's ['    ✔ %s (%dms)', 'title', 12]
      const text = typeof list[0] === 'string' ? format(...list) : list.map(formatArg).join(' ');
      if (text.startsWith(SUMMARY_MARKER)) {
        try {
          markerSummary = JSON.parse(text.slice(SUMMARY_MARKER.length).trim().split(/\s/)[0]);
        } catch {}
        return;
      }
      // After the marker the suite is over: what follows is the extension host shutting down
      // (cancelled requests and their stacks), shown with --verbose only.
      if (!opts.verbose && (markerSummary || NOISE.some((re) => re.test(text)))) return;
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    });
    if (opts.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));

    const url = workbenchUrl(host, suite.noFolder ? undefined : workspaceDir, extensionTestPayload(REPO_ROOT, testsIndex));
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const result = await done;
    serverOutput = host.output();
    if (result.timeout) {
      console.error(`error: the ${opts.suite} suite did not finish within ${opts.timeoutSec} s (no codeAutomationExit from the workbench)`);
      exitCode = 1;
      runFailed = true;
    } else if (result.error) {
      console.error(`error: ${result.error}`);
      exitCode = 1;
      runFailed = true;
    } else {
      exitCode = result.code ?? 1;
    }
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.stack : err}`);
    serverOutput ||= host?.output() ?? '';
    exitCode = 1;
    runFailed = true;
  }

  let summary;
  try {
    summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  } catch {
    summary = markerSummary;
  }
  await cleanup();

  if ((runFailed || !summary) && serverOutput) {
    console.error('--- code-server output (last lines) ---');
    console.error(serverOutput.trim().split('\n').slice(-25).join('\n'));
  }
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  if (summary) {
    // A caller (scripts/test.mjs) may ask for the counts too, through the same variable.
    if (process.env.INTUNE_MAO_TEST_SUMMARY) fs.writeFileSync(process.env.INTUNE_MAO_TEST_SUMMARY, JSON.stringify(summary));
    if (summary.failed > 0 && exitCode === 0) exitCode = 1;
    console.log(`[vscode-tests] suite ${opts.suite} finished in ${secs} s with exit code ${exitCode}`);
    console.log(`${suite.label}: ${summary.passed} passed, ${summary.failed} failed, ${summary.pending} skipped`);
  } else {
    console.error(`[vscode-tests] suite ${opts.suite}: no test summary was written (the test index did not run to the end)`);
    if (exitCode === 0) exitCode = 1;
  }
  process.exit(exitCode);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
