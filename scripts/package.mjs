// @ts-check
// `npm run package`: a production build packaged into intune-mao-<version>.vsix, with what it holds.
// `--no-build` packages dist/ as it is; `--out <dir>` writes the VSIX there; `--json` prints the entry list as JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './vscode-host.mjs';
import { packageVsix } from './sandbox.mjs';
import { zipEntryNames } from './zipEntries.mjs';

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } } });
if (!values['no-build']) {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--production'], { stdio: ['ignore', values.json ? 'ignore' : 'inherit', 'inherit'] });
}
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'intune-mao-package-'));
try {
  const { vsix } = packageVsix(scratch);
  const target = join(values.out ? resolve(values.out) : REPO_ROOT, `intune-mao-${version}.vsix`);
  renameSync(vsix, target);
  const entries = zipEntryNames(readFileSync(target));
  if (values.json) {
    console.log(JSON.stringify({ vsix: target, bytes: statSync(target).size, entries }));
  } else {
    console.log(`${target}: ${(statSync(target).size / 1024).toFixed(1)} KiB`);
    for (const name of entries) console.log(`  ${name}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
