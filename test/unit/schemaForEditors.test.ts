import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateOperationText } from '../../src/core/validation';

const root = join(__dirname, '..', '..', '..');
const schemaFile = 'schemas/managedAppOperation.schema.json';
const schema = JSON.parse(readFileSync(join(root, schemaFile), 'utf8')) as { $id: string };
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository: { url: string } };

describe('the schema for other editors', () => {
  it("has a stable $id: the raw URL of its own file on the main branch of the project's repository", () => {
    const repository = /^https:\/\/github\.com\/([^/]+\/[^/]+?)(\.git)?$/.exec(manifest.repository.url)![1];
    assert.equal(schema.$id, `https://raw.githubusercontent.com/${repository}/main/${schemaFile}`);
  });

  it('lets a file name it in $schema, which is not sent', () => {
    const result = validateOperationText(JSON.stringify({ $schema: schema.$id, displayName: 'Wipe' }));
    assert.equal(result.valid, true);
    assert.deepEqual(result.problems, []);
  });

  it('is bound to *.mao.json by URL in each editor the README shows, and by no other URL', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Other editors'), readme.indexOf('\n## ', readme.indexOf('### Other editors')));
    const editors = section.split(/^- \*\*/m).slice(1);
    assert.deepEqual(
      editors.map((text) => text.slice(0, text.indexOf('**'))),
      ['JetBrains IDEs', 'Neovim', 'Helix', 'Zed'],
    );
    for (const text of editors) {
      assert.ok(text.includes(schema.$id), `${text.slice(0, 20)}… names the $id`);
      assert.match(text, /\*\.mao\.json/);
    }
    const urls = new Set([...section.matchAll(/https:\/\/raw\.githubusercontent\.com\/[^\s'"`<)]+/g)].map((m) => m[0]));
    assert.deepEqual([...urls], [schema.$id]);
  });
});
