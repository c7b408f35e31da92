import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator, sampleIds } from '../../../src/emulator';
import {
  assertNoToken,
  clearUserSettings,
  extensionId,
  operationText,
  send,
  setUserSettings,
  SignInStub,
  waitFor,
  type IntuneMaoTestApi,
} from '../intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const extension = (): vscode.Extension<IntuneMaoTestApi | undefined> => vscode.extensions.getExtension<IntuneMaoTestApi | undefined>(extensionId)!;
/** The extension's bundles this extension host has loaded (the extension host loads them with Node's require). */
const loadedBundles = (): string[] => {
  const dist = path.join(extension().extensionPath, 'dist') + path.sep;
  return Object.keys(require.cache)
    .filter((file) => file.startsWith(dist))
    .map((file) => path.basename(file))
    .sort();
};

// The suite runs in a window without a folder (scripts/run-vscode-tests.mjs --suite activation). The order of
// the tests matters: each one checks what the ones before it must not have started.
describe('Activation: the extension costs nothing until a *.mao.json is in play', function () {
  this.timeout(60_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'intune-mao-loose-'));
  let emulator: Emulator | undefined;

  after(async () => {
    await emulator?.close();
    await clearUserSettings();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('an empty window leaves it inactive', async () => {
    assert.equal(vscode.workspace.workspaceFolders, undefined, 'no folder is open');
    await settle(3000);
    assert.equal(extension().isActive, false);
    assert.deepEqual(loadedBundles(), []);
  });

  it('a plain JSON file (package.json, settings.json) leaves it inactive', async () => {
    for (const name of ['package.json', 'settings.json']) {
      const file = path.join(scratch, name);
      fs.writeFileSync(file, '{\n  "name": "x"\n}\n');
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(document);
      assert.match(document.languageId, /^jsonc?$/);
    }
    await settle(2000);
    assert.equal(extension().isActive, false);
  });

  it('opening a *.mao.json outside any workspace starts it, loading the validator only', async () => {
    const file = path.join(scratch, 'loose.mao.json');
    fs.writeFileSync(file, operationText({ colour: 'red' }));
    const uri = vscode.Uri.file(file);
    const opened = await vscode.workspace.openTextDocument(uri);
    assert.equal(opened.languageId, 'mao-json', "it opens in the extension's own language");
    await vscode.window.showTextDocument(opened);
    await waitFor(() => extension().isActive, 'the extension to start');
    // VS Code's JSON support and the person's [json] settings take over.
    await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed)?.languageId === 'json',
      'the document to become JSON',
    );
    const diagnostics = await waitFor(
      () => vscode.languages.getDiagnostics(uri).filter((d) => /colour/.test(d.message)).length > 0 && vscode.languages.getDiagnostics(uri),
      'schema diagnostics',
    );
    assert.ok(diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning));
    const lenses = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found.length > 0 && found;
    }, 'the CodeLens');
    assert.ok(
      lenses.some((l) => /Send/.test(l.command?.title ?? '')),
      lenses.map((l) => l.command?.title).join(' | '),
    );
    assert.deepEqual(loadedBundles(), ['extension.js', 'validation.js'], 'neither the commands, the core (HTTP client) nor MSAL are loaded');
    assert.equal(vscode.extensions.getExtension('vscode.microsoft-authentication')?.isActive ?? false, false, "VS Code's Microsoft sign-in is not started");
    assert.equal(extension().exports?.inUse(), false, 'a loose file outside any workspace does not bring up the Intune side bar');
    assert.equal(extension().exports?.registrations.state(), undefined, 'the Registrations view was never filled');
    assert.equal(extension().exports?.runs.filled(), false, 'nor the Runs view');
    assert.equal(extension().exports?.runs.loaded(), false, 'and no run was read from storage');
    const empty = path.join(scratch, 'empty.mao.json');
    fs.writeFileSync(empty, '{\n  \n}\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(empty)));
    await waitFor(async () => {
      const completions = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        vscode.Uri.file(empty),
        new vscode.Position(1, 2),
      );
      return completions.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label).includes('displayName'));
    }, 'schema completion');
  });

  it('sends that loose file to the emulator', async () => {
    const api = extension().exports;
    assert.ok(api, 'the test API');
    emulator = await startEmulator();
    await clearUserSettings();
    await setUserSettings({ graphUrl: emulator.url });
    const token = emulator.mintToken();
    const stub = new SignInStub(api, () => token);
    try {
      const file = path.join(scratch, 'send-me.mao.json');
      fs.writeFileSync(file, operationText({ $registrationId: registrationId }));
      const [result] = await send(vscode.Uri.file(file));
      assert.equal(result?.outcome, 'created', result?.message);
      assert.equal(emulator.operationsOf(registrationId).length, 1);
      assert.ok(loadedBundles().includes('core.js'), 'sending loads the core');
      assert.ok(!loadedBundles().includes('msal-node.js'), 'MSAL only for a device code');
      assert.equal(api.inUse(), true, 'a first command brings up the Intune side bar');
      const [run] = await api.runs.list();
      assert.equal(run?.items[0]?.registrationId, registrationId, 'the send is a run');
      const kept = await api.runs.files();
      assert.ok(
        kept.length > 0 && kept.every((file) => file.includes(`${path.sep}globalStorage${path.sep}`)),
        `without a folder, runs and journals are kept in global storage: ${kept.join(', ')}`,
      );
      assertNoToken(api.outputText(), token);
    } finally {
      stub.dispose();
    }
  });
});
