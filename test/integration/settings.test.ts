import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleIds } from '../../src/emulator';
import { operationText, send, useIntuneFixture, workspaceFolder, writeWorkspaceFile } from './intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;

describe('Settings a workspace cannot change', function () {
  this.timeout(60000);
  const intune = useIntuneFixture();
  let workspaceSettings: Record<string, unknown>;

  before(async () => {
    // The fixture's .vscode/settings.json tries to send the token elsewhere.
    const raw = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder(), '.vscode', 'settings.json')));
    workspaceSettings = JSON.parse(raw.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
    assert.ok(
      workspaceSettings['intuneMao.graphUrl'] && workspaceSettings['intuneMao.clientId'] && workspaceSettings['intuneMao.cloud'],
      'the fixture workspace sets graphUrl, clientId and cloud',
    );
  });

  it("ignores the workspace's graphUrl, clientId and cloud: the request goes to the user's Graph URL with the user's sign-in", async () => {
    const uri = await writeWorkspaceFile('workspace-settings.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created', result?.message);
    assert.equal(intune.emulator.operationsOf(registrationId).length, 1, "the user's emulator received it, not the workspace's URL");
    const call = intune.signIn.interactiveCalls[0]!;
    assert.equal(call.providerId, 'microsoft', 'not the sovereign provider the workspace\'s "china" would need');
    assert.deepEqual(call.scopes, ['https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All'], 'no client id from the workspace, the global Graph root');
    assert.ok(!call.scopes.some((s) => s.includes(String(workspaceSettings['intuneMao.clientId']))));
  });

  it('keeps ignoring them when the user has values of their own', async () => {
    await vscode.workspace.getConfiguration('intuneMao').update('clientId', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', vscode.ConfigurationTarget.Global);
    const uri = await writeWorkspaceFile('workspace-settings-2.mao.json', operationText({ $registrationId: registrationId }));
    intune.signIn.calls.length = 0;
    await send(uri);
    assert.deepEqual(intune.signIn.interactiveCalls[0]?.scopes, [
      'VSCODE_CLIENT_ID:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      'https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All',
    ]);
  });

  it('refuses a non-loopback Graph URL even in user settings', async () => {
    await vscode.workspace.getConfiguration('intuneMao').update('graphUrl', 'https://graph.example.com', vscode.ConfigurationTarget.Global);
    try {
      const uri = await writeWorkspaceFile('evil.mao.json', operationText({ $registrationId: registrationId }));
      intune.signIn.calls.length = 0;
      const [result] = await send(uri);
      assert.equal(result?.outcome, 'refused');
      assert.equal(intune.signIn.calls.filter((c) => !c.options?.silent).length, 0, 'no token was asked for');
      assert.match(intune.messages.last('error')?.text ?? '', /loopback/);
    } finally {
      await vscode.workspace.getConfiguration('intuneMao').update('graphUrl', intune.emulator.url, vscode.ConfigurationTarget.Global);
    }
  });
});
