// Shared mocha runner for the integration suites. They run inside a real VS Code extension host,
// started by scripts/run-vscode-tests.mjs (code-server) or scripts/run-electron-tests.mjs
// (@vscode/test-electron); both call the suite index's `run()`.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestSummary {
  passed: number;
  failed: number;
  pending: number;
}

/** Marker line printed after the run, so a runner can read the counts from the forwarded log too. */
export const SUMMARY_MARKER = 'INTUNE_MAO_TEST_SUMMARY ';

/** Runs every `*.test.js` directly inside `dir` (not its subfolders). */
export async function runMochaIn(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000 });
  const grep = process.env.INTUNE_MAO_TEST_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(dir, f));

  const summary = await new Promise<TestSummary>((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const s = runner.stats;
        resolve({ passed: s?.passes ?? 0, failed: s?.failures ?? 0, pending: s?.pending ?? 0 });
      });
    } catch (err) {
      reject(err);
    }
  });

  const target = process.env.INTUNE_MAO_TEST_SUMMARY;
  if (target) fs.writeFileSync(target, JSON.stringify(summary));
  console.log(SUMMARY_MARKER + JSON.stringify(summary));

  if (files.length === 0) throw new Error(`no *.test.js files in ${dir}`);
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}
