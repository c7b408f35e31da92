// @ts-check
// UI smoke test: the extension installed from its VSIX into a real VS Code (code-server), driven like a person
// through headless Debian Chromium (playwright-core), against the local Graph emulator: one file sent from the
// explorer to a target picked in the registration picker, then a bulk run from the Intune side bar.
//
//   node scripts/ui-smoke.mjs [--update-docs] [--headed] [--verbose] [--timeout <seconds>]
//
// Needs the build (dist/extension.js). Each checked step counts as one test; a step that fails saves
// test-results/screenshots/failure-*.png and the steps after it are counted as failed (not run).
// Screenshots of the flow go to test-results/screenshots/ (git-ignored); --update-docs also writes the
// cropped ones the README shows into docs/images/ (committed, so only when asked).
// INTUNE_MAO_TEST_SUMMARY=<file> receives {"passed":N,"failed":N,"pending":0}.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, launchBrowser, startHost, workbenchUrl } from './vscode-host.mjs';
import { copySamples, installVsix, loadEmulatorModule, packageVsix, requireBuild, sandboxUserSettings, startSandboxEmulator } from './sandbox.mjs';
import { describeProcess, descendantsOf, isRunning, processesNaming } from './lib/processTree.mjs';
import { startRecordingProxy } from './lib/recordingProxy.mjs';
import { boxOf, pad, screenshotTaker, union } from './lib/screenshots.mjs';
import { createStepRunner, elapsedLog } from './lib/stepRunner.mjs';
import { bulkRunSteps } from './lib/uiBulkRun.mjs';
import { clickMenuItem, clickNotificationButton, closeMenu, explorerRow, menuItems, notificationTexts, readEditorText } from './lib/workbench.mjs';

const SHOTS_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');
const DOCS_DIR = path.join(REPO_ROOT, 'docs', 'images');
const FILE_TO_SEND = 'choose-a-target.mao.json'; // no $registrationId: the picker shows
const PICK_FILTER = 'Pixel 8'; // what the person types in the picker
const PICKED_REGISTRATION = '0ba5fbb1-4673-4030-8b2f-874e3ef2a352'; // Megan's Pixel 8 (Outlook), the only match
const NOT_AN_OPERATION = 'notes.json';
const SEND_LABEL = 'Send to Intune';
const NEW_LABEL = 'New Managed App Operation';
const FOLDER = '.vscode'; // a folder of the sample workspace
const USAGE = 'usage: node scripts/ui-smoke.mjs [--update-docs] [--headed] [--verbose] [--timeout <seconds>]';

const opts = { updateDocs: false, headed: false, verbose: false, timeoutSec: 300 };
for (let i = 2; i < process.argv.length; i++) {
  const [flag, inline] = process.argv[i].split(/=(.*)/s);
  if (flag === '--update-docs') opts.updateDocs = true;
  else if (flag === '--headed') opts.headed = true;
  else if (flag === '--verbose') opts.verbose = true;
  else if (flag === '--timeout') opts.timeoutSec = Number(inline ?? process.argv[++i]);
  else {
    console.error(`${USAGE}\nunknown argument ${process.argv[i]}`);
    process.exit(2);
  }
}
if (!(opts.timeoutSec > 0)) {
  console.error(`${USAGE}\n--timeout needs a positive number of seconds`);
  process.exit(2);
}

const started = Date.now();
const log = elapsedLog('ui', started);
/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

/**
 * Every file below `dir`.
 * @param {string} dir
 * @returns {string[]}
 */
