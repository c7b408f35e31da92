// @ts-check
// `npm run package`: a production build packaged into intune-mao-<version>.vsix, with what it holds.
// `--no-build` packages dist/ as it is; `--out <dir>` writes the VSIX there; `--json` prints the entry list and
// vsce's own output as JSON. vsce's warnings are printed either way.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './vscode-host.mjs';
import { packageVsix } from './sandbox.mjs';
import { zipEntryNames } from './zipEntries.mjs';

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } } });
if (!values['no-build']) {
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--production'], {
    stdio: ['ignore', values.json ? 'ignore' : 'inherit', 'inherit'],
  });
}
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'intune-mao-package-'));
try {
  const { vsix, output } = packageVsix(scratch);
  const warnings = output.split('\n').filter((line) => /\bwarning\b/i.test(line));
  for (const line of warnings) console.error(line.trim());
  const outDir = values.out ? resolve(values.out) : REPO_ROOT;
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, `intune-mao-${version}.vsix`);
  // A copy, not a rename: the scratch dir may be on another file system (a container's /tmp).
  copyFileSync(vsix, target);
  const entries = zipEntryNames(readFileSync(target));
  if (values.json) {
    console.log(JSON.stringify({ vsix: target, bytes: statSync(target).size, entries, vsceOutput: output }));
  } else {
    console.log(`${target}: ${(statSync(target).size / 1024).toFixed(1)} KiB`);
    for (const name of entries) console.log(`  ${name}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
