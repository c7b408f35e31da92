// @ts-check
// Steps of a scripted UI test: each checked step counts as one test. After a step fails, the ones that
// follow are counted as failed without running (they would only fail for the same reason), except those
// marked `always` (clean-up checks).
import * as fs from 'node:fs';

/**
 * @typedef {{ name: string, ok: boolean, error?: string }} StepResult
 * @typedef {{ passed: number, failed: number, pending: number }} TestSummary
 */

/**
 * A logger that prefixes each line with `[tag]` and the seconds since `started`.
 * @param {string} tag
 * @param {number} [started]
 * @returns {(message: string) => void}
 */
export function elapsedLog(tag, started = Date.now()) {
  return (message) => console.log(`[${tag}] ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${message}`);
}

/**
 * @param {object} options
 * @param {(message: string) => void} options.log
 * @param {(step: string, error: unknown) => Promise<void>} [options.onFailure] what to save when a step fails
 *   (a screenshot, what was on screen); its own errors are ignored
 */
export function createStepRunner({ log, onFailure }) {
  /** @type {StepResult[]} */
  const results = [];
  /** @type {string | undefined} */
  let failedAt;

  /**
   * @param {string} name what the step proves, as a sentence
   * @param {() => Promise<void>} check throws when the proof fails
   * @param {{ always?: boolean }} [options]
   */
  async function step(name, check, { always = false } = {}) {
    if (failedAt && !always) {
      results.push({ name, ok: false, error: 'not run: an earlier step failed' });
      return;
    }
    const started = Date.now();
    try {
      await check();
      results.push({ name, ok: true });
      log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (err) {
      failedAt ??= name;
      const message = err instanceof Error ? err.message : String(err);
      results.push({ name, ok: false, error: message });
      log(`✖ ${name}\n        ${message.split('\n').join('\n        ')}`);
      await onFailure?.(name, err).catch(() => {});
    }
  }

  /**
   * Records a failure that is not a step (the harness broke, the run timed out).
   * @param {string} name
   * @param {string} error
   */
  function fail(name, error) {
    failedAt ??= name;
    results.push({ name, ok: false, error });
  }

  /** @returns {TestSummary} */
  function summary() {
    const passed = results.filter((r) => r.ok).length;
    return { passed, failed: results.length - passed, pending: 0 };
  }

  /**
   * Prints the failed steps and the totals (`<label>: N passed, M failed`), writes them to the file named by
   * INTUNE_MAO_TEST_SUMMARY (scripts/test.mjs reads it) and returns the exit code: 0 only when steps ran
   * and none failed.
   * @param {string} label
   */
  function report(label) {
    const { passed, failed, pending } = summary();
    const file = process.env.INTUNE_MAO_TEST_SUMMARY;
    if (file) fs.writeFileSync(file, JSON.stringify({ passed, failed, pending }));
    if (failed) {
      console.log('\nfailed steps:');
      for (const r of results.filter((x) => !x.ok)) console.log(`  ✖ ${r.name}: ${(r.error ?? '').split('\n')[0]}`);
    }
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    return failed || passed === 0 ? 1 : 0;
  }

  return { step, fail, summary, report, results };
}
