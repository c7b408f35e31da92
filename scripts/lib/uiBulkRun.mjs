// @ts-check
// The UI smoke test's bulk run, as a person does it: in the Intune side bar's Registrations view, every page
// loaded, a filter down to one user, several registrations chosen, one file sent to all of them; then the run
// read back in the Runs view and one of its exchanges opened. The write limit is set low (see ui-smoke.mjs) so
// that the progress notification waits for the write window while it is on screen.
import { boxOf, pad, union } from './screenshots.mjs';
import {
  clickMenuItem,
  clickNotificationButton,
  clickRow,
  clickViewAction,
  menuItems,
  notificationTexts,
  readEditorText,
  rowStates,
  sideBarView,
} from './workbench.mjs';

/** @typedef {import('playwright-core').Page} Page */

const SEND_TO_SELECTED = 'Send a File to the Selected Registrations…';
/** Where the side bar's sash is dragged to: wide enough to read a run's items and their outcomes. */
const SIDE_BAR_RIGHT_EDGE = 760;

/**
 * @param {object} ctx
 * @param {Page} ctx.page
 * @param {(name: string, check: () => Promise<void>) => Promise<void>} ctx.step
 * @param {(page: Page, name: string, options?: { clip?: import('./screenshots.mjs').Box, docs?: string }) => Promise<string>} ctx.shot
 * @param {import('../sandbox.mjs').Emulator} ctx.emulator
 * @param {import('../sandbox.mjs').EmulatorModule} ctx.emulatorModule
 * @param {string} ctx.file the workspace file sent (it has no target of its own)
 */
