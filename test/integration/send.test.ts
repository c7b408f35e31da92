import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleIds } from '../../src/emulator';
import { assertNoToken, operationText, ProgressControl, send, setUserSettings, useIntuneFixture, waitFor, writeWorkspaceFile } from './intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;
const otherRegistrationId = sampleIds.registrations.alexIphoneOutlook;
const graphScope = 'https://graph.microsoft.com/DeviceManagementApps.ReadWrite.All';

describe('Send to Intune (against the local Graph emulator)', function () {
  this.timeout(60000);
  const intune = useIntuneFixture({ emulator: { pageSize: 4 } });
  const posts = (): number => intune.posts();
  const output = (): string => intune.output();

  it('creates the operation (201) and writes request and response to the "Intune" output', async () => {
    const uri = await writeWorkspaceFile('wipe.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created', result?.message);
    assert.equal(result.status, 201);
    assert.ok(result.operationId, 'the created operation id is returned');
    assert.equal(intune.emulator.operationsOf(registrationId).length, 1);

    const post = intune.emulator.requests.find((r) => r.method === 'POST')!;
    assert.equal(post.path, `/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`);
    assert.deepEqual(JSON.parse(post.body), { '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending', version: '1' });

    const text = output();
    assert.match(
      text,
      new RegExp(`POST ${intune.emulator.url.replace(/\./g, '\\.')}/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`),
    );
    assert.match(text, /Authorization: Bearer \[redacted\]/);
    assert.match(text, /Content-Type: application\/json/);
    assert.match(text, /client-request-id: [0-9a-f-]{36}/);
    assert.match(text, /"displayName": "Wipe"/, 'the request body');
    assert.match(text, /HTTP 201 · \d+ ms · 1 attempt/);
    assert.match(text, /request-id: [0-9a-f-]{36}/);
    assert.match(text, /date: /);
    assert.match(text, new RegExp(`"id": "${result.operationId}"`), 'the response body, pretty-printed');
    // The words of the outcome are the core's (the CLI prints the same).
    assert.match(
      text,
      new RegExp(
        `✔ created  scratch/\\d+-wipe\\.mao\\.json → ${registrationId} \\(HTTP 201, \\d+ ms, 1 attempt\\)\\n {4}operation id ${result.operationId}\\n {4}request-id [0-9a-f-]{36} · client-request-id [0-9a-f-]{36}`,
      ),
    );
    assert.equal(intune.messages.last()?.severity, 'info');
    assert.ok(intune.messages.last()?.buttons.includes('Show Output'));
  });

  it('signs in through vscode.authentication with the Graph permission scope, prompting only because the person acted', async () => {
    const uri = await writeWorkspaceFile('scopes.mao.json', operationText({ $registrationId: registrationId }));
    await send(uri);
    const call = intune.signIn.interactiveCalls[0];
    assert.ok(call, 'getSession was called');
    assert.equal(call.providerId, 'microsoft');
    assert.deepEqual(call.scopes, [graphScope]);
    assert.equal(call.options?.createIfNone, true);
  });

  it('passes the client id and tenant as separate VSCODE_ scopes, and uses the sovereign provider for US Gov', async () => {
    await setUserSettings({ clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenant: 'contoso.onmicrosoft.com' });
    try {
      const uri = await writeWorkspaceFile('client.mao.json', operationText({ $registrationId: registrationId }));
      await send(uri);
      assert.deepEqual(intune.signIn.interactiveCalls[0]?.scopes, [
        'VSCODE_CLIENT_ID:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        'VSCODE_TENANT:contoso.onmicrosoft.com',
        graphScope,
      ]);

      intune.signIn.calls.length = 0;
      await setUserSettings({ cloud: 'usgov' });
      await send(uri);
      const call = intune.signIn.interactiveCalls[0]!;
      assert.equal(call.providerId, 'microsoft-sovereign-cloud');
      assert.equal(call.scopes[2], 'https://graph.microsoft.us/DeviceManagementApps.ReadWrite.All');
    } finally {
      await setUserSettings({ clientId: undefined, tenant: undefined, cloud: undefined });
    }
  });

  it('sends the buffer as it is, unsaved changes included', async () => {
    const uri = await writeWorkspaceFile('unsaved.mao.json', operationText({ $registrationId: registrationId }));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const at = editor.document.getText().indexOf('"Wipe"');
    await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 6)), '"Wipe (edited)"'));
    assert.ok(editor.document.isDirty);
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created');
    assert.equal(JSON.parse(intune.emulator.requests.find((r) => r.method === 'POST')!.body).displayName, 'Wipe (edited)');
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it('blocks on validation errors, shows where, and sends nothing', async () => {
    const uri = await writeWorkspaceFile('invalid.mao.json', '{\n  "displayName": "Wipe",\n  "colour": "red"\n}\n');
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'invalid');
    assert.equal(posts(), 0);
    const message = intune.messages.last('error');
    assert.match(message?.text ?? '', /colour/);
    assert.ok(message?.buttons.includes('Show Problems'));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString(), 'the file is shown');
    assert.equal(editor?.selection.start.line, 2, 'the cursor is on the problem');
  });

  it('flags JSON nested thousands of levels deep as an error in the editor, and Send refuses it', async () => {
    const depth = 2_000;
    const uri = await writeWorkspaceFile(
      'deep.mao.json',
      `{"$registrationId": "${registrationId}", "displayName": ${'['.repeat(depth)}${']'.repeat(depth)}}\n`,
    );
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'Intune' && d.code === 'json.tooDeep'),
      'the nesting diagnostic',
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /Nested more than 64 levels deep/);
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'invalid');
    assert.match(result.message ?? '', /Nested more than 64 levels deep/);
    assert.equal(posts(), 0);
  });

  it('does not block on warnings (server-managed properties)', async () => {
    const uri = await writeWorkspaceFile('warning.mao.json', operationText({ $registrationId: registrationId, id: 'ignored' }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created');
    assert.match(output(), /set by the service/);
  });

  it('decodes a 400 ModelValidationFailure: inner message, Activity ID, and offers output and support details', async () => {
    intune.emulator.injectFault({
      method: 'POST',
      status: 400,
      code: 'ModelValidationFailure',
      intuneMessage: "The property 'colour' does not exist on type 'microsoft.management.services.api.managedAppOperation'.",
    });
    const uri = await writeWorkspaceFile('rejected.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'failed');
    assert.equal(result.status, 400);
    const text = output();
    assert.match(text, /HTTP 400/);
    // The core's words: Intune's inner message first, then its code and Activity ID.
    assert.match(
      text,
      /✖ failed {2}\S+rejected\.mao\.json → \S+ \(HTTP 400, \d+ ms, 1 attempt\)\n {4}The property 'colour' does not exist on type 'microsoft\.management\.services\.api\.managedAppOperation'\.\n {4}code ModelValidationFailure · activity id [0-9a-f-]{36}/,
    );
    const message = intune.messages.last('error')!;
    assert.match(message.text, /The property 'colour' does not exist/);
    assert.deepEqual(message.buttons.slice(-2), ['Show Output', 'Copy Support Details']);
  });

  it('copies support details (request ids, date, cloud, tenant) and never the token', async () => {
    intune.emulator.injectFault({ method: 'POST', status: 500, code: 'InternalError' });
    intune.messages.choose = (m) => (m.buttons.includes('Copy Support Details') ? 'Copy Support Details' : undefined);
    const uri = await writeWorkspaceFile('support.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    const details = await waitFor(async () => {
      const text = await vscode.env.clipboard.readText();
      return text.includes(result!.clientRequestId!) ? text : undefined;
    }, 'support details on the clipboard');
    assert.match(details, /request-id: [0-9a-f-]{36}/);
    assert.match(details, /Date: /);
    assert.match(details, /Cloud: Global \(local emulator http:\/\/127\.0\.0\.1/);
    assert.match(details, /Tenant: [0-9a-f-]{36}/);
    assertNoToken(details, intune.token);
  });

  it('refuses a token that lacks the permission before sending: what it lacks, what it has, how to fix it', async () => {
    intune.token = intune.emulator.mintToken({ scp: 'DeviceManagementApps.Read.All' });
    const uri = await writeWorkspaceFile('preflight.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'failed');
    assert.equal(posts(), 0, 'nothing reached Graph');
    const message = intune.messages.last('error')!;
    assert.match(
      message.text,
      /Nothing was sent: the token cannot create managed app operations on Graph beta; it carries none of DeviceManagementApps\.ReadWrite\.All, DeviceManagementConfiguration\.ReadWrite\.All/,
    );
    assert.match(message.text, /scopes "DeviceManagementApps\.Read\.All"/);
    assert.match(message.text, /admin@contoso\.example/);
    assert.match(message.text, /intuneMao\.clientId/);
    assert.ok(message.buttons.includes('Open Setup Guide'));
    assert.equal(intune.emulator.operationsOf(registrationId).length, 0);
  });

  it('explains a 403: the missing permission, what the token has, and how to fix it', async () => {
    // A token with the scope that Graph still refuses (an Intune role or licence missing, say).
    intune.emulator.injectFault({ method: 'POST', status: 403 });
    const uri = await writeWorkspaceFile('forbidden.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'failed');
    assert.equal(result.status, 403);
    const message = intune.messages.last('error')!;
    assert.match(message.text, /Missing permission: DeviceManagementApps\.ReadWrite\.All/);
    assert.match(message.text, /scopes "DeviceManagementApps\.ReadWrite\.All"/, 'the decoded scp');
    assert.match(message.text, /tenant [0-9a-f-]{36}/);
    assert.match(message.text, /admin@contoso\.example/);
    assert.match(message.text, /admin consent/);
    assert.match(message.text, /intuneMao\.clientId/);
    assert.ok(message.buttons.includes('Open Setup Guide'));
    assert.equal(intune.emulator.operationsOf(registrationId).length, 0);
  });

  it('retries a 429 after Retry-After and creates the operation once', async () => {
    intune.emulator.injectFault({ method: 'POST', status: 429, retryAfter: '0.2' });
    const uri = await writeWorkspaceFile('throttled.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created');
    assert.equal(posts(), 2);
    assert.equal(intune.emulator.operationsOf(registrationId).length, 1);
    assert.match(output(), /HTTP 429; waiting 0\.20 s before retry/);
    assert.match(output(), /HTTP 201 · \d+ ms · 2 attempts/);
  });

  it('signs in again once after a 401 claims challenge', async () => {
    intune.emulator.injectFault({
      method: 'POST',
      status: 401,
      wwwAuthenticate: 'Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="',
    });
    const uri = await writeWorkspaceFile('claims.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'created');
    const forced = intune.signIn.calls.filter((c) => c.options?.forceNewSession);
    assert.equal(forced.length, 1, 'one forceNewSession sign-in');
    assert.match(output(), /claims challenge/);
  });

  // The engine says more precisely what a cancel after a 429 is: "cancelled" (sent, answered 429, then stopped), no longer "skipped".
  it('cancels while waiting to retry: nothing is created, and it says so', async () => {
    const progress = new ProgressControl(intune.api);
    try {
      intune.emulator.injectFault({ method: 'POST', status: 429, retryAfter: '30' });
      const uri = await writeWorkspaceFile('cancel.mao.json', operationText({ $registrationId: registrationId }));
      const sending = send(uri);
      await waitFor(() => posts() === 1 && /waiting 30\.00 s/.test(output()), 'the first attempt and the wait');
      progress.cancel();
      const [result] = await sending;
      assert.equal(result?.outcome, 'cancelled');
      assert.equal(posts(), 1);
      assert.equal(intune.emulator.operationsOf(registrationId).length, 0);
      assert.match(
        output(),
        /- cancelled {2}\S+cancel\.mao\.json → \S+ \(HTTP 429, \d+ ms, 1 attempt\)\n( {4}.*\n)*? {4}Cancelled while waiting to retry after HTTP 429; nothing was created\./,
      );
    } finally {
      progress.dispose();
    }
  });

  it('cancels during sign-in: no request is made', async () => {
    const progress = new ProgressControl(intune.api);
    const original = intune.signIn.answer;
    intune.signIn.answer = () => new Promise(() => undefined); // a sign-in that never finishes
    try {
      const uri = await writeWorkspaceFile('cancel-signin.mao.json', operationText({ $registrationId: registrationId }));
      const sending = send(uri);
      await waitFor(() => intune.signIn.interactiveCalls.length > 0, 'the sign-in');
      progress.cancel();
      const [result] = await sending;
      assert.equal(result?.outcome, 'skipped');
      assert.equal(intune.emulator.requests.length, 0);
    } finally {
      intune.signIn.answer = original;
      progress.dispose();
    }
  });

  it('reports an unknown outcome after a 504 that was processed, with the way to check', async () => {
    intune.emulator.injectFault({ method: 'POST', processFirst: true, status: 504 });
    intune.messages.choose = (m) => (m.buttons.includes('List Operations') ? 'List Operations' : undefined);
    const uri = await writeWorkspaceFile('unknown.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'unknown');
    assert.equal(result.status, 504);
    assert.equal(posts(), 1, 'a POST with an unknown outcome is not repeated');
    const message = intune.messages.last('warning')!;
    assert.match(message.text, /outcome unknown/i);
    assert.ok(message.buttons.includes('List Operations'));
    assert.match(output(), /\? unknown {2}\S+unknown\.mao\.json → \S+ \(HTTP 504, /);
    assert.match(output(), /list the registration's operations/);
    const [operation] = intune.emulator.operationsOf(registrationId);
    assert.ok(operation, 'the emulator processed it');
    // The engine checked: an operation that fits was stamped too close to the send to tell (one send gives no clock to tell by).
    assert.match(
      output(),
      new RegExp(`An operation with the same properties \\(id ${String(operation['id'])}\\) was created about when this was sent, too close to tell`),
    );
    // "List Operations" shows that it was in fact created.
    await waitFor(() => output().includes(String(operation['id'])), 'the operations listing in the output');
  });

  it('checks an unknown outcome (504 without processing) and says when it found nothing, sending nothing again', async () => {
    intune.emulator.injectFault({ method: 'POST', status: 504 });
    const uri = await writeWorkspaceFile('absent.mao.json', operationText({ $registrationId: registrationId }));
    const [result] = await send(uri);
    assert.equal(result?.outcome, 'unknown');
    assert.equal(posts(), 1);
    assert.equal(intune.emulator.operationsOf(registrationId).length, 0);
    assert.ok(
      intune.emulator.requests.some((r) => r.method === 'GET' && r.path.includes(`${registrationId}/operations`)),
      'the operations were listed',
    );
    assert.match(
      output(),
      /Not among the registration's operations at \d{4}-\d\d-\d\dT[\d:.]+Z; it was not sent again \("Re-send Unknown Not Found" on the run in the Runs view sends such items again\)/,
    );
    assert.match(intune.messages.last('warning')?.text ?? '', /outcome unknown/i);
  });

  it('never writes the token, even when the server echoes it back', async () => {
    intune.emulator.injectFault({ method: 'POST', echoAuthorization: true, status: 400, code: 'BadRequest' });
    const uri = await writeWorkspaceFile('echo.mao.json', operationText({ $registrationId: registrationId }));
    await send(uri);
    const text = output();
    assert.match(text, /\[redacted\]/);
    assertNoToken(text, intune.token);
    for (const message of intune.messages.messages) assertNoToken(message.text, intune.token);
  });

  it('sends each file of an explorer multi-selection, with results per file', async () => {
    const first = await writeWorkspaceFile('multi-a.mao.json', operationText({ $registrationId: registrationId }));
    const second = await writeWorkspaceFile('multi-b.mao.json', operationText({ $registrationId: otherRegistrationId, displayName: 'Second' }));
    const results = await send(first, [first, second]);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['created', 'created'],
    );
    assert.equal(intune.emulator.operationsOf(registrationId).length, 1);
    assert.equal(intune.emulator.operationsOf(otherRegistrationId).length, 1);
    assert.match(intune.messages.last()?.text ?? '', /2 files: 2 created/);
    assert.equal(intune.confirmations.asked.length, 1, 'two operations: confirmed once before sending');
  });
});
