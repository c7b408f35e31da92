import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleIds } from '../../../src/emulator';
import { operationText, useIntuneFixture, waitFor, writeWorkspaceFile } from '../intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;

describe('Restricted Mode: validation works, sending does not', function () {
  this.timeout(60000);
  before(() => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is untrusted');
  });
  const intune = useIntuneFixture();

  it('refuses to send, even when the command is run directly, and asks for nothing', async () => {
    const uri = await writeWorkspaceFile('restricted.mao.json', operationText({ $registrationId: registrationId }));
    const results = await vscode.commands.executeCommand<Array<{ outcome: string }>>('intuneMao.send', uri);
    assert.deepEqual(
      results?.map((r) => r.outcome),
      ['refused'],
    );
    assert.equal(intune.emulator.requests.length, 0, 'nothing reached Graph');
    assert.equal(intune.signIn.calls.filter((c) => !c.options?.silent).length, 0, 'no sign-in');
    const message = intune.messages.last('warning');
    assert.match(message?.text ?? '', /Restricted Mode/);
    assert.ok(message?.buttons.includes('Manage Workspace Trust'));
  });

  it('refuses to list registrations (which would use the token)', async () => {
    const uri = await writeWorkspaceFile('restricted-target.mao.json', operationText());
    const chosen = await vscode.commands.executeCommand('intuneMao.chooseTarget', uri);
    assert.equal(chosen, undefined);
    assert.equal(intune.emulator.requests.length, 0);
  });

  it('the Registrations view lists nothing and asks for no session: its welcome content offers to trust the workspace', async () => {
    const provider = intune.api.registrations.provider;
    assert.deepEqual(await provider.getChildren(undefined), []);
    assert.equal(intune.api.registrations.state(), 'untrusted');
    assert.equal(intune.signIn.calls.length, 0, 'no session asked for, even quietly');
    assert.equal(intune.emulator.requests.length, 0);
  });

  it('still validates: schema diagnostics from the JSON server and the quick fix', async () => {
    const uri = await writeWorkspaceFile('restricted-invalid.mao.json', operationText({ colour: 'red', id: 'x' }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.some((d) => /colour/.test(d.message)) && found.some((d) => /set by the service/i.test(d.message)) ? found : undefined;
    }, 'diagnostics in Restricted Mode');
    const managed = diagnostics.find((d) => /set by the service/i.test(d.message))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, managed.range);
    assert.ok(actions.some((a) => a.title.includes('Remove "id"')));
  });

  it('Preview Request (dry run) still works', async () => {
    const uri = await writeWorkspaceFile('restricted-preview.mao.json', operationText({ $registrationId: registrationId }));
    const preview = await vscode.commands.executeCommand<string>('intuneMao.previewRequest', uri);
    assert.match(preview ?? '', /POST .*\/operations/);
    assert.equal(intune.emulator.requests.length, 0);
  });
});
