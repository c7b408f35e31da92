// The extension measured in the real VS Code host (code-server, driven through Debian's chromium), as VS Code
// itself measures it: the activation times of its "Running Extensions" editor. Figures only, never assertions.
//   - activation of intune-mao and of a one-command extension started by the same event, over cold launches;
//   - whether a window without a *.mao.json starts intune-mao (it must not);
//   - how long from opening a *.mao.json in such a window to its first diagnostic.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { QUIET_USER_SETTINGS, launchBrowser, startHost, workbenchUrl } from './vscode-host.mjs';
import { installVsix, packageVsix } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const ours = 'Intune Managed App Operations';
const floor = 'One Command (bench floor)';

/** A one-command extension that starts on the same event as ours in a folder with a *.mao.json. */
function packageFloorExtension(dir) {
  const source = path.join(dir, 'floor');
  fs.mkdirSync(source, { recursive: true });
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify({
    name: 'one-command', displayName: floor, publisher: 'bench', version: '1.0.0', license: 'MIT', engines: { vscode: '^1.90.0' },
    main: './extension.js', activationEvents: ['workspaceContains:**/*.mao.json'],
    contributes: { commands: [{ command: 'benchFloor.hello', title: 'Hello (bench floor)' }] },
  }, null, 2));
  fs.writeFileSync(path.join(source, 'extension.js'),
    "exports.activate = (context) => context.subscriptions.push(require('vscode').commands.registerCommand('benchFloor.hello', () => undefined));\n");
  fs.writeFileSync(path.join(source, 'README.md'), '# One command\n\nThe floor the benchmark compares activation with.\n');
  fs.writeFileSync(path.join(source, 'LICENSE'), 'MIT\n');
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const vsix = path.join(dir, 'floor.vsix');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: source, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`packaging the floor extension failed: ${result.stdout}${result.stderr}`);
  return vsix;
}

/** The activation times the Running Extensions editor shows, by display name (ms). */
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

function parseActivationTimes(text) {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
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

async function openWorkbench(host, folder) {
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  await page.goto(workbenchUrl(host, folder, [['skipWelcome', 'true']]), { waitUntil: 'domcontentloaded' });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 90_000 });
  return { browser, page };
}

/** Opens a file by path through File: Open File… (the workbench's own dialog) and waits for its first problem. */
async function msToFirstDiagnostic(page, file) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>File: Open File...');
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Open File' }).first().waitFor();
  await page.keyboard.press('Enter');
  const input = page.locator('.quick-input-widget input');
  await input.fill(file);
  await page.waitForTimeout(300);
  const problems = page.locator('#status\\.problems');
  const started = Date.now();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => {
    const label = document.querySelector('#status\\.problems')?.getAttribute('aria-label') ?? document.querySelector('#status\\.problems')?.textContent ?? '';
    return /[1-9]/.test(label);
  }, undefined, { timeout: 60_000 });
  const ms = Date.now() - started;
  await problems.count();
  return ms;
}

export async function measureHostActivation({ launches = 5, emptyLaunches = 2, log = () => undefined } = {}) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-bench-host-'));
  try {
    const { vsix } = packageVsix(scratch);
    const floorVsix = packageFloorExtension(scratch);
    const withFile = path.join(scratch, 'with-operation');
    fs.mkdirSync(withFile);
    fs.writeFileSync(path.join(withFile, 'wipe.mao.json'), '{\n  "displayName": "Wipe",\n  "state": "pending"\n}\n');
    const empty = path.join(scratch, 'empty');
    fs.mkdirSync(empty);
    const loose = path.join(scratch, 'loose');
    fs.mkdirSync(loose);

    const oursMs = [];
    const floorMs = [];
    for (let launch = 1; launch <= launches; launch++) {
      const host = await startHost({ workspaceDir: withFile, userSettings: QUIET_USER_SETTINGS, testDriver: false });
      let browser;
      try {
        installVsix(host, vsix);
        installVsix(host, floorVsix, 'bench.one-command');
        const opened = await openWorkbench(host, withFile);
        browser = opened.browser;
        const times = await runningExtensions(opened.page, (t) => t.has(ours) && t.has(floor));
        if (times.has(ours)) oursMs.push(times.get(ours));
        if (times.has(floor)) floorMs.push(times.get(floor));
        log(`launch ${launch}: intune-mao ${times.get(ours) ?? '?'} ms, floor ${times.get(floor) ?? '?'} ms`);
      } finally {
        await browser?.close().catch(() => undefined);
        await host.stop();
      }
    }

    let startedWithoutFile = 0;
    const diagnosticMs = [];
    for (let launch = 1; launch <= emptyLaunches; launch++) {
      const host = await startHost({ workspaceDir: empty, userSettings: { ...QUIET_USER_SETTINGS, 'files.simpleDialog.enable': true }, testDriver: false });
      let browser;
      try {
        installVsix(host, vsix);
        const opened = await openWorkbench(host, empty);
        browser = opened.browser;
        // Give the window the time to start what it starts (JSON language features, Git, …).
        const before = await runningExtensions(opened.page, (t) => t.size >= 3);
        await opened.page.waitForTimeout(3000);
        const settled = await runningExtensions(opened.page, () => true, 0);
        if (before.has(ours) || settled.has(ours)) startedWithoutFile++;
        const file = path.join(loose, `open-${launch}.mao.json`);
        fs.writeFileSync(file, '{\n  "displayName": "Wipe",\n  "colour": "red"\n}\n');
        diagnosticMs.push(await msToFirstDiagnostic(opened.page, file));
        log(`window without a *.mao.json ${launch}: intune-mao ${before.has(ours) || settled.has(ours) ? 'started' : 'not started'}; first diagnostic after ${diagnosticMs.at(-1)} ms`);
      } finally {
        await browser?.close().catch(() => undefined);
        await host.stop();
      }
    }
    return { oursMs, floorMs, startedWithoutFile, emptyLaunches, diagnosticMs };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
