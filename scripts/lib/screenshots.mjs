// @ts-check
// Screenshots of a UI test: every one into a scratch folder, and on request cropped copies for the docs.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * @typedef {{ x: number, y: number, width: number, height: number }} Box
 * @typedef {import('playwright-core').Page} Page
 */

/**
 * Where `locator` is on screen; throws when it is not.
 * @param {import('playwright-core').Locator} locator
 * @returns {Promise<Box>}
 */
export async function boxOf(locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} is not on screen`);
  return box;
}

/**
 * The smallest box around every given box (missing ones are skipped).
 * @param {...(Box | null | undefined)} boxes
 * @returns {Box}
 */
export function union(...boxes) {
  const b = /** @type {Box[]} */ (boxes.filter(Boolean));
  const x = Math.min(...b.map((r) => r.x));
  const y = Math.min(...b.map((r) => r.y));
  return { x, y, width: Math.max(...b.map((r) => r.x + r.width)) - x, height: Math.max(...b.map((r) => r.y + r.height)) - y };
}

/**
 * `box` grown by `by` on each side, kept inside the viewport.
 * @param {Box} box
 * @param {number} by
 * @param {{ width: number, height: number }} view
 * @returns {Box}
 */
export function pad(box, by, view) {
  const x = Math.max(0, box.x - by);
  const y = Math.max(0, box.y - by);
  return { x, y, width: Math.min(view.width - x, box.width + 2 * by), height: Math.min(view.height - y, box.height + 2 * by) };
}

/**
 * @param {object} options
 * @param {string} options.dir every screenshot goes here as <name>.png; earlier runs' are removed first
 * @param {string} options.docsDir where `docs` images go
 * @param {boolean} options.updateDocs write the `docs` images (committed files: only when asked)
 * @param {string} options.root paths are logged relative to it
 * @param {(message: string) => void} options.log
 */
export function screenshotTaker({ dir, docsDir, updateDocs, root, log }) {
  // Screenshots of an earlier run would be mistaken for this one's.
  if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir)) if (f.endsWith('.png')) fs.rmSync(path.join(dir, f));

  /**
   * Takes a screenshot of the page; with `docs` (a file name in docsDir, .png or .jpg) and updateDocs, also
   * a copy cropped to `clip`.
   * @param {Page} page
   * @param {string} name
   * @param {{ clip?: Box, docs?: string }} [options]
   */
  return async function shot(page, name, { clip, docs } = {}) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file });
    if (updateDocs && docs) {
      fs.mkdirSync(docsDir, { recursive: true });
      const view = page.viewportSize() ?? { width: 1280, height: 800 };
      const crop = clip && {
        x: Math.max(0, Math.floor(clip.x)),
        y: Math.max(0, Math.floor(clip.y)),
        width: Math.min(view.width - Math.max(0, clip.x), Math.ceil(clip.width)),
        height: Math.min(view.height - Math.max(0, clip.y), Math.ceil(clip.height)),
      };
      const out = path.join(docsDir, docs);
      await page.screenshot({ path: out, ...(crop ? { clip: crop } : {}), ...(out.endsWith('.jpg') ? { type: 'jpeg', quality: 70 } : {}) });
      const kb = fs.statSync(out).size / 1024;
      log(`  docs image ${path.relative(root, out)} (${kb.toFixed(0)} KB)${kb > 200 ? ' — over 200 KB: crop tighter or use .jpg' : ''}`);
    }
    return file;
  };
}
