// @ts-check
// Driving VS Code's web workbench through Playwright the way a person does: explorer rows, context menus,
// notifications, and reading an editor (the Output panel is one) line by line. Clicks on what VS Code
// shows for a moment (menus, toasts) wait for a state in which the click cannot be lost, and check it was
// taken: see clickMenuItem and clickNotificationButton.
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const CONTEXT_MENU = '.context-view .monaco-menu';

/**
 * VS Code's menu ignores a mouse-up on an item for its first 100 ms: each item starts listening for it only
 * when a timer set while rendering the item fires (BaseMenuActionViewItem's runOnceToEnableMouseUp in
 * src/vs/base/browser/ui/menu/menu.ts), so that the right-click that opened the menu cannot pick an item.
 */
const MENU_IGNORES_MOUSE_UP_MS = 100;

/** @param {string} text */
const exactly = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * The explorer's row of the file or folder named `name`.
 * @param {Page} page
 * @param {string} name
 */
export function explorerRow(page, name) {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(name) }) });
}

/**
 * The labels of the open context menu's items, once it shows.
 * @param {Page} page
 */
export async function menuItems(page) {
  const menu = page.locator(CONTEXT_MENU).first();
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  await menu.getByRole('menuitem').first().waitFor({ timeout: 5_000 });
  return (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter(Boolean);
}

/** @param {Page} page */
export async function closeMenu(page) {
  await page.keyboard.press('Escape');
  await page
    .locator(CONTEXT_MENU)
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
}

/**
 * Clicks the open context menu's item `label` with the mouse, once the item takes a click.
 *
 * A click sooner than MENU_IGNORES_MOUSE_UP_MS after the menu rendered highlights the item and does nothing
 * else: the menu stays open and the command never runs. A wait measured here proves nothing about the page,
 * whose timer runs late when it is busy; so the wait is a page timer of the same length, set after the item
 * is on screen: the browser runs timers of the same delay in the order they were set, so when it fires,
 * the item listens. The menu closes before it runs the chosen command, so a menu still
 * open after the click means the click was not taken, and says so instead of waiting for what never comes.
 * @param {Page} page
 * @param {string} label
 */
export async function clickMenuItem(page, label) {
  const menu = page.locator(CONTEXT_MENU).first();
  // By its label alone: an item's accessible name ends with its keybinding.
  const item = menu.getByRole('menuitem').filter({ has: page.locator('.action-label', { hasText: exactly(label) }) });
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), MENU_IGNORES_MOUSE_UP_MS);
  await item.click();
  await menu.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
    throw new Error(`the click on "${label}" was not taken: the context menu is still open 10 s later`);
  });
}

/**
 * Clicks the button `label` of a notification toast with the mouse, once no toast can move under it.
 *
 * A toast moves when one stacked below it closes, and VS Code keeps a progress notification on screen for
 * at least 800 ms, even when its task ended sooner (withNotificationProgress in progressService.ts): the
 * "Sending … to Intune" toast often goes away just as the result toast's button is clicked. Playwright
 * checks what is under the mouse when the button goes down, not when it comes up, so a move in between
 * loses the click: the toast stays and its action never runs. So wait until no progress notification is on
 * screen, click, and check the toast closed (a toast closes when one of its buttons runs).
 * @param {Page} page
 * @param {Locator} toast
 * @param {string} label
 */
export async function clickNotificationButton(page, toast, label) {
  const progressToast = page.locator('.notifications-toasts .notification-toast').filter({ has: page.locator('.monaco-progress-container.active') });
  await progressToast
    .first()
    .waitFor({ state: 'detached', timeout: 30_000 })
    .catch(async () => {
      throw new Error(`a progress notification is still on screen after 30 s: ${(await notificationTexts(page)).join(' | ')}`);
    });
  await toast.getByRole('button', { name: label }).click();
  await toast.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {
    throw new Error(`the click on "${label}" was not taken: its notification is still on screen 10 s later`);
  });
}