export async function bulkRunSteps({ page, step, shot, emulator, emulatorModule, file }) {
  const view = page.viewportSize() ?? { width: 1280, height: 800 };
  const { sampleIds, sampleRegistrations } = emulatorModule;
  const user = sampleIds.users.megan;
  const chosen = sampleRegistrations.filter((r) => r['userId'] === user);
  const devices = chosen.map((r) => String(r['deviceName']));
  const failing = chosen[1];
  if (chosen.length < 3 || !failing) throw new Error(`the sample tenant has ${chosen.length} registrations of user ${user}; the bulk run needs three`);
  const registrations = sideBarView(page, 'Registrations');
  const runs = sideBarView(page, 'Runs');
  const registrationRows = registrations.locator('.monaco-list-row');

  await step(
    `the Intune side bar lists the tenant's ${sampleRegistrations.length} registrations page by page, and Filter… leaves the ${chosen.length} of one user`,
    async () => {
      const panelHide = page.locator('.part.panel .action-label[aria-label^="Hide Panel"]');
      if (await panelHide.isVisible().catch(() => false)) await panelHide.click();
      await page.locator('.activitybar .action-item .action-label[aria-label="Intune"]').click();
      await registrationRows.first().waitFor({ timeout: 30_000 });
      await widenSideBar(page, SIDE_BAR_RIGHT_EDGE);
      const more = registrationRows.filter({ hasText: /^Load more…/ });
      const shownInAll = async () => (await rowStates(registrationRows.first()))[0]?.siblings ?? 0;
      for (let pages = 1; await more.count(); pages++) {
        if (pages > sampleRegistrations.length) throw new Error('"Load more…" never went away');
        const before = await shownInAll();
        await clickRow(page, more);
        await until(async () => (await shownInAll()) > before, 'the next page', 15_000);
      }
      const loaded = await shownInAll();
      if (loaded !== sampleRegistrations.length) throw new Error(`every page read, the view lists ${loaded} rows, not ${sampleRegistrations.length}`);
      await clickViewAction(registrations, 'Filter…');
      const input = page.locator('.quick-input-widget input').first();
      await input.waitFor({ state: 'visible' });
      await input.fill(user.slice(0, 8));
      await page.keyboard.press('Enter');
      const caption = `${chosen.length} of ${sampleRegistrations.length} loaded registrations match "${user.slice(0, 8)}".`;
      await registrations
        .getByText(caption)
        .waitFor({ timeout: 10_000 })
        .catch(() => {
          throw new Error(`the view does not say "${caption}"`);
        });
      const shown = await rowStates(registrationRows);
      const missing = devices.filter((device) => !shown.some((row) => row.label.includes(device)));
      if (shown.length !== chosen.length || missing.length) throw new Error(`the filtered view shows ${shown.map((r) => r.label).join(' | ')}`);
    },
  );

  await step(`${chosen.length} registrations chosen with Ctrl+click offer "${SEND_TO_SELECTED}"`, async () => {
    // A plain click chooses the first alone (and expands it: collapse it again), Ctrl+click adds the others.
    await clickRow(page, registrationRows.first());
    await page.keyboard.press('ArrowLeft');
    for (let i = 1; i < chosen.length; i++) await clickRow(page, registrationRows.nth(i), { modifiers: ['Control'] });
    const rows = await rowStates(registrationRows);
    if (rows.length !== chosen.length || !rows.every((row) => row.selected && !row.expanded)) {
      throw new Error(`expected ${chosen.length} rows, all selected and collapsed: ${JSON.stringify(rows)}`);
    }
    await clickRow(page, registrationRows.last(), { button: 'right' });
    const items = await menuItems(page);
    if (!items.includes(SEND_TO_SELECTED)) throw new Error(`the context menu of the selection has no "${SEND_TO_SELECTED}": ${items.join(' | ')}`);
    await page.locator('.context-view .monaco-menu').getByRole('menuitem', { name: SEND_TO_SELECTED }).hover();
    const side = await boxOf(page.locator('.part.sidebar'));
    const menu = await boxOf(page.locator('.context-view .monaco-menu').first());
    await shot(page, '05-registrations-send-to-selected', {
      clip: pad(union({ ...side, height: Math.max(menu.y + menu.height, side.y + 260) - side.y }, menu), 8, view),
      docs: 'registrations-send-to-selected.png',
    });
  });

  const before = chosen.map((r) => emulator.operationsOf(String(r['id'])).length);
  await step(
    `${file} goes to all ${chosen.length} after one confirmation (how many, tenant and cloud, as whom), under one progress notification that waits for the write window`,
    async () => {
      // The second operation of the run fails, as Intune refuses a device that is not enrolled.
      emulator.injectFault({
        method: 'POST',
        path: `${String(failing['id'])}/operations`,
        status: 400,
        code: 'BadRequest',
        intuneMessage: 'The device is not enrolled.',
      });
      await clickMenuItem(page, SEND_TO_SELECTED);
      const picker = page.locator('.quick-input-widget');
      await picker.locator('.quick-input-title').getByText('Send which file?').waitFor();
      await picker
        .locator('input')
        .first()
        .fill(file.replace(/\.mao\.json$/, ''));
      await page
        .waitForFunction((n) => document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row').length === n, 1, { timeout: 10_000 })
        .catch(() => {
          throw new Error(`the file picker does not narrow to ${file}`);
        });
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      const asked = (await dialog.innerText()).replace(/\s+/g, ' ');
      const expected = [
        `Create ${chosen.length} managed app operations in tenant ${sampleIds.tenantId} (Global, local emulator`,
        `${file} → ${chosen.length} registrations`,
        ...devices,
      ];
      const absent = expected.filter((text) => !asked.includes(text));
      if (absent.length) throw new Error(`the confirmation lacks ${absent.join('; ')}: ${asked}`);
      await dialog.getByRole('button', { name: `Create ${chosen.length} Operations` }).click();
      const progress = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /waiting for the write window until/ });
      await progress.waitFor({ timeout: 20_000 }).catch(async () => {
        throw new Error(`no progress notification waiting for the write window: ${(await notificationTexts(page)).join(' | ')}`);
      });
      const text = (await progress.innerText()).replace(/\s+/g, ' ');
      if (!new RegExp(`Sending ${chosen.length} operations to Intune: \\d+/${chosen.length} · \\d+ created`).test(text) || !/Cancel/.test(text)) {
        throw new Error(`the progress notification says "${text}": not the run's title, done/total, counts and Cancel`);
      }
      const runsPane = await boxOf(runs);
      await shot(page, '06-run-progress', { clip: pad(union(runsPane, await boxOf(progress)), 4, view), docs: 'run-progress.png' });
    },
  );

  await step(
    'at the end one notification counts the outcomes, and Show Run reveals the run in the Runs view: its items with an icon each, the decoded error',
    async () => {
      const summary = new RegExp(`${chosen.length} operations from 1 file\\(s\\): ${chosen.length - 1} created, 1 failed, 0 unknown, 0 invalid, 0 not sent\\.`);
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: summary });
      await toast.waitFor({ timeout: 60_000 }).catch(async () => {
        throw new Error(`no notification matching ${summary}: ${(await notificationTexts(page)).join(' | ')}`);
      });
      await clickNotificationButton(page, toast, 'Show Run');
      const rows = runs.locator('.monaco-list-row');
      await until(
        async () => {
          const [first] = await rowStates(rows);
          return first?.label.includes(`${chosen.length} targets`) && first.selected && first.expanded;
        },
        'Show Run to select and expand the run',
        15_000,
      );
      const shown = await rowStates(rows);
      const [run, older] = shown.filter((row) => row.level === 1);
      const items = shown.filter((row) => row.level === 2);
      if (!older || !older.label.includes(`${file} `) || !older.label.includes('1 target · 1 created'))
        throw new Error(`the single send before is not listed after the new run: ${shown.map((r) => r.label).join(' | ')}`);
      const described = new RegExp(
        `^${file.replace(/\./g, '\\.')} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC · ${chosen.length} targets · ${chosen.length - 1} created, 1 failed · \\d+ s`,
      );
      if (!run || !described.test(run.label)) throw new Error(`the run's row says "${run?.label}"`);
      if (items.length !== chosen.length) throw new Error(`the run lists ${items.length} items: ${items.map((i) => i.label).join(' | ')}`);
      const wrong = items.filter((item, index) => {
        const device = item.label.includes(devices[index] ?? '?');
        return index === 1
          ? !(device && item.icon === 'codicon-error' && item.label.includes('failed (HTTP 400): The device is not enrolled.'))
          : !(device && item.icon === 'codicon-pass' && item.label.endsWith(' created'));
      });
      if (wrong.length) throw new Error(`items not as sent: ${JSON.stringify(items)}`);
      const after = chosen.map((r) => emulator.operationsOf(String(r['id'])).length);
      if (after.some((count, index) => count - (before[index] ?? 0) !== (index === 1 ? 0 : 1)))
        throw new Error(`operations created per registration: ${after.map((n, i) => n - (before[i] ?? 0)).join(', ')}`);
      await page.mouse.move(view.width - 150, 300);
      await shot(page, '07-runs-view', { clip: pad(await boxOf(runs), 0, view), docs: 'runs-view.png' });
    },
  );

  await step("clicking the failed item opens its exchange: the request (token redacted), the answer and Intune's message decoded", async () => {
    await clickRow(page, runs.locator('.monaco-list-row').filter({ hasText: 'failed (HTTP 400)' }));
    const editor = page.locator('.editor-group-container .monaco-editor').first();
    await page.locator('.tabs-container .tab').filter({ hasText: '.http' }).waitFor({ timeout: 10_000 });
    await editor.locator('.view-lines .view-line').first().waitFor();
    const text = await readEditorText(page, editor);
    const expected = [
      '# ✖ failed',
      'The device is not enrolled.',
      'code BadRequest',
      'POST http://',
      `/managedAppRegistrations/${String(failing['id'])}/operations`,
      'Authorization: Bearer [redacted]',
      'HTTP 400 ·',
      '"code": "BadRequest"',
    ];
    const absent = expected.filter((line) => !text.includes(line));
    if (absent.length) throw new Error(`the exchange lacks ${absent.join('; ')}:\n${text}`);
  });
}

/**
 * Drags the sash between the side bar and the editor to `x`, as a person widens the side bar.
 * @param {Page} page
 * @param {number} x
 */
async function widenSideBar(page, x) {
  const sash = await boxOf(page.locator('.monaco-sash.vertical.primary-sidebar-sash'));
  await page.mouse.move(sash.x + sash.width / 2, sash.y + sash.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, sash.y + sash.height / 2, { steps: 10 });
  await page.mouse.up();
  const side = await boxOf(page.locator('.part.sidebar'));
  if (Math.abs(side.x + side.width - x) > 8) throw new Error(`the side bar ends at ${side.x + side.width}, not ${x}, after dragging its sash`);
}

/**
 * Waits until `check` holds, polling.
 * @param {() => Promise<unknown>} check
 * @param {string} what
 * @param {number} ms
 */
async function until(check, what, ms) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
