import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { generateRegistrations, sampleIds, sampleRegistrations } from '../../src/emulator';
import {
  answerQuickPick,
  closeAllEditors,
  operationText,
  PickerSpy,
  send,
  useIntuneFixture,
  waitFor,
  writeWorkspaceFile,
  type SendFileResult,
} from './intuneTestKit';
import { codeLensTitles, RegistrationsViewReader, resetRegistrationsView, toggleChecked, type ShownItem } from './sidebarKit';

const { registrations: ids, users, tenantId } = sampleIds;
const confirmation = (operations: number): RegExp =>
  new RegExp(
    `^Create ${operations} managed app operations in tenant ${tenantId} \\(Global, local emulator http://127\\.0\\.0\\.1:\\d+\\) as admin@contoso\\.example\\?$`,
  );

describe('One file to several registrations', function () {
  this.timeout(90000);
  const intune = useIntuneFixture({ emulator: { pageSize: 3 } });
  const posts = (): Array<{ path: string; body: string }> => intune.emulator.requests.filter((r) => r.method === 'POST');
  let view: RegistrationsViewReader;
  const shownRegistration = (all: ShownItem[], id: string): unknown => all.find((s) => s.tooltip.includes(id))!.node;

  before(() => {
    view = new RegistrationsViewReader(intune.api);
  });
  beforeEach(resetRegistrationsView);
  after(async () => {
    await resetRegistrationsView();
    await closeAllEditors();
  });

  it('sends a file with $registrationIds to each, after one confirmation: how many, in which tenant and cloud, as whom', async () => {
    const targets = [ids.meganAndroidOutlook, ids.alexIphoneOutlook, ids.lidiaAndroidTeams];
    const uri = await writeWorkspaceFile('many.mao.json', operationText({ $registrationIds: targets }));
    const results = await send(uri);
    assert.deepEqual(
      results.map((r) => [r.registrationId, r.outcome]),
      targets.map((id) => [id, 'created']),
    );
    assert.equal(intune.confirmations.asked.length, 1, 'one confirmation for the run');
    const [asked] = intune.confirmations.asked;
    assert.match(asked!.message, confirmation(3));
    assert.equal(asked!.action, 'Create 3 Operations');
    assert.match(asked!.detail, /many\.mao\.json → 3 registrations: Megan's Pixel 8, iPhone \(Alex Wilber\), Galaxy S23 \(Lidia\)/);
    assert.deepEqual(
      posts().map((p) => p.path),
      targets.map((id) => `/beta/deviceAppManagement/managedAppRegistrations/${id}/operations`),
    );
    for (const post of posts()) {
      assert.deepEqual(JSON.parse(post.body), { '@odata.type': '#microsoft.graph.managedAppOperation', displayName: 'Wipe', state: 'pending', version: '1' });
      assert.ok(!post.body.includes('$registrationIds'), 'the local key is removed');
    }
    assert.match(intune.messages.last()?.text ?? '', /^3 operations from 1 file\(s\): 3 created, 0 failed/);
    const preview = await vscode.commands.executeCommand<string>('intuneMao.previewRequest', uri);
    assert.match(preview ?? '', new RegExp(`POST .*/managedAppRegistrations/${targets[0]}/operations`));
    assert.match(preview ?? '', /The same request goes to 2 more registration\(s\), one operation each:/);
    assert.ok(preview?.includes(targets[2]!), 'the preview names every target');
  });

  it('sends nothing when the person does not confirm', async () => {
    intune.confirmations.answer = () => false;
    const uri = await writeWorkspaceFile('refused.mao.json', operationText({ $registrationIds: [ids.diegoIpadTeams, ids.adeleIphoneOffice] }));
    const results = await send(uri);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['skipped', 'skipped'],
    );
    assert.match(results[0]!.message ?? '', /not confirmed/);
    assert.equal(posts().length, 0);
  });

  it('sends each file of an explorer selection to its own targets, with one confirmation for them all', async () => {
    const first = await writeWorkspaceFile('sel-a.mao.json', operationText({ $registrationIds: [ids.meganIphoneEdge, ids.alexAndroidEdge] }));
    const second = await writeWorkspaceFile('sel-b.mao.json', operationText({ $registrationId: ids.diegoAndroidOffice, displayName: 'Second' }));
    const results = await send(first, [first, second]);
    assert.deepEqual(
      results.map((r) => [r.file.replace(/^.*\//, ''), r.registrationId, r.outcome]),
      [
        [first.path.replace(/^.*\//, ''), ids.meganIphoneEdge, 'created'],
        [first.path.replace(/^.*\//, ''), ids.alexAndroidEdge, 'created'],
        [second.path.replace(/^.*\//, ''), ids.diegoAndroidOffice, 'created'],
      ],
    );
    assert.equal(intune.confirmations.asked.length, 1);
    assert.match(intune.confirmations.asked[0]!.message, confirmation(3));
    assert.match(
      intune.confirmations.asked[0]!.detail,
      /sel-a\.mao\.json → 2 registrations[^\n]*\n[^\n]*sel-b\.mao\.json → 1 registration: Moto g84 \(Diego\)/,
    );
  });

  it('sends one file to the registrations selected in the side bar (the file picked from the workspace), or to a whole group', async () => {
    await closeAllEditors();
    const all = await view.registrations();
    const chosen = [ids.lidiaAndroidTeams, ids.lidiaIphoneOneDrive].map((id) => shownRegistration(all, id));
    const file = await writeWorkspaceFile('to-selected.mao.json', operationText({ displayName: 'To the selection' }));
    const restore = answerQuickPick(intune.api, (items) => items.find((i) => i.description?.endsWith('to-selected.mao.json')));
    let results: SendFileResult[];
    try {
      results = await vscode.commands.executeCommand<SendFileResult[]>('intuneMao.registrations.sendToSelected', chosen[0], chosen);
    } finally {
      restore();
    }
    assert.deepEqual(
      results.map((r) => [r.registrationId, r.outcome]),
      [
        [ids.lidiaAndroidTeams, 'created'],
        [ids.lidiaIphoneOneDrive, 'created'],
      ],
    );
    assert.match(intune.confirmations.asked[0]!.message, confirmation(2));
    assert.equal(intune.emulator.operationsOf(ids.lidiaIphoneOneDrive)[0]?.['displayName'], 'To the selection');

    await vscode.commands.executeCommand('intuneMao.registrations.groupBy', 'user');
    const megan = (await view.children()).find((s) => s.label === users.megan)!;
    const toGroup = await vscode.commands.executeCommand<SendFileResult[]>('intuneMao.registrations.sendToGroup', megan.node, undefined, file);
    assert.deepEqual(toGroup.map((r) => r.registrationId).sort(), [ids.meganAndroidOutlook, ids.meganIphoneEdge, ids.meganIpadOutlook].sort());
    assert.match(intune.confirmations.asked[1]!.message, confirmation(3));
    assert.equal(intune.emulator.operationsOf(ids.meganIpadOutlook).length, 1);
  });

  it('checks several registrations in the picker (those a filter leaves, with the ones checked before), remembers them and names them in the CodeLens', async () => {
    const spy = new PickerSpy(intune.api);
    try {
      const all = await view.registrations();
      const uri = await writeWorkspaceFile('checked.mao.json', operationText());
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const two = [ids.diegoIpadTeams, ids.adeleAndroidOneDrive].map((id) => shownRegistration(all, id));
      await vscode.commands.executeCommand('intuneMao.registrations.setAsTarget', two[0], two);
      const choosing = vscode.commands.executeCommand('intuneMao.chooseTarget', uri);
      const picker = await waitFor(() => spy.pickers[0], 'the picker');
      assert.equal(picker.canSelectMany, true, 'a file with several targets opens the picker with several');
      await waitFor(() => !picker.busy, 'every page');
      assert.deepEqual(
        picker.selectedItems.map((i) => i.target?.id).sort(),
        [ids.diegoIpadTeams, ids.adeleAndroidOneDrive].sort(),
        'the current targets are checked',
      );
      picker.value = users.megan;
      // What "check all" does once the filter leaves Megan's registrations; the two checked before stay checked.
      for (const item of picker.items.filter((i) => i.detail?.includes(users.megan))) await toggleChecked(picker, item);
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await choosing;
      const titles = await waitFor(async () => {
        const t = await codeLensTitles(uri);
        return t.some((x) => x.includes('Targets: 5')) && t;
      }, 'the CodeLens with five targets');
      assert.ok(
        titles.some((t) => /^\$\(target\) Targets: 5 registrations \([^,]+, [^,]+, …\)$/.test(t)),
        titles.join(' | '),
      );
      const results = await send(uri);
      assert.deepEqual(
        results.map((r) => r.registrationId).sort(),
        [ids.diegoIpadTeams, ids.adeleAndroidOneDrive, ids.meganAndroidOutlook, ids.meganIphoneEdge, ids.meganIpadOutlook].sort(),
      );
      assert.match(intune.confirmations.asked[0]!.message, confirmation(5));
    } finally {
      spy.dispose();
    }
  });

  it("names a file's own $registrationId in the CodeLens once the side bar has seen that registration", async () => {
    const id = randomUUID();
    const fresh = {
      ...structuredClone(sampleRegistrations[0]!),
      id,
      deviceName: `Test Phone ${id.slice(0, 4)}`,
      appIdentifier: { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: 'com.example.fresh' },
    };
    intune.emulator.setRegistrations([fresh, ...sampleRegistrations]);
    const uri = await writeWorkspaceFile('own-id.mao.json', operationText({ $registrationId: id }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const before = await waitFor(async () => {
      const t = await codeLensTitles(uri);
      return t.length > 0 && t;
    }, 'the CodeLens');
    assert.ok(before.includes(`$(target) Target: ${id} (name not seen yet: open the Intune side bar or Change)`), before.join(' | '));

    await view.children();
    await waitFor(
      async () => (await codeLensTitles(uri)).includes(`$(target) Target: com.example.fresh · Test Phone ${id.slice(0, 4)} · ${users.megan}`),
      'the CodeLens naming the registration',
    );

    const list = await writeWorkspaceFile('own-ids.mao.json', operationText({ $registrationIds: [id, ids.alexIphoneOutlook] }));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(list));
    await waitFor(
      async () => (await codeLensTitles(list)).includes(`$(target) Targets: 2 registrations (Test Phone ${id.slice(0, 4)}, iPhone (Alex Wilber))`),
      'the CodeLens naming both',
    );
  });

  it('keeps the names of the last 500 registrations seen, and forgets the oldest', async () => {
    const tenant = generateRegistrations(510, 1 + Math.floor(Math.random() * 1_000_000));
    intune.emulator.setRegistrations(tenant);
    assert.equal((await view.loadAll()).length, 510, 'every page read in the side bar');
    const oldest = await writeWorkspaceFile('oldest.mao.json', operationText({ $registrationId: String(tenant[0]!['id']) }));
    const newest = await writeWorkspaceFile('newest.mao.json', operationText({ $registrationId: String(tenant[509]!['id']) }));
    for (const uri of [oldest, newest]) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.ok(
      (await codeLensTitles(oldest)).some((t) => t.includes('name not seen yet')),
      'the first one seen is forgotten',
    );
    assert.ok(
      (await codeLensTitles(newest)).some((t) => t.includes(String(tenant[509]!['deviceName']))),
      'the last one seen is named',
    );
  });
});
