import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleIds } from '../../src/emulator';
import { activateExtension, clearUserSettings, closeAllEditors, operationText, waitFor, writeWorkspaceFile } from './intuneTestKit';

const registrationId = sampleIds.registrations.meganAndroidOutlook;

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

function positionOf(document: vscode.TextDocument, text: string, delta = 1): vscode.Position {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" is in the document`);
  return document.positionAt(offset + delta);
}

const jsonDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'Intune');
const ourDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Intune');

describe('Authoring a *.mao.json (JSON language server + the extension)', function () {
  this.timeout(60000);

  before(async () => {
    await activateExtension();
    await clearUserSettings();
  });
  after(closeAllEditors);

  it("gets schema diagnostics from VS Code's JSON server: unknown property, comments, wrong type", async () => {
    const uri = await writeWorkspaceFile('bad.mao.json', '{\n  // a comment\n  "displayName": 42,\n  "colour": "red"\n}\n');
    await open(uri);
    const diagnostics = await waitFor(() => {
      const found = jsonDiagnostics(uri);
      return found.length >= 3 ? found : undefined;
    }, 'JSON server diagnostics');
    const messages = diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /colour/i, 'the unknown property is reported');
    assert.match(messages, /comment/i, 'comments are reported (strict JSON)');
    assert.match(messages, /string|null/i, 'the wrong type is reported');
  });

  it('a plain notes.json gets no operation schema', async () => {
    const uri = await writeWorkspaceFile('notes.json', '{\n  "colour": "red"\n}\n');
    await open(uri);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).map((d) => d.message),
      [],
    );
  });

  it('completes property names from the schema', async () => {
    const uri = await writeWorkspaceFile('complete.mao.json', '{\n  \n}\n');
    const editor = await open(uri);
    const list = await waitFor(async () => {
      const result = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(1, 2));
      const labels = result.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.some((l) => l.includes('displayName')) ? labels : undefined;
    }, 'schema completions');
    for (const name of ['displayName', 'state', 'version', '@odata.type', '$registrationId']) {
      assert.ok(
        list.some((l) => l.includes(name)),
        `${name} is offered (${list.join(', ')})`,
      );
    }
    assert.equal(editor.document.languageId, 'json');
  });

  it("shows the schema's documentation on hover", async () => {
    const uri = await writeWorkspaceFile('hover.mao.json', operationText());
    const editor = await open(uri);
    const hovers = await waitFor(async () => {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, positionOf(editor.document, '"state"', 2));
      return result.length ? result : undefined;
    }, 'a hover');
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /state of the operation/i);
  });

  it('flags server-managed properties and removes them with a quick fix', async () => {
    const uri = await writeWorkspaceFile('managed.mao.json', operationText({ id: 'abc', lastModifiedDateTime: '2026-01-31T09:30:00Z' }));
    const editor = await open(uri);
    const warnings = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => /set by the service/i.test(d.message));
      return found.length >= 2 ? found : undefined;
    }, 'server-managed warnings');
    assert.ok(
      warnings.every((d) => d.severity === vscode.DiagnosticSeverity.Warning),
      'they are warnings, not errors',
    );
    // One finding per property: the extension does not repeat what the schema already says.
    assert.equal(warnings.length, 2, warnings.map((d) => `${d.source}: ${d.message}`).join('\n'));

    const at = positionOf(editor.document, '"id"');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(at, at));
    const removeId = actions.find((a) => a.title.includes('Remove "id"'));
    assert.ok(removeId?.edit, `a quick fix removes id (${actions.map((a) => a.title).join(', ')})`);
    assert.equal(removeId.kind?.value, vscode.CodeActionKind.QuickFix.value);
    const removeAll = actions.find((a) => a.title.startsWith('Remove all server-managed properties'));
    assert.ok(removeAll?.edit, 'a quick fix removes all server-managed properties');

    assert.ok(await vscode.workspace.applyEdit(removeAll.edit));
    const remaining = JSON.parse(editor.document.getText()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(remaining).sort(), ['@odata.type', 'displayName', 'state', 'version']);
    await waitFor(() => !vscode.languages.getDiagnostics(uri).some((d) => /set by the service/i.test(d.message)), 'the warnings to go away');
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it("hints that the template's placeholder $registrationId is not a target, with a fix to choose one", async () => {
    const uri = await writeWorkspaceFile('placeholder.mao.json', operationText({ $registrationId: '00000000-0000-0000-0000-000000000000' }));
    const editor = await open(uri);
    const hint = await waitFor(() => ourDiagnostics(uri).find((d) => d.code === 'target.placeholder'), 'the placeholder hint');
    assert.equal(hint.severity, vscode.DiagnosticSeverity.Information);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, hint.range);
    assert.ok(
      actions.some((a) => a.command?.command === 'intuneMao.chooseTarget'),
      'a quick fix runs Choose Target Registration',
    );
    assert.ok(editor);
  });

  it("does not repeat the JSON server's findings in its own collection", async () => {
    const uri = await writeWorkspaceFile('noise.mao.json', '{\n  "displayName": 1,\n  "colour": "red",\n  "id": "x"\n}\n');
    await open(uri);
    await waitFor(() => jsonDiagnostics(uri).length >= 2, 'JSON server diagnostics');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(
      ourDiagnostics(uri).map((d) => d.message),
      [],
    );
  });

  it('a *.mao.json is a JSON document: VS Code formats, folds and outlines it and matches its brackets', async () => {
    const uri = await writeWorkspaceFile('layout.mao.json', '{"displayName":"Wipe","state":"pending",\n"version":"1"}\n');
    const editor = await open(uri);
    await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed)?.languageId === 'json',
      'the document to be JSON',
    );
    const edits = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', uri, { tabSize: 2, insertSpaces: true });
      return found?.length ? found : undefined;
    }, 'formatting edits');
    const formatted = new vscode.WorkspaceEdit();
    formatted.set(uri, edits);
    assert.ok(await vscode.workspace.applyEdit(formatted));
    assert.equal(editor.document.getText().trimEnd(), '{\n  "displayName": "Wipe",\n  "state": "pending",\n  "version": "1"\n}');
    const folds = await waitFor(async () => {
      const found = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', uri);
      return found?.length ? found : undefined;
    }, 'folding ranges');
    assert.equal(folds[0]?.start, 0);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.deepEqual(
      symbols.map((symbol) => symbol.name),
      ['displayName', 'state', 'version'],
    );
    const shown = await vscode.window.showTextDocument(editor.document);
    shown.selection = new vscode.Selection(0, 1, 0, 1);
    await vscode.commands.executeCommand('editor.action.jumpToBracket');
    assert.deepEqual([shown.selection.active.line, shown.selection.active.character], [4, 0], 'the cursor jumped to the matching brace');
    await vscode.commands.executeCommand('workbench.action.files.save');
  });

  it("the person's [json] settings apply to it: formatOnSave formats it when saved", async () => {
    const config = vscode.workspace.getConfiguration();
    const before = config.inspect('[json]')?.globalValue;
    await config.update('[json]', { ...(before as object | undefined), 'editor.formatOnSave': true }, vscode.ConfigurationTarget.Global);
    try {
      const uri = await writeWorkspaceFile('format-on-save.mao.json', '{"displayName":"Wipe"}\n');
      const editor = await open(uri);
      await waitFor(
        () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed)?.languageId === 'json',
        'the document to be JSON',
      );
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 1), '"state":"pending",'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      const text = (): string => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed)?.getText() ?? '';
      await waitFor(() => /^\{\n\s+"state": "pending",\n\s+"displayName": "Wipe"\n\}$/.test(text().trimEnd()), 'the save to format the file').catch(
        (error: Error) => {
          throw new Error(
            `${error.message}; the file holds ${JSON.stringify(text())}, dirty: ${String(editor.document.isDirty)}, language ${editor.document.languageId}`,
          );
        },
      );
    } finally {
      await config.update('[json]', before, vscode.ConfigurationTarget.Global);
    }
  });

  it("New Managed App Operation opens a *.mao.json from the schema's template", async () => {
    const created = await vscode.commands.executeCommand<vscode.Uri>('intuneMao.newOperation');
    assert.ok(created, 'the command returns the new document');
    assert.match(created.path, /new-operation(-\d+)?\.mao\.json$/);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), created.toString());
    const body = JSON.parse(editor!.document.getText()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['$registrationId', '@odata.type', 'displayName', 'state', 'version']);
    assert.equal(body['@odata.type'], '#microsoft.graph.managedAppOperation');
    assert.equal(body['$registrationId'], '00000000-0000-0000-0000-000000000000');
    // The JSON server binds it to the schema like a saved file: a bad value is reported.
    await editor!.edit((edit) =>
      edit.replace(
        new vscode.Range(editor!.document.positionAt(0), editor!.document.positionAt(editor!.document.getText().length)),
        JSON.stringify({ ...body, colour: 'red' }, null, 2),
      ),
    );
    await waitFor(() => vscode.languages.getDiagnostics(created).some((d) => /colour/.test(d.message)), 'schema diagnostics on the new file');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Preview Request shows the request without sending it', async () => {
    const uri = await writeWorkspaceFile('preview.mao.json', operationText({ $registrationId: registrationId }));
    await open(uri);
    const preview = await vscode.commands.executeCommand<string>('intuneMao.previewRequest', uri);
    assert.match(preview, new RegExp(`POST https://graph\\.microsoft\\.com/beta/deviceAppManagement/managedAppRegistrations/${registrationId}/operations`));
    assert.match(preview, /Authorization: Bearer \[redacted\]/);
    assert.ok(!preview.includes('$registrationId'), 'local-only keys are not in the body');
    assert.match(preview, /"displayName": "Wipe"/);
  });
});
