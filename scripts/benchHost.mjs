// @ts-check
// The extension measured in the real VS Code host (code-server, driven through Debian's chromium), as VS Code
// itself measures it: the activation times of its "Running Extensions" editor. Figures only, never assertions.
// Each cold launch opens a folder without a *.mao.json and lets the window settle; then
//   - checks that intune-mao did not start (it must not);
//   - runs the one command of a one-command extension (the floor), which starts it alone;
//   - opens a *.mao.json from outside the folder, which starts intune-mao alone, and waits for its first
//     diagnostic.
// Starting each extension on its own, in a quiet window, keeps one's start-up out of the other's figure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { QUIET_USER_SETTINGS, launchBrowser, startHost, workbenchUrl } from './vscode-host.mjs';
import { installVsix, packageVsix } from './sandbox.mjs';
import { REPO_ROOT } from './lib/repoRoot.mjs';

const require = createRequire(import.meta.url);
const ours = 'Intune Managed App Operations';
const floor = 'One Command (bench floor)';

/**
 * A one-command extension: the least an extension can cost to start.
 * @param {string} dir
 */
function packageFloorExtension(dir) {
  const source = path.join(dir, 'floor');
  fs.mkdirSync(source, { recursive: true });
  fs.writeFileSync(
    path.join(source, 'package.json'),
    JSON.stringify(
      {
        name: 'one-command',
        displayName: floor,
        publisher: 'bench',
        version: '1.0.0',
        license: 'MIT',
        engines: { vscode: '^1.90.0' },
        main: './extension.js',
        activationEvents: ['onCommand:benchFloor.hello'],
        contributes: { commands: [{ command: 'benchFloor.hello', title: 'Hello (bench floor)' }] },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(source, 'extension.js'),
    "exports.activate = (context) => context.subscriptions.push(require('vscode').commands.registerCommand('benchFloor.hello', () => undefined));\n",
  );
  fs.writeFileSync(path.join(source, 'README.md'), '# One command\n\nThe floor the benchmark compares activation with.\n');
  fs.writeFileSync(path.join(source, 'LICENSE'), 'MIT\n');
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const vsix = path.join(dir, 'floor.vsix');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], {
    cwd: source,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`packaging the floor extension failed: ${result.stdout}${result.stderr}`);
  return vsix;
}

/**
 * The activation times the Running Extensions editor shows, by display name (ms).
 * @param {import('playwright-core').Page} page
 * @param {(times: Map<string, number>) => boolean} wanted
 */
async function runningExtensions(page, wanted, timeoutMs = 90_000) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>Developer: Show Running Extensions');
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Show Running Extensions' }).first().waitFor();
  await page.keyboard.press('Enter');
  const editor = page.locator('.runtime-extensions-editor').first();
  await editor.waitFor({ timeout: 30_000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await editor.innerText().catch(() => '');
    const times = parseActivationTimes(text);
    if (wanted(times) || Date.now() > deadline) {
      await page.keyboard.press('Escape');
      return times;
    }
    await page.waitForTimeout(500);
  }
}

/** @param {string} text */
function parseActivationTimes(text) {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  /** @type {Map<string, number>} */
  const times = new Map();
  lines.forEach((line, index) => {
    const match = /^(?:Startup )?Activation: (\d+)ms/.exec(line);
    if (!match) return;
    // The display name is three lines up: name, version, host, activation.
    const name = lines[index - 3];
    if (name) times.set(name, Number(match[1]));
  });
  return times;
}

/**
 * @param {{ url: string }} host
 * @param {string} folder
 */
async function openWorkbench(host, folder) {
  const { browser } = await launchBrowser();
  // Tall enough that the Running Extensions list (virtualized) renders every row.
  const page = await browser.newPage({ viewport: { width: 1400, height: 2600 } });
  page.setDefaultTimeout(30_000);
  await page.goto(workbenchUrl(host, folder, [['skipWelcome', 'true']]), { waitUntil: 'domcontentloaded' });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 90_000 });
  return { browser, page };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} title
 */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Opens a file by path through File: Open File… (the workbench's own dialog) and waits for its first problem.
 * @param {import('playwright-core').Page} page
 * @param {string} file
 */
async function msToFirstDiagnostic(page, file) {
  await runCommand(page, 'File: Open File...');
  await page.locator('.quick-input-widget input').fill(file);
  await page.waitForTimeout(300);
  const started = Date.now();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => {
      const item = document.querySelector('#status\\.problems');
      return /[1-9]/.test(item?.getAttribute('aria-label') ?? item?.textContent ?? '');
    },
    undefined,
    { timeout: 60_000 },
  );
  return Date.now() - started;
}

