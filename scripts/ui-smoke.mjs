// UI smoke test: the extension installed from its VSIX into a real VS Code (code-server), driven like a person
// through headless Debian Chromium (playwright-core), against the local Graph emulator.
//
//   node scripts/ui-smoke.mjs [--update-docs] [--headed] [--verbose] [--timeout <seconds>]
//
// Needs the build (dist/extension.js). Each checked step counts as one test; a step that fails saves
// test-results/screenshots/failure-*.png and the steps after it are counted as failed (not run).
// Screenshots of the flow go to test-results/screenshots/ (git-ignored); --update-docs also writes the
// cropped ones the README shows into docs/images/ (committed, so only when asked).
// INTUNE_MAO_TEST_SUMMARY=<file> receives {"passed":N,"failed":N,"pending":0}.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, launchBrowser, startHost, workbenchUrl } from './vscode-host.mjs';
import { describeProcess, descendantsOf, isRunning, processesNaming } from './lib/processTree.mjs';
import { copySamples, installVsix, loadEmulatorModule, packageVsix, requireBuild, sandboxUserSettings, startSandboxEmulator } from './sandbox.mjs';

const SHOTS_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');
const DOCS_DIR = path.join(REPO_ROOT, 'docs', 'images');
const FILE_TO_SEND = 'choose-a-target.mao.json'; // no $registrationId: the picker shows
const PICK_FILTER = 'Pixel 8'; // what the person types in the picker
const PICKED_REGISTRATION = '0ba5fbb1-4673-4030-8b2f-874e3ef2a352'; // Megan's Pixel 8 (Outlook), the only match
const NOT_AN_OPERATION = 'notes.json';
const SEND_LABEL = 'Send to Intune';
const NEW_LABEL = 'New Managed App Operation';
const FOLDER = '.vscode'; // a folder of the sample workspace

const opts = { updateDocs: false, headed: false, verbose: false, timeoutSec: 300 };
for (let i = 2; i < process.argv.length; i++) {
  const [flag, inline] = process.argv[i].split(/=(.*)/s);
  if (flag === '--update-docs') opts.updateDocs = true;
  else if (flag === '--headed') opts.headed = true;
  else if (flag === '--verbose') opts.verbose = true;
  else if (flag === '--timeout') opts.timeoutSec = Number(inline ?? process.argv[++i]);
  else {
    console.error(`usage: node scripts/ui-smoke.mjs [--update-docs] [--headed] [--verbose] [--timeout <seconds>]\nunknown argument ${process.argv[i]}`);
    process.exit(2);
  }
}

const started = Date.now();
const log = (msg) => console.log(`[ui] ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${msg}`);
const results = []; // { name, ok, error? }

// ---------------------------------------------------------------------------------------------------
// A transparent recorder between the extension and the emulator: the extension's graphUrl points here,
// so the test sees exactly what went over the wire (request-id answered, tokens issued and sent).

function startRecorder(targetUrl) {
  const target = new URL(targetUrl);
  const exchanges = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        const answer = [];
        up.on('data', (c) => answer.push(c));
        up.on('end', () => {
          // The emulator writes its own origin into @odata.nextLink and Location; the extension must see ours.
          const text = Buffer.concat(answer).toString('utf8').split(target.origin).join(self.url);
          const headers = { ...up.headers };
          if (headers.location) headers.location = headers.location.split(target.origin).join(self.url);
          if (headers['content-length'] !== undefined) headers['content-length'] = String(Buffer.byteLength(text));
          exchanges.push({ method: req.method, path: req.url, requestHeaders: req.headers, status: up.statusCode, responseHeaders: up.headers, responseBody: text });
          res.writeHead(up.statusCode, headers);
          res.end(text);
        });
      });
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      upstream.end(body);
    });
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const self = {};
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(Object.assign(self, {
    url: `http://127.0.0.1:${server.address().port}`,
    exchanges,
    /** Every token issued or carried: the sandbox provider's tokens and every Authorization value. */
    tokens() {
      const found = new Set();
      for (const x of exchanges) {
        const auth = x.requestHeaders.authorization;
        if (auth) found.add(auth.replace(/^Bearer\s+/i, ''));
        if (x.path.startsWith('/_emulator/token')) {
          try {
            const t = JSON.parse(x.responseBody).access_token;
            if (t) found.add(t);
          } catch {}
        }
      }
      return [...found];
    },
    close: () => new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  }))));
}

