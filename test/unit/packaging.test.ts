import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZipEntry } from '../support/zipArchive';

const root = join(__dirname, '..', '..', '..');
const home = 'https://github.com/intune-mao/intune-mao';

describe('the VSIX', function () {
  this.timeout(60_000);
  let packaged: { vsix: string; entries: string[]; vsceOutput: string };
  let out: string;
  const text = (name: string): string => readZipEntry(readFileSync(packaged.vsix), name).toString('utf8');

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'mao-vsix-'));
    const printed = execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--no-build', '--json', '--out', out], {
      cwd: root,
      encoding: 'utf8',
    });
    packaged = JSON.parse(printed.trim().split('\n').pop()!) as typeof packaged;
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it("holds only the bundles, the schema, the manifest and its strings, README, CHANGELOG, LICENSE, the icon and the side bar's icon", () => {
    const { entries } = packaged;
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
      'extension/images/intune-sidebar.svg',
      'extension/l10n/bundle.l10n.json',
      'extension/language-configuration.json',
      'extension/package.json',
      'extension/package.nls.json',
      'extension/readme.md',
      'extension/schemas/managedAppOperation.schema.json',
      'extension/syntaxes/mao-json.tmLanguage.json',
    ]);
  });

  it('is packaged by vsce without a warning and without flags that bypass its checks', () => {
    assert.match(packaged.vsceOutput, /DONE\s+Packaged:/, "vsce's output was captured");
    assert.deepEqual(
      packaged.vsceOutput.split('\n').filter((line) => /warning/i.test(line)),
      [],
    );
    const sandbox = readFileSync(join(root, 'scripts', 'sandbox.mjs'), 'utf8');
    for (const bypass of ['--allow-missing-repository', '--no-rewrite-relative-links', '--allow-star-activation', '--allow-unused-files-pattern']) {
      assert.ok(!sandbox.includes(bypass), `scripts/sandbox.mjs passes ${bypass}`);
    }
  });

  it('carries a README whose images are absolute URLs of files in the repository, and no relative links', () => {
    const readme = text('extension/readme.md');
    const source = readFileSync(join(root, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img\s[^>]*src="([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
    const sourceImages = [...source.matchAll(/!\[[^\]]*\]\(|<img\s/g)].length;
    assert.ok(sourceImages > 0, 'the README shows images');
    assert.equal(images.length, sourceImages, 'every image of the README is in the packaged one');
    for (const url of images) {
      const match = new RegExp(`^${home.replace(/[.]/g, '\\.')}/raw/HEAD/(.+)$`).exec(url);
      assert.ok(match, `${url} is not an absolute URL on ${home}`);
      assert.ok(existsSync(join(root, decodeURIComponent(match[1]!))), `${url} names ${match[1]}, which is not in the repository`);
    }
    const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]!);
    assert.deepEqual(
      links.filter((link) => !/^(https:\/\/|mailto:|#)/.test(link)),
      [],
      'relative links would break on the Marketplace',
    );
  });

  it('carries a CHANGELOG in Keep a Changelog form: [Unreleased] first, dated releases, a link for every section', () => {
    const changelog = text('extension/changelog.md');
    const sections = [...changelog.matchAll(/^## (.*)$/gm)].map((m) => m[1]!);
    assert.equal(sections[0], '[Unreleased]');
    for (const section of sections.slice(1)) {
      assert.match(section, /^\[\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\] - \d{4}-\d{2}-\d{2}$/, `"## ${section}" is not "## [version] - YYYY-MM-DD"`);
    }
    for (const section of sections) {
      const label = /^\[([^\]]+)\]/.exec(section)![1]!;
      assert.match(
        changelog,
        new RegExp(`^\\[${label.replace(/[.]/g, '\\.')}\\]: ${home}/(compare|releases/tag|commits)/\\S+$`, 'm'),
        `no link for [${label}]`,
      );
    }
  });
});
