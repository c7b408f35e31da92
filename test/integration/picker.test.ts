import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleRegistrations } from '../../src/emulator';
import { operationText, PickerSpy, send, useIntuneFixture, waitFor, writeWorkspaceFile } from './intuneTestKit';

type Item = vscode.QuickPickItem & { target?: { id: string } };

/** Like a person: narrows the list by typing, waits until the item is the highlighted one, presses Enter. */
async function accept(picker: vscode.QuickPick<Item>, item: Item, filter?: string): Promise<void> {
  const highlighted = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(false);
    }, 5000);
    const subscription = picker.onDidChangeActive((active) => {
      if (active[0] === item) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(true);
      }
    });
  });
  if (filter !== undefined) picker.value = filter;
  picker.activeItems = [item];
  assert.ok(await highlighted, `"${item.label}" became the highlighted item`);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

describe('Registration picker and remembered target', function () {
  this.timeout(60000);
  const intune = useIntuneFixture({ emulator: { pageSize: 4 } });
  let spy: PickerSpy;

  before(() => {
    spy = new PickerSpy(intune.api);
  });

  after(() => {
    spy.dispose();
  });

  it('lists every page of registrations, then remembers the choice for the file and shows it in the CodeLens', async () => {
    const uri = await writeWorkspaceFile('pick.mao.json', operationText());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const sending = send(uri);
    const picker = await waitFor(() => spy.pickers[0], 'the picker');
    assert.ok(picker.matchOnDescription && picker.matchOnDetail, 'filterable on every field shown');
    await waitFor(() => !picker.busy, 'the last page', 20000);
    const pages = intune.emulator.requests.filter((r) => r.method === 'GET' && r.path.includes('managedAppRegistrations')).length;
    assert.ok(pages >= Math.ceil(sampleRegistrations.length / 4), `every page was requested (${pages})`);
    assert.equal(picker.items.length, sampleRegistrations.length, 'every registration is listed');
    assert.ok(picker.title?.includes(`(${sampleRegistrations.length})`), picker.title);
    const wanted = sampleRegistrations[2]!;
    const item = picker.items.find((i) => i.target?.id === wanted['id'])!;
    const app = (wanted['appIdentifier'] as Record<string, string>)['packageId'] ?? (wanted['appIdentifier'] as Record<string, string>)['bundleId'];
    assert.equal(item.label, app, 'the app identifier');
    assert.ok(item.description?.includes(String(wanted['deviceName'])), 'the device');
    assert.ok(item.detail?.includes(String(wanted['userId'])), 'the user');
    await accept(picker, item);
    const [result] = await sending;
    assert.equal(result?.outcome, 'created', result?.message);
    assert.equal(result.registrationId, wanted['id']);
    assert.equal(intune.emulator.operationsOf(String(wanted['id'])).length, 1);

    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles.some((t) => t.includes(`Target: ${app} · ${String(wanted['deviceName'])} · ${String(wanted['userId'])}`)),
      titles.join(' | '),
    );
    assert.ok(titles.some((t) => t.includes('Send')) && titles.some((t) => t.includes('Change')));

    // Sent again: the remembered target, no picker.
    const [again] = await send(uri);
    assert.equal(again?.registrationId, wanted['id']);
    assert.equal(spy.pickers.length, 1, 'no second picker');
  });

  it('offers a GUID typed into the box directly', async () => {
    const uri = await writeWorkspaceFile('typed.mao.json', operationText());
    const id = String(sampleRegistrations[5]!['id']).toUpperCase();
    const before = spy.pickers.length;
    const sending = vscode.commands.executeCommand<{ id: string } | undefined>('intuneMao.chooseTarget', uri);
    const picker = await waitFor(() => spy.pickers[before], 'the picker');
    picker.value = id;
    const typed = await waitFor(() => picker.items.find((i) => i.alwaysShow && i.target?.id === id.toLowerCase()), 'the typed GUID item');
    await accept(picker, typed);
    const chosen = await sending;
    assert.equal(chosen?.id, id.toLowerCase());
  });

  it("the file's own $registrationId wins, and Change writes the new choice into it", async () => {
    const fileId = String(sampleRegistrations[0]!['id']);
    const uri = await writeWorkspaceFile('own.mao.json', operationText({ $registrationId: fileId }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(
      lenses.some((l) => l.command?.tooltip?.toString().includes('$registrationId')),
      'the CodeLens says the target comes from the file',
    );
    const before = spy.pickers.length;
    const choosing = vscode.commands.executeCommand('intuneMao.chooseTarget', uri);
    const picker = await waitFor(() => spy.pickers[before], 'the picker');
    await waitFor(() => !picker.busy, 'the list');
    const other = picker.items.find((i) => i.target?.id === sampleRegistrations[1]!['id'])!;
    await accept(picker, other);
    await choosing;
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal((JSON.parse(document.getText()) as Record<string, unknown>)['$registrationId'], sampleRegistrations[1]!['id']);
    await document.save();
  });
});
