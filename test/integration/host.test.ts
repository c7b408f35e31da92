import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'intune-mao.intune-mao';

describe('VS Code test host', () => {
  it('runs inside a real VS Code', () => {
    assert.ok(vscode.version, 'vscode.version is defined');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('has the fixture workspace open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, 'exactly one workspace folder');
    const fixture = vscode.Uri.joinPath(folders[0].uri, 'good.mao.json');
    return vscode.workspace.fs.stat(fixture).then((stat) => {
      assert.strictEqual(stat.type, vscode.FileType.File, `${path.basename(fixture.path)} is in the workspace`);
    });
  });

  it(`loads the extension under development (${EXTENSION_ID})`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is present`);
  });
});