/** @param {{ launches?: number, log?: (line: string) => void }} [options] */
export async function measureHostActivation({ launches = 5, log = () => undefined } = {}) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-bench-host-'));
  try {
    const { vsix } = packageVsix(scratch);
    const floorVsix = packageFloorExtension(scratch);
    const folder = path.join(scratch, 'no-operations');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'package.json'), '{\n  "name": "not-an-operation"\n}\n');
    const loose = path.join(scratch, 'loose');
    fs.mkdirSync(loose);

    /** @type {number[]} */
    const oursMs = [];
    /** @type {number[]} */
    const floorMs = [];
    /** @type {number[]} */
    const diagnosticMs = [];
    let startedWithoutFile = 0;
    let failedLaunches = 0;
    for (let launch = 1; launch <= launches; launch++) {
      /** @type {Awaited<ReturnType<typeof startHost>> | undefined} */
      let host;
      let browser;
      /** @type {import('playwright-core').Page | undefined} */
      let page;
      try {
        host = await startHost({ workspaceDir: folder, userSettings: { ...QUIET_USER_SETTINGS, 'files.simpleDialog.enable': true }, testDriver: false });
        installVsix(host, vsix);
        installVsix(host, floorVsix, 'bench.one-command');
        const opened = await openWorkbench(host, folder);
        browser = opened.browser;
        page = opened.page;
        // The window starts what it starts (Git, JSON language features, …); then it is quiet.
        await runningExtensions(page, (times) => times.size >= 3);
        await page.waitForTimeout(3000);
        const settled = await runningExtensions(page, () => true, 0);

        await runCommand(page, 'Hello (bench floor)');
        const withFloor = await runningExtensions(page, (times) => times.has(floor));
        const floorTime = withFloor.get(floor);

        const file = path.join(loose, `open-${launch}.mao.json`);
        fs.writeFileSync(file, '{\n  "displayName": "Wipe",\n  "colour": "red"\n}\n');
        const diagnosticAfter = await msToFirstDiagnostic(page, file);
        const withOurs = await runningExtensions(page, (times) => times.has(ours));
        const ourTime = withOurs.get(ours);
        // Only a launch that gave every figure counts, so each median is over the same launches.
        if (floorTime === undefined) throw new Error(`the Running Extensions editor never listed ${floor} (it listed ${[...withFloor.keys()].join(', ')})`);
        if (ourTime === undefined) throw new Error(`the Running Extensions editor never listed ${ours} (it listed ${[...withOurs.keys()].join(', ')})`);
        if (settled.has(ours)) startedWithoutFile++;
        floorMs.push(floorTime);
        oursMs.push(ourTime);
        diagnosticMs.push(diagnosticAfter);
        log(
          `launch ${launch}: started without a *.mao.json: ${settled.has(ours) ? 'yes' : 'no'}; floor ${floorTime} ms; intune-mao ${ourTime} ms; first diagnostic after ${diagnosticAfter} ms`,
        );
      } catch (error) {
        // A launch the driver lost (a page that never rendered, a timeout) counts as failed, not as a figure.
        failedLaunches++;
        const shot = path.join(REPO_ROOT, 'test-results', `bench-host-launch-${launch}.png`);
        fs.mkdirSync(path.dirname(shot), { recursive: true });
        await page?.screenshot({ path: shot }).catch(() => undefined);
        log(`launch ${launch} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      } finally {
        await browser?.close().catch(() => undefined);
        await host?.stop();
      }
    }
    return { oursMs, floorMs, startedWithoutFile, launches, failedLaunches, diagnosticMs };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
