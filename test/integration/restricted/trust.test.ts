import * as assert from 'assert';
import * as vscode from 'vscode';

describe('Restricted Mode', () => {
  it('opens the fixture workspace untrusted', () => {
    assert.ok((vscode.workspace.workspaceFolders ?? []).length > 0, 'a workspace folder is open');
    assert.strictEqual(vscode.workspace.isTrusted, false);
  });
});