function filesBelow(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const shot = screenshotTaker({ dir: SHOTS_DIR, docsDir: DOCS_DIR, updateDocs: opts.updateDocs, root: REPO_ROOT, log });
/** What a failed step can show: set as the sandbox comes up. */
const onScreen = {
  /** @type {import('playwright-core').Page | undefined} */
  page: undefined,
  /** @type {import('./lib/recordingProxy.mjs').RecordingProxy | undefined} */
  recorder: undefined,
};
const { step, fail, results, report } = createStepRunner({
  log,
  onFailure: async () => {
    const { page, recorder } = onScreen;
    if (page && !page.isClosed()) {
      const file = await shot(page, `failure-${results.length}`).catch(() => undefined);
      if (file) log(`  screenshot of the failure: ${path.relative(REPO_ROOT, file)}`);
      const notes = await notificationTexts(page);
      if (notes.length) log(`  notifications: ${notes.join(' | ')}`);
    }
    if (recorder?.exchanges.length) log(`  Graph calls so far: ${recorder.exchanges.map((x) => `${x.method} ${x.path.split('?')[0]} ${x.status}`).join(', ')}`);
  },
});

/** @param {number} [forceCode] */
function finish(forceCode) {
  console.log(`[ui] finished in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(REPO_ROOT, SHOTS_DIR)}/`);
  const code = report('ui');
  process.exit(forceCode ?? code);
}

async function main() {
  requireBuild();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-ui-'));
  /** @type {import('./sandbox.mjs').Emulator | undefined} */
  let emulator;
  /** @type {import('./vscode-host.mjs').Host | undefined} */
  let host;
  /** @type {import('playwright-core').Browser | undefined} */
  let browser;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await host?.stop().catch(() => {});
    await onScreen.recorder?.close().catch(() => {});
    await emulator?.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

  const timer = setTimeout(async () => {
    console.error(`[ui] error: the UI smoke test did not finish within ${opts.timeoutSec} s`);
    if (onScreen.page) await shot(onScreen.page, 'failure-timeout').catch(() => {});
    fail(`finishes within ${opts.timeoutSec} s`, 'timeout');
    await cleanup();
    finish(1);
  }, opts.timeoutSec * 1000);

  try {
    // --- the sandbox: emulator, recorder in front of it, VSIX, host, browser
    const emulatorModule = await loadEmulatorModule(tmp);
    const sandbox = (emulator = await startSandboxEmulator(emulatorModule, {}));
    const recorder = (onScreen.recorder = await startRecordingProxy(sandbox.url));
    const registrations = emulatorModule.sampleRegistrations;
    log(`emulator on ${sandbox.url} (recorded through ${recorder.url}), ${registrations.length} sample registrations`);
    const workspaceDir = copySamples(path.join(tmp, 'samples'));
    const { vsix, ms: packMs } = packageVsix(tmp);
    log(`packaged ${path.basename(vsix)} with vsce (${(packMs / 1000).toFixed(1)} s)`);
    const vscode = (host = await startHost({
      workspaceDir,
      // Two writes per 4 s: the bulk run's third operation waits for the write window, which its progress shows.
      userSettings: sandboxUserSettings(recorder.url, { 'intuneMao.writeLimit': '2/4' }),
      testDriver: false, // the smoke-test driver hides notification toasts; a person sees them
      verbose: opts.verbose,
    }));
    const { ms: installMs } = installVsix(vscode, vsix);
    log(`code-server on ${vscode.url}; extension installed with --install-extension (${(installMs / 1000).toFixed(1)} s)`);
    const chromium = await launchBrowser({ headless: !opts.headed });
    browser = chromium.browser;
    const browserPid = chromium.pid;
    if (!browserPid) throw new Error("the browser's process was not found, so the test could not check it stops");
    const page = (onScreen.page = await browser.newPage({ viewport: { width: 1280, height: 800 } }));
    const view = page.viewportSize() ?? { width: 1280, height: 800 };
    if (opts.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.setDefaultTimeout(30_000);
    await page.goto(workbenchUrl(vscode, workspaceDir, [['skipWelcome', 'true']]), { waitUntil: 'domcontentloaded' });

    await step('the workbench opens the sample workspace', async () => {
      await explorerRow(page, FILE_TO_SEND).waitFor({ timeout: 90_000 });
      await explorerRow(page, NOT_AN_OPERATION).waitFor();
    });

    await step(`the installed extension adds its menu items (a folder's context menu offers "${NEW_LABEL}")`, async () => {
      // The menus gain the extension's items once the remote extension host has scanned it: right-click the
      // folder again until they are there. After this, a missing item means a when-clause, not a slow start.
      const deadline = Date.now() + 90_000;
      for (;;) {
        await explorerRow(page, FOLDER).click({ button: 'right' });
        const items = await menuItems(page);
        await closeMenu(page);
        if (items.includes(NEW_LABEL)) break;
        if (Date.now() > deadline)
          throw new Error(`the folder's context menu shows no "${NEW_LABEL}" after 90 s (is the extension installed?); it shows: ${items.join(' | ')}`);
        await page.waitForTimeout(1000);
      }
    });

    const sendRow = explorerRow(page, FILE_TO_SEND);
    await step(`the explorer context menu of ${FILE_TO_SEND} offers "${SEND_LABEL}"`, async () => {
      await sendRow.click({ button: 'right' });
      const items = await menuItems(page);
      if (!items.includes(SEND_LABEL)) throw new Error(`the context menu of ${FILE_TO_SEND} has no "${SEND_LABEL}"; it shows: ${items.join(' | ')}`);
      await page.locator('.context-view .monaco-menu').getByRole('menuitem', { name: SEND_LABEL, exact: true }).hover();
      // The side bar from its title down to the menu's bottom, and the menu.
      const side = await boxOf(page.locator('.part.sidebar'));
      const menu = await boxOf(page.locator('.context-view .monaco-menu').first());
      const clip = pad(union({ ...side, height: menu.y + menu.height - side.y }, menu), 8, view);
      await shot(page, '01-explorer-context-menu', { clip, docs: 'explorer-send-to-intune.png' });
      await closeMenu(page);
    });

    await step(`the explorer context menu of ${NOT_AN_OPERATION} has no "${SEND_LABEL}"`, async () => {
      await explorerRow(page, NOT_AN_OPERATION).click({ button: 'right' });
      const items = await menuItems(page);
      if (!items.some((t) => /^Copy Path/.test(t))) throw new Error(`this is not the file context menu: ${items.join(' | ')}`);
      if (items.includes(SEND_LABEL)) throw new Error(`"${SEND_LABEL}" is offered for ${NOT_AN_OPERATION}: ${items.join(' | ')}`);
      await closeMenu(page);
    });

    await step('Send to Intune asks to sign in with the sandbox provider, and Allow signs in', async () => {
      await sendRow.click({ button: 'right' });
      await menuItems(page);
      await clickMenuItem(page, SEND_LABEL);
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 30_000 });
      const text = (await dialog.innerText()).replace(/\s+/g, ' ');
      if (!/wants to sign in using Intune Emulator/i.test(text)) throw new Error(`unexpected dialog: ${text}`);
      const picker = await page
        .locator('.quick-input-widget')
        .boundingBox()
        .catch(() => null);
      await shot(page, '02-sign-in-dialog', { clip: pad(union(await boxOf(dialog), picker), 12, view) });
      await dialog.getByRole('button', { name: 'Allow' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const deadline = Date.now() + 15_000;
      while (!recorder.exchanges.some((x) => x.path.startsWith('/_emulator/token') && x.status === 200)) {
        if (Date.now() > deadline) throw new Error('the sandbox provider asked the emulator for no token after Allow');
        await page.waitForTimeout(100);
      }
    });

    await step(`the registration picker lists all ${registrations.length} registrations of the sample tenant`, async () => {
      const widget = page.locator('.quick-input-widget');
      await widget.waitFor({ state: 'visible' });
      const title = widget.locator('.quick-input-title');
      await page
        .waitForFunction(
          ({ want }) => new RegExp(`\\(${want}\\)\\s*$`).test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''),
          { want: registrations.length },
          { timeout: 30_000 },
        )
        .catch(async () => {
          throw new Error(`picker title is "${await title.textContent()}", expected it to end with (${registrations.length})`);
        });
      const rows = widget.locator('.quick-input-list .monaco-list-row');
      const first = registrations[0];
      await rows
        .filter({ hasText: String(first.deviceName) })
        .first()
        .waitFor();
      await shot(page, '03-registration-picker', { clip: pad(await boxOf(widget), 8, view), docs: 'registration-picker.png' });
      await widget.locator('input').first().fill(PICK_FILTER);
      await page
        .waitForFunction((n) => document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row').length === n, 1, { timeout: 10_000 })
        .catch(async () => {
          throw new Error(`filtering "${PICK_FILTER}" leaves ${await rows.count()} rows, expected 1`);
        });
      const row = (await rows.first().innerText()).replace(/\s+/g, ' ');
      if (!row.includes("Megan's Pixel 8")) throw new Error(`the only row after filtering is "${row}"`);
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
    });

    let outputText = '';
    await step('the Output channel "Intune" shows the 201 and the request-id the emulator issued', async () => {
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /operation created \(HTTP 201\)/ });
      await toast.waitFor({ timeout: 30_000 }).catch(async () => {
        const shown = await notificationTexts(page);
        throw new Error(`no "operation created (HTTP 201)" notification; notifications: ${shown.join(' | ') || '(none)'}`);
      });
      const posts = recorder.exchanges.filter((x) => x.method === 'POST' && /\/managedAppRegistrations\/[^/]+\/operations/.test(x.path));
      if (posts.length !== 1) throw new Error(`expected one POST …/operations, the emulator received ${posts.length}`);
      const post = posts[0];
      if (!post.path.includes(`/managedAppRegistrations/${PICKED_REGISTRATION}/operations`))
        throw new Error(`the POST went to ${post.path}, not to the picked registration ${PICKED_REGISTRATION}`);
      if (post.status !== 201) throw new Error(`the emulator answered ${post.status}`);
      const requestId = post.responseHeaders['request-id'];
      const clientRequestId = post.requestHeaders['client-request-id'];
      const created = sandbox.operationsOf(PICKED_REGISTRATION);
      if (created.length !== 1) throw new Error(`the emulator holds ${created.length} operations for ${PICKED_REGISTRATION}, expected 1`);

      await clickNotificationButton(page, toast, 'Show Output');
      const panel = page.locator('.part.panel');
      const editor = panel.locator('.monaco-editor').first();
      await editor.locator('.view-lines .view-line').first().waitFor();
      // Which channel is shown: the panel's channel picker says "Intune".
      const channel = await panel.locator('select').evaluateAll((els) =>
        els.map((s) => {
          const select = /** @type {HTMLSelectElement} */ (s);
          return select.options[select.selectedIndex]?.text ?? '';
        }),
      );
      if (!channel.includes('Intune'))
        throw new Error(`the Output panel's channel picker shows ${channel.length ? channel.join(', ') : 'nothing'}, not "Intune"`);
      // More room: maximize the panel with its own button, as a person would.
      const maximize = panel.locator('.action-label[aria-label*="Maximize" i]').first();
      if (await maximize.isVisible().catch(() => false)) {
        await maximize.click();
        await page.waitForTimeout(400);
      }
      outputText = await readEditorText(page, editor);
      const want = [
        'HTTP 201 ·',
        `request-id: ${requestId}`,
        `client-request-id: ${clientRequestId}`,
        `✔ created  ${FILE_TO_SEND} → ${PICKED_REGISTRATION} (HTTP 201,`,
        `operation id ${created[0].id}`,
        'Authorization: Bearer [redacted]',
      ];
      // The panel wraps long lines: compare without white space.
      const flat = outputText.replace(/\s+/g, '');
      const missing = want.filter((text) => !flat.includes(text.replace(/\s+/g, '')));
      if (missing.length) throw new Error(`the Output channel lacks: ${missing.join('; ')}\n--- output as read ---\n${outputText}`);
      // The end of the log (response and verdict) in the picture.
      await page.keyboard.press('Control+End');
      await page.waitForTimeout(300);
      await shot(page, '04-output-201', { clip: pad(await boxOf(panel), 0, view), docs: 'output-201.png' });
    });

    await bulkRunSteps({ page, step, shot, emulator: sandbox, emulatorModule, file: FILE_TO_SEND });

    await step('the token appears nowhere in the page', async () => {
      const tokens = recorder.tokens();
      if (tokens.length === 0) throw new Error('no token went over the recorder: nothing to look for');
      const pageText = await page.evaluate(() => document.body.innerText);
      const html = await page.content();
      // The Output panel wraps long lines, so its text is searched without white space (a token has none).
      const where = [
        ['the page text', pageText],
        ['the page HTML', html],
        ['the Output channel', outputText.replace(/\s+/g, '')],
      ];
      for (const token of tokens) {
        // A JWT's payload or signature alone identifies it too (the header is the same for every token).
        const parts = token
          .split('.')
          .slice(1)
          .filter((part) => part.length >= 16);
        for (const [label, text] of where) {
          if (text.includes(token)) throw new Error(`the token is in ${label}`);
          const part = parts.find((x) => text.includes(x));
          if (part) throw new Error(`part of the token (${part.slice(0, 12)}…) is in ${label}`);
        }
      }
      // And the extension host's log of the channel on disk.
      const files = filesBelow(path.join(vscode.userDataDir, 'logs'));
      for (const f of files) {
        const text = fs.readFileSync(f, 'utf8');
        if (tokens.some((t) => text.includes(t))) throw new Error(`the token is in the log file ${path.relative(vscode.userDataDir, f)}`);
      }
      const channelLog = files.find((f) => /intune/i.test(path.basename(f)) && /201/.test(fs.readFileSync(f, 'utf8')));
      log(
        `  searched ${tokens.length} token(s) in the page, the whole Output channel and ${files.length} log files${channelLog ? ` (the channel's own: ${path.relative(vscode.userDataDir, channelLog)})` : ''}`,
      );
    });

    // --- stop everything, then check nothing is left
    const ours = [vscode.pid, browserPid];
    const oursAndChildren = [...ours, ...ours.flatMap(descendantsOf)];
    const hostScratch = path.dirname(vscode.userDataDir);
    clearTimeout(timer);
    await cleanup();
    await step(
      'everything stopped: no code-server or chromium left',
      async () => {
        // A process that got its signal may take a moment to go, longer on a busy machine.
        const deadline = Date.now() + 10_000;
        for (;;) {
          const left = [...new Set([...oursAndChildren.filter(isRunning), ...processesNaming(hostScratch), ...processesNaming(tmp)])];
          if (left.length === 0) break;
          if (Date.now() > deadline) throw new Error(`still running 10 s after stopping: ${left.map(describeProcess).join('; ')}`);
          await new Promise((r) => setTimeout(r, 250));
        }
      },
      { always: true },
    );
  } catch (err) {
    fail('the sandbox starts', messageOf(err));
    console.error(`[ui] error: ${messageOf(err)}`);
    if (host) {
      console.error('--- code-server output (last lines) ---');
      console.error(host.output().trim().split('\n').slice(-25).join('\n'));
    }
    clearTimeout(timer);
    await cleanup();
  }
  finish();
}

main().catch((err) => {
  console.error(messageOf(err));
  fail('the UI smoke test runs', messageOf(err));
  finish(1);
});
