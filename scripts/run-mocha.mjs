// @ts-check
// Runs compiled mocha specs in this Node process and records the counts for scripts/test.mjs.
import Mocha from 'mocha';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const folders = process.argv.slice(2);
const mocha = new Mocha({
  ui: 'bdd',
  reporter: 'spec',
  timeout: 20_000,
  ...(process.env.INTUNE_MAO_TEST_GREP ? { grep: process.env.INTUNE_MAO_TEST_GREP } : {}),
});
for (const folder of folders) {
  for (const file of specFiles(folder)) mocha.addFile(file);
}

/**
 * @param {string} folder
 * @returns {string[]}
 */
function specFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return specFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
  if (process.env.INTUNE_MAO_TEST_SUMMARY) {
    writeFileSync(process.env.INTUNE_MAO_TEST_SUMMARY, JSON.stringify({ passed: passes, failed, pending }));
  }
  process.exitCode = failures > 0 ? 1 : 0;
  // Open handles in a failing test must not keep the run alive.
  setTimeout(() => process.exit(process.exitCode), 500).unref();
});
