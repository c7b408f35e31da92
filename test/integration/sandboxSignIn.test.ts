import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleIds } from '../../src/emulator';
import { closeAllEditors, operationText, send, SignInStub, useIntuneFixture, waitFor, writeWorkspaceFile } from './intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;

describe('Sandbox sign-in and the account in the status bar', function () {
  this.timeout(60000);
  // Sign-ins go through the sandbox provider itself here, except where a test stubs them.
  const intune = useIntuneFixture({ settings: { signIn: 'emulator' }, stubSignIn: false });

  after(closeAllEditors);

  it('registers the "Intune Emulator (sandbox)" provider, whose sessions carry emulator tokens', async () => {
    const scopes = ['https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All'];
    // Asking VS Code for it shows the "wants to sign in" prompt, which a test run refuses; a person clicks Allow.
    await assert.rejects(Promise.resolve(vscode.authentication.getSession('intune-mao-emulator', scopes, { createIfNone: true })));
    // What VS Code then calls on the provider:
    const session = await intune.api.createSandboxSession(scopes);
    assert.equal(session.account.label, 'admin@contoso.example');
    const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(claims['scp'], 'DeviceManagementApps.ReadWrite.All');
    assert.equal(claims['aud'], 'https://graph.microsoft.com');
    // The emulator accepts it.
    const stub = new SignInStub(intune.api, () => session.accessToken);
    try {
      const [result] = await send(await writeWorkspaceFile('sandbox-token.mao.json', operationText({ $registrationId: registrationId })));
      assert.equal(result?.outcome, 'created', result?.message);
    } finally {
      stub.dispose();
    }
    assert.ok(!intune.api.outputText().includes(session.accessToken), 'the sandbox token is redacted too');
  });

  it('sends with the sandbox session, and shows account, tenant and cloud in the status bar while a *.mao.json is active', async () => {
    const stub = new SignInStub(intune.api, () => intune.token);
    try {
      const uri = await writeWorkspaceFile('sandbox.mao.json', operationText({ $registrationId: registrationId }));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const [result] = await send(uri);
      assert.equal(result?.outcome, 'created', result?.message);
      assert.equal(stub.interactiveCalls[0]?.providerId, 'intune-mao-emulator');
      assert.deepEqual(stub.interactiveCalls[0]?.scopes, ['https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All']);
      const text = await waitFor(
        () => intune.api.statusBarText()?.includes('admin@contoso.example') && intune.api.statusBarText(),
        'the account in the status bar',
      );
      assert.match(text, /admin@contoso\.example · 6448f725… · Global \(emulator\)/);

      const notes = await writeWorkspaceFile('notes.json', '{}\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(notes));
      await waitFor(() => intune.api.statusBarText() === undefined, 'the status bar item to hide for other files');
    } finally {
      stub.dispose();
    }
  });

  it('refuses sandbox sign-in without a loopback emulator URL', async () => {
    await vscode.workspace.getConfiguration('intuneMao').update('graphUrl', undefined, vscode.ConfigurationTarget.Global);
    try {
      const uri = await writeWorkspaceFile('sandbox-no-url.mao.json', operationText({ $registrationId: registrationId }));
      const [result] = await send(uri);
      assert.equal(result?.outcome, 'refused');
      assert.match(intune.messages.last('error')?.text ?? '', /only works with the local emulator/);
      await assert.rejects(intune.api.createSandboxSession(['https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All']), /only with the local emulator/);
    } finally {
      await vscode.workspace.getConfiguration('intuneMao').update('graphUrl', intune.emulator.url, vscode.ConfigurationTarget.Global);
    }
  });
});