// ---------------------------------------------------------------------------------------------------
// Page helpers

/**
 * Every line of a Monaco editor (the Output view is one): its lines are virtualized, so page through it with
 * the keyboard and collect each rendered line by its position. Wrapped lines come back as separate lines.
 */
async function readEditorText(page, editor) {
  const lines = new Map();
  const collect = async () => {
    const batch = await editor.locator('.view-lines .view-line').evaluateAll((els) => els.map((el) => [parseFloat(el.style.top) || 0, el.textContent.replace(/\u00a0/g, ' ')]));
    let added = 0;
    for (const [top, text] of batch) {
      if (!lines.has(top)) added++;
      lines.set(top, text);
    }
    return added;
  };
  const box = await editor.boundingBox();
  await page.mouse.click(box.x + Math.min(200, box.width / 2), box.y + Math.min(40, box.height / 2));
  await page.keyboard.press('Control+Home');
  await page.waitForTimeout(200);
  await collect();
  for (let i = 0, idle = 0; i < 500 && idle < 3; i++) {
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(60);
    idle = (await collect()) === 0 ? idle + 1 : 0;
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t).join('\n');
}

async function menuItems(page) {
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  await menu.getByRole('menuitem').first().waitFor({ timeout: 5_000 });
  return (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter(Boolean);
}

async function closeMenu(page) {
  await page.keyboard.press('Escape');
  await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/**
 * VS Code's menu ignores a mouse-up on an item for its first 100 ms: each item starts listening for it only
 * when a timer set while rendering the item fires (BaseMenuActionViewItem's runOnceToEnableMouseUp in
 * src/vs/base/browser/ui/menu/menu.ts), so that the right-click that opened the menu cannot pick an item.
 */
const MENU_IGNORES_MOUSE_UP_MS = 100;

/**
 * Clicks the open context menu's item `label` with the mouse, once the item takes a click.
 *
 * A click sooner than MENU_IGNORES_MOUSE_UP_MS after the menu rendered highlights the item and does nothing
 * else: the menu stays open and the command never runs. Waiting that long wall-clock is no proof on a busy
 * machine (the input can overtake the menu's late timer), so the wait is a page timer of the same length,
 * set after the item is on screen: the browser runs timers of the same delay in the order they were set,
 * so when it fires, the item listens. The menu closes before it runs the chosen command, so a menu still
 * open after the click means the click was not taken, and says so instead of waiting for what never comes.
 */
async function clickMenuItem(page, label) {
  const menu = page.locator('.context-view .monaco-menu').first();
  // By its label alone: an item's accessible name ends with its keybinding.
  const item = menu.getByRole('menuitem').filter({ has: page.locator('.action-label', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), MENU_IGNORES_MOUSE_UP_MS);
  await item.click();
  await menu.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
    throw new Error(`the click on "${label}" was not taken: the context menu is still open 10 s later`);
  });
}

function explorerRow(page, name) {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** Screenshot into test-results/screenshots/, optionally cropped and copied (as JPEG) into docs/images/. */
async function shot(page, name, { clip, docs } = {}) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  if (opts.updateDocs && docs) {
    fs.mkdirSync(DOCS_DIR, { recursive: true });
    const view = page.viewportSize();
    const c = clip && {
      x: Math.max(0, Math.floor(clip.x)), y: Math.max(0, Math.floor(clip.y)),
      width: Math.min(view.width - Math.max(0, clip.x), Math.ceil(clip.width)), height: Math.min(view.height - Math.max(0, clip.y), Math.ceil(clip.height)),
    };
    const out = path.join(DOCS_DIR, docs);
    await page.screenshot({ path: out, ...(c ? { clip: c } : {}), ...(out.endsWith('.jpg') ? { type: 'jpeg', quality: 70 } : {}) });
    const kb = fs.statSync(out).size / 1024;
    log(`  docs image ${path.relative(REPO_ROOT, out)} (${kb.toFixed(0)} KB)${kb > 200 ? ' — over 200 KB: crop tighter or use .jpg' : ''}`);
  }
  return file;
}

function union(...boxes) {
  const b = boxes.filter(Boolean);
  const x = Math.min(...b.map((r) => r.x));
  const y = Math.min(...b.map((r) => r.y));
  return { x, y, width: Math.max(...b.map((r) => r.x + r.width)) - x, height: Math.max(...b.map((r) => r.y + r.height)) - y };
}

function pad(box, by, view) {
  const x = Math.max(0, box.x - by);
  const y = Math.max(0, box.y - by);
  return { x, y, width: Math.min(view.width - x, box.width + 2 * by), height: Math.min(view.height - y, box.height + 2 * by) };
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  requireBuild();
  // Screenshots of an earlier run would be mistaken for this one's.
  if (fs.existsSync(SHOTS_DIR)) for (const f of fs.readdirSync(SHOTS_DIR)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS_DIR, f));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-ui-'));
  let emulator;
  let recorder;
  let host;
  let browser;
  let page;
  let startedPids = [];
  let browserPid;
  const cleanup = async () => {
    await browser?.close().catch(() => {});
    await host?.stop().catch(() => {});
    await recorder?.close().catch(() => {});
    await emulator?.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

  let failedAt;
  const step = async (name, fn, { always = false } = {}) => {
    if (failedAt && !always) {
      results.push({ name, ok: false, error: 'not run: an earlier step failed' });
      return;
    }
    const t = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      log(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failedAt = name;
      results.push({ name, ok: false, error: err?.message ?? String(err) });
      log(`✖ ${name}\n        ${String(err?.message ?? err).split('\n').join('\n        ')}`);
      if (page && !page.isClosed()) {
        const file = await shot(page, `failure-${results.length}`).catch(() => undefined);
        if (file) log(`  screenshot of the failure: ${path.relative(REPO_ROOT, file)}`);
        const notes = await page.locator('.notifications-toasts .notification-toast').allInnerTexts().catch(() => []);
        if (notes.length) log(`  notifications: ${notes.map((n) => n.replace(/\s+/g, ' ')).join(' | ')}`);
      }
      if (recorder?.exchanges.length) log(`  Graph calls so far: ${recorder.exchanges.map((x) => `${x.method} ${x.path.split('?')[0]} ${x.status}`).join(', ')}`);
    }
  };

  const timer = setTimeout(async () => {
    console.error(`[ui] error: the UI smoke test did not finish within ${opts.timeoutSec} s`);
    if (page) await shot(page, 'failure-timeout').catch(() => {});
    results.push({ name: `finishes within ${opts.timeoutSec} s`, ok: false, error: 'timeout' });
    await cleanup();
    finish(1);
  }, opts.timeoutSec * 1000);

  try {
    // --- the sandbox: emulator, recorder in front of it, VSIX, host, browser
    const emulatorModule = await loadEmulatorModule(tmp);
    emulator = await startSandboxEmulator(emulatorModule, {});
    recorder = await startRecorder(emulator.url);
    const registrations = emulatorModule.sampleRegistrations;
    log(`emulator on ${emulator.url} (recorded through ${recorder.url}), ${registrations.length} sample registrations`);
    const workspaceDir = copySamples(path.join(tmp, 'samples'));
    const { vsix, ms: packMs } = packageVsix(tmp);
    log(`packaged ${path.basename(vsix)} with vsce (${(packMs / 1000).toFixed(1)} s)`);
    host = await startHost({
      workspaceDir,
      userSettings: sandboxUserSettings(recorder.url),
      testDriver: false, // the smoke-test driver hides notification toasts; a person sees them
      verbose: opts.verbose,
    });
    const { ms: installMs } = installVsix(host, vsix);
    log(`code-server on ${host.url}; extension installed with --install-extension (${(installMs / 1000).toFixed(1)} s)`);
    ({ browser, pid: browserPid } = await launchBrowser({ headless: !opts.headed }));
    if (!browserPid) throw new Error('the browser\'s process was not found, so the test could not check it stops');
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (opts.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.setDefaultTimeout(30_000);
    await page.goto(workbenchUrl(host, workspaceDir, [['skipWelcome', 'true']]), { waitUntil: 'domcontentloaded' });

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
        if (Date.now() > deadline) throw new Error(`the folder's context menu shows no "${NEW_LABEL}" after 90 s (is the extension installed?); it shows: ${items.join(' | ')}`);
        await page.waitForTimeout(1000);
      }
    });

    const sendRow = explorerRow(page, FILE_TO_SEND);
    await step(`the explorer context menu of ${FILE_TO_SEND} offers "${SEND_LABEL}"`, async () => {
      await sendRow.click({ button: 'right' });
      const items = await menuItems(page);
      if (!items.includes(SEND_LABEL)) throw new Error(`the context menu of ${FILE_TO_SEND} has no "${SEND_LABEL}"; it shows: ${items.join(' | ')}`);
      const item = page.locator('.context-view .monaco-menu').getByRole('menuitem', { name: SEND_LABEL });
      await item.hover();
      const view = page.viewportSize();
      // The side bar from its title down to the menu's bottom, and the menu.
      const side = await page.locator('.part.sidebar').boundingBox();
      const menu = await page.locator('.context-view .monaco-menu').first().boundingBox();
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
      const picker = await page.locator('.quick-input-widget').boundingBox().catch(() => null);
      await shot(page, '02-sign-in-dialog', { clip: pad(union(await dialog.boundingBox(), picker), 12, page.viewportSize()) });
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
      await page.waitForFunction(
        ({ want }) => new RegExp(`\\(${want}\\)\\s*$`).test(document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? ''),
        { want: registrations.length }, { timeout: 30_000 },
      ).catch(async () => { throw new Error(`picker title is "${await title.textContent()}", expected it to end with (${registrations.length})`); });
      const rows = widget.locator('.quick-input-list .monaco-list-row');
      const first = registrations[0];
      await rows.filter({ hasText: String(first.deviceName) }).first().waitFor();
      await shot(page, '03-registration-picker', { clip: pad(await widget.boundingBox(), 8, page.viewportSize()), docs: 'registration-picker.png' });
      await widget.locator('input').first().fill(PICK_FILTER);
      await page.waitForFunction((n) => document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row').length === n, 1, { timeout: 10_000 })
        .catch(async () => { throw new Error(`filtering "${PICK_FILTER}" leaves ${await rows.count()} rows, expected 1`); });
      const row = (await rows.first().innerText()).replace(/\s+/g, ' ');
      if (!row.includes("Megan's Pixel 8")) throw new Error(`the only row after filtering is "${row}"`);
      await page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
    });

    let outputText = '';
    await step('the Output channel "Intune" shows the 201 and the request-id the emulator issued', async () => {
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /operation created \(HTTP 201\)/ });
      await toast.waitFor({ timeout: 30_000 }).catch(async () => {
        const shown = await page.locator('.notifications-toasts').innerText().catch(() => '');
        throw new Error(`no "operation created (HTTP 201)" notification; notifications: ${shown.replace(/\s+/g, ' ') || '(none)'}`);
      });
      const posts = recorder.exchanges.filter((x) => x.method === 'POST' && /\/managedAppRegistrations\/[^/]+\/operations/.test(x.path));
      if (posts.length !== 1) throw new Error(`expected one POST …/operations, the emulator received ${posts.length}`);
      const post = posts[0];
      if (!post.path.includes(`/managedAppRegistrations/${PICKED_REGISTRATION}/operations`)) throw new Error(`the POST went to ${post.path}, not to the picked registration ${PICKED_REGISTRATION}`);
      if (post.status !== 201) throw new Error(`the emulator answered ${post.status}`);
      const requestId = post.responseHeaders['request-id'];
      const clientRequestId = post.requestHeaders['client-request-id'];
      const created = emulator.operationsOf(PICKED_REGISTRATION);
      if (created.length !== 1) throw new Error(`the emulator holds ${created.length} operations for ${PICKED_REGISTRATION}, expected 1`);

      await toast.getByRole('button', { name: 'Show Output' }).click();
      const panel = page.locator('.part.panel');
      const editor = panel.locator('.monaco-editor').first();
      await editor.locator('.view-lines .view-line').first().waitFor();
      // Which channel is shown: the panel's channel picker says "Intune".
      const channel = await panel.locator('select').evaluateAll((els) => els.map((s) => s.options[s.selectedIndex]?.text ?? ''));
      if (!channel.includes('Intune')) throw new Error(`the Output panel's channel picker shows ${channel.length ? channel.join(', ') : 'nothing'}, not "Intune"`);
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
        `Created: operation ${created[0].id} on registration ${PICKED_REGISTRATION}`,
        'Authorization: Bearer [redacted]',
      ];
      // The panel wraps long lines: compare without white space.
      const flat = outputText.replace(/\s+/g, '');
      const missing = want.filter((text) => !flat.includes(text.replace(/\s+/g, '')));
      if (missing.length) throw new Error(`the Output channel lacks: ${missing.join('; ')}\n--- output as read ---\n${outputText}`);
      // The end of the log (response and verdict) in the picture.
      await page.keyboard.press('Control+End');
      await page.waitForTimeout(300);
      await shot(page, '04-output-201', { clip: pad(await panel.boundingBox(), 0, page.viewportSize()), docs: 'output-201.png' });
    });

    await step('the token appears nowhere in the page', async () => {
      const tokens = recorder.tokens();
      if (tokens.length === 0) throw new Error('no token went over the wire: nothing to look for');
      const pageText = await page.evaluate(() => document.body.innerText);
      const html = await page.content();
      // The Output panel wraps long lines, so its text is searched without white space (a token has none).
      const where = [['the page text', pageText], ['the page HTML', html], ['the Output channel', outputText.replace(/\s+/g, '')]];
      for (const token of tokens) {
        // A JWT's payload or signature alone identifies it too (the header is the same for every token).
        const parts = token.split('.').slice(1).filter((p) => p.length >= 16);
        for (const [label, text] of where) {
          if (text.includes(token)) throw new Error(`the token is in ${label}`);
          const part = parts.find((p) => text.includes(p));
          if (part) throw new Error(`part of the token (${part.slice(0, 12)}…) is in ${label}`);
        }
      }
      // And the extension host's log of the channel on disk.
      const logsDir = path.join(host.userDataDir, 'logs');
      const files = [];
      const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else files.push(p);
        }
      };
      if (fs.existsSync(logsDir)) walk(logsDir);
      for (const f of files) {
        const text = fs.readFileSync(f, 'utf8');
        if (tokens.some((t) => text.includes(t))) throw new Error(`the token is in the log file ${path.relative(host.userDataDir, f)}`);
      }
      const channelLog = files.find((f) => /intune/i.test(path.basename(f)) && /201/.test(fs.readFileSync(f, 'utf8')));
      log(`  searched ${tokens.length} token(s) in the page, the whole Output channel and ${files.length} log files${channelLog ? ` (the channel's own: ${path.relative(host.userDataDir, channelLog)})` : ''}`);
    });

    // --- stop everything, then check nothing is left
    startedPids = [host.pid, browserPid, ...descendantsOf(host.pid), ...descendantsOf(browserPid)];
    const hostScratch = path.dirname(host.userDataDir);
    clearTimeout(timer);
    await cleanup();
    await step('everything stopped: no code-server or chromium left', async () => {
      await new Promise((r) => setTimeout(r, 500));
      const left = startedPids.filter(isRunning);
      const stray = [...processesNaming(hostScratch), ...processesNaming(tmp)];
      if (left.length || stray.length) throw new Error(`still running: ${[...new Set([...left, ...stray])].map(describeProcess).join('; ')}`);
    }, { always: true });
  } catch (err) {
    results.push({ name: 'the sandbox starts', ok: false, error: err?.stack ?? String(err) });
    console.error(`[ui] error: ${err?.stack ?? err}`);
    if (host) {
      console.error('--- code-server output (last lines) ---');
      console.error(host.output().trim().split('\n').slice(-25).join('\n'));
    }
    clearTimeout(timer);
    await cleanup();
  }
  finish();
}

function finish(forceCode) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (process.env.INTUNE_MAO_TEST_SUMMARY) fs.writeFileSync(process.env.INTUNE_MAO_TEST_SUMMARY, JSON.stringify({ passed, failed, pending: 0 }));
  if (failed) {
    console.log('\nfailed steps:');
    for (const r of results.filter((x) => !x.ok)) console.log(`  ✖ ${r.name}: ${r.error.split('\n')[0]}`);
  }
  console.log(`[ui] finished in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(REPO_ROOT, SHOTS_DIR)}/`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  process.exit(forceCode ?? (failed || passed === 0 ? 1 : 0));
}

main().catch(async (err) => {
  console.error(err?.stack ?? err);
  results.push({ name: 'the UI smoke test runs', ok: false, error: String(err) });
  finish(1);
});
