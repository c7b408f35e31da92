import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('the VSIX', function () {
  this.timeout(60_000);
  it('holds only the bundles, the schema, the manifest and its strings, README, CHANGELOG, LICENSE and the icon', () => {
    const out = mkdtempSync(join(tmpdir(), 'mao-vsix-'));
    try {
      const printed = execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--no-build', '--json', '--out', out], { cwd: root, encoding: 'utf8' });
      const { entries } = JSON.parse(printed.trim().split('\n').pop()!) as { entries: string[] };
      assert.deepEqual(entries.sort(), [
        '[Content_Types].xml',
        'extension.vsixmanifest',
        'extension/LICENSE.txt',
        'extension/changelog.md',
        'extension/dist/core.js',
        'extension/dist/extension.js',
        'extension/dist/features.js',
        'extension/dist/msal-node.js',
        'extension/dist/validation.js',
        'extension/images/icon.png',
        'extension/l10n/bundle.l10n.json',
        'extension/language-configuration.json',
        'extension/package.json',
        'extension/package.nls.json',
        'extension/readme.md',
        'extension/schemas/managedAppOperation.schema.json',
        'extension/syntaxes/mao-json.tmLanguage.json',
      ]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