/**
 * The texts of the notification toasts on screen, one line each.
 * @param {Page} page
 */
export async function notificationTexts(page) {
  const texts = await page
    .locator('.notifications-toasts .notification-toast')
    .allInnerTexts()
    .catch(() => []);
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}

/**
 * Every line of a Monaco editor. Its lines are virtualized, so this pages through it with the keyboard and
 * collects each rendered line by its position; wrapped lines come back as separate lines.
 * @param {Page} page
 * @param {Locator} editor
 */
export async function readEditorText(page, editor) {
  /** @type {Map<number, string>} */
  const lines = new Map();
  const collect = async () => {
    const batch = await editor
      .locator('.view-lines .view-line')
      .evaluateAll((els) =>
        els.map(
          (el) =>
            /** @type {[number, string]} */ ([parseFloat(/** @type {HTMLElement} */ (el).style.top) || 0, (el.textContent ?? '').replace(/\u00a0/g, ' ')]),
        ),
      );
    let added = 0;
    for (const [top, text] of batch) {
      if (!lines.has(top)) added++;
      lines.set(top, text);
    }
    return added;
  };
  const box = await editor.boundingBox();
  if (!box) throw new Error('the editor is not on screen');
  // The keys below go wherever the focus is: the click must have put it in the editor.
  await editor.click({ position: { x: Math.min(200, box.width / 2), y: Math.min(40, box.height / 2) } });
  await page
    .waitForFunction((el) => el.classList.contains('focused'), await editor.elementHandle(), { timeout: 5_000 })
    .catch(() => {
      throw new Error('a click in the editor did not focus it');
    });
  await page.keyboard.press('Control+Home');
  await page.waitForTimeout(200);
  await collect();
  for (let i = 0, idle = 0; i < 500 && idle < 3; i++) {
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(60);
    idle = (await collect()) === 0 ? idle + 1 : 0;
  }
  return [...lines.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, text]) => text)
    .join('\n');
}

/**
 * The side bar's view titled `title` (its header and its tree).
 * @param {Page} page
 * @param {string} title
 */
export function sideBarView(page, title) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header .title', { hasText: exactly(title) }) });
}

/**
 * Clicks an action of a view's title bar (they show while the pointer is over the header).
 * @param {Locator} view
 * @param {string} label
 */
export async function clickViewAction(view, label) {
  await view.locator('.pane-header').hover();
  await view.locator(`.pane-header .actions .action-label[aria-label="${label}"]`).click();
}

/**
 * Clicks a tree row, then takes the pointer off the side bar (to the editor area): a pointer left on a row
 * opens its hover after a moment, and a hover covers the rows below it, so the next click would land on it.
 * @param {Page} page
 * @param {Locator} row
 * @param {{ button?: 'left' | 'right', modifiers?: Array<'Control' | 'Shift'> }} [options]
 */
export async function clickRow(page, row, options = {}) {
  await row.click(options);
  if (options.button !== 'right') await page.mouse.move((page.viewportSize()?.width ?? 1280) - 150, 300);
}

/**
 * What a tree row says (its accessible label: label and description) and its state.
 * @param {Locator} rows
 */
export async function rowStates(rows) {
  return rows.evaluateAll((els) =>
    els.map((el) => ({
      label: el.getAttribute('aria-label') ?? '',
      level: Number(el.getAttribute('aria-level') ?? 0),
      /** How many rows its level holds in all, on screen or not (a long tree draws only what shows). */
      siblings: Number(el.getAttribute('aria-setsize') ?? 0),
      selected: el.getAttribute('aria-selected') === 'true',
      expanded: el.getAttribute('aria-expanded') === 'true',
      icon: [...(el.querySelector('.custom-view-tree-node-item-icon')?.classList ?? [])].find((c) => c.startsWith('codicon-')) ?? '',
    })),
  );
}
