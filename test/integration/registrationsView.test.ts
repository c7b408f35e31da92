import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sampleIds, sampleRegistrations } from '../../src/emulator';
import {
  answerQuickPick,
  closeAllEditors,
  ExternalRecorder,
  extensionId,
  operationText,
  useIntuneFixture,
  waitFor,
  writeWorkspaceFile,
  type SendFileResult,
} from './intuneTestKit';
import { answerInputBox, clickItem, codeLensTitles, RegistrationsViewReader, resetRegistrationsView, type ShownItem } from './sidebarKit';
import { evaluateWhen } from './whenClause';

const { registrations: ids, users } = sampleIds;
const registrationPages = (requests: ReadonlyArray<{ method: string; path: string }>): number =>
  requests.filter((r) => r.method === 'GET' && /\/managedAppRegistrations(\?|$)/.test(r.path)).length;
const byId = (shown: ShownItem[], id: string): ShownItem => {
  const found = shown.find((s) => s.tooltip.includes(id));
  assert.ok(found, `registration ${id} is shown`);
  return found;
};

describe('The Intune side bar: Registrations', function () {
  this.timeout(90000);
  const intune = useIntuneFixture({ emulator: { pageSize: 3 } });
  let view: RegistrationsViewReader;

  before(() => {
    view = new RegistrationsViewReader(intune.api);
  });
  beforeEach(resetRegistrationsView);
  after(async () => {
    await resetRegistrationsView();
    await closeAllEditors();
  });

  it('is an "Intune" view container with its own icon, shown once the workspace uses the extension, holding the Registrations and Runs views', () => {
    const root = vscode.extensions.getExtension(extensionId)!.extensionPath;
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { viewsContainers: { activitybar: Array<{ id: string; icon: string }> }; views: Record<string, Array<{ id: string; when: string }>> };
    };
    const [container] = manifest.contributes.viewsContainers.activitybar;
    assert.equal(container?.id, 'intuneMao');
    const icon = fs.readFileSync(path.join(root, container.icon), 'utf8');
    assert.match(icon, /^<svg [^>]*viewBox="0 0 24 24"/, 'a 24×24 SVG');
    assert.deepEqual([...new Set([...icon.matchAll(/(?:stroke|fill)="(#[0-9A-Fa-f]{6})"/g)].map((m) => m[1]))], ['#C5C5C5'], 'one colour: VS Code tints it');
    assert.deepEqual(
      manifest.contributes.views['intuneMao']?.map((v) => [v.id, v.when]),
      [
        ['intuneMao.registrations', 'intuneMao.inUse'],
        ['intuneMao.runs', 'intuneMao.inUse'],
      ],
    );
    // The fixture workspace holds *.mao.json files.
    assert.equal(intune.api.inUse(), true);
  });

  it('lists the registrations a page at a time: "Load more" reads the next page only', async () => {
    const first = await view.children();
    assert.deepEqual(
      first.map((s) => s.item.contextValue),
      ['registration', 'registration', 'registration', 'loadMore'],
    );
    assert.equal(registrationPages(intune.emulator.requests), 1, 'one page read, not the whole tenant');
    const more = first[3]!;
    assert.equal(more.label, 'Load more…');
    assert.equal(more.description, '3 loaded');
    await clickItem(more);
    assert.equal((await view.children()).filter((s) => s.item.contextValue === 'registration').length, 6);
    assert.equal(registrationPages(intune.emulator.requests), 2);
    const all = await view.registrations();
    assert.equal(all.length, sampleRegistrations.length);
    // 12 in pages of 3: the fourth page is full, so a fifth (empty) one ends the list.
    assert.equal(registrationPages(intune.emulator.requests), 5);
    assert.ok(!(await view.children()).some((s) => s.item.contextValue === 'loadMore'), 'no "Load more" after the last page');
    assert.equal(intune.api.registrations.state(), 'loaded');
  });

  it('shows app, device, platform and version, user, last sync and flags, with icons for platform and flagged state and the rest in the tooltip', async () => {
    const all = await view.registrations();
    const megan = byId(all, ids.meganAndroidOutlook);
    assert.equal(megan.label, 'com.microsoft.office.outlook');
    assert.equal(megan.description, `Megan's Pixel 8 · Android 14 · app 4.2436.1 · user ${users.megan.slice(0, 8)}… · synced 2024-10-02`);
    assert.equal((megan.item.iconPath as vscode.ThemeIcon).id, 'device-mobile');
    for (const text of [
      ids.meganAndroidOutlook,
      users.megan,
      'Google Pixel 8',
      'patch 2024-09-05',
      '2024-10-02 07:41 UTC',
      '2024-03-11',
      '10.4.1',
      '4211a7d7-8335-4daa-b86f-4f2891c48748',
    ]) {
      assert.ok(megan.tooltip.includes(text), `the tooltip names ${text}: ${megan.tooltip}`);
    }
    assert.equal(megan.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed, 'expands to its operations');
    const flagged = byId(all, ids.lidiaAndroidTeams);
    assert.equal((flagged.item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(flagged.description, /flagged: rootedDevice$/);
    assert.match(flagged.tooltip, /Flags:\*\* rootedDevice/);
    const iphone = byId(all, ids.alexIphoneOutlook);
    assert.equal((iphone.item.iconPath as vscode.ThemeIcon).id, 'device-mobile');
    assert.notDeepEqual((iphone.item.iconPath as vscode.ThemeIcon).color, (megan.item.iconPath as vscode.ThemeIcon).color, 'iOS and Android look different');
  });

  it("groups by user, app or platform (the view title's toggle), and keeps the choice", async () => {
    await view.registrations();
    await vscode.commands.executeCommand('intuneMao.registrations.groupBy', 'user');
    const groups = await view.children();
    assert.deepEqual(
      groups.map((g) => g.item.contextValue),
      Array(5).fill('registrationGroup'),
    );
    const megan = groups.find((g) => g.label === users.megan)!;
    assert.equal(megan.description, "3 registrations · Megan's Pixel 8, iPhone (Megan Bowen), iPad (Megan Bowen)");
    const members = await view.children(megan.node);
    assert.deepEqual(
      members.map((m) => m.item.contextValue),
      ['registration', 'registration', 'registration'],
    );
    assert.equal(intune.api.registrations.view.description, 'by user');

    await vscode.commands.executeCommand('intuneMao.registrations.refresh');
    const firstPage = await view.children();
    assert.deepEqual(
      firstPage.map((s) => s.label),
      [users.alex, users.megan, users.lidia, 'Load more…'],
      "still by user after a refresh: the first page's users, sorted",
    );

    const restore = answerQuickPick(intune.api, (items) => items.find((i) => /By platform/.test(i.label)));
    try {
      assert.equal(await vscode.commands.executeCommand('intuneMao.registrations.groupBy'), 'platform');
    } finally {
      restore();
    }
    await view.loadAll();
    const platforms = (await view.children()).filter((s) => s.item.contextValue === 'registrationGroup');
    assert.deepEqual(
      platforms.map((p) => `${p.label}: ${p.description}`),
      ['Android: 6 registrations', 'iOS: 6 registrations'],
    );
    await vscode.commands.executeCommand('intuneMao.registrations.groupBy', 'app');
    const apps = (await view.children()).filter((s) => s.item.contextValue === 'registrationGroup');
    assert.equal(apps.find((a) => a.label === 'com.microsoft.skydrive')?.description, '2 registrations');
  });

  it('filters what is loaded (an input box), says so in the view, and clears the filter', async () => {
    const input = answerInputBox(intune.api, () => 'frontline');
    try {
      await view.children();
      assert.equal(await vscode.commands.executeCommand('intuneMao.registrations.filter'), 'frontline');
    } finally {
      input.restore();
    }
    assert.equal(input.asked[0]?.value, '', 'the box starts with the current filter');
    const firstPage = await view.children();
    assert.deepEqual(
      firstPage.map((s) => s.item.contextValue),
      ['registration', 'loadMore'],
      "Lidia's Galaxy S23 is on the first page",
    );
    assert.match(intune.api.registrations.view.message ?? '', /^1 of 3 loaded registrations match "frontline"\. Load more to search the rest\.$/);
    const all = await view.loadAll();
    assert.deepEqual(
      all.map((s) => s.tooltip.includes(ids.lidiaAndroidTeams) || s.tooltip.includes(ids.lidiaIphoneOneDrive)),
      [true, true],
    );
    assert.equal(intune.api.registrations.view.message, '2 of 12 loaded registrations match "frontline".');
    assert.equal(intune.api.registrations.view.description, 'filter "frontline"');

    await vscode.commands.executeCommand('intuneMao.registrations.filter', users.megan);
    assert.equal((await view.children()).length, 3, 'every registration of one user');
    await vscode.commands.executeCommand('intuneMao.registrations.clearFilter');
    assert.equal((await view.children()).length, sampleRegistrations.length);
    assert.equal(intune.api.registrations.view.message, undefined);
    assert.equal(intune.api.registrations.view.description, undefined);
  });

  it('expands a registration into its operations, read again after a send to it, a page at a time', async () => {
    const target = byId(await view.registrations(), ids.alexIphoneOutlook);
    const [none] = await view.children(target.node);
    assert.equal(none?.label, 'No operations yet');
    const file = await writeWorkspaceFile('from-tree.mao.json', operationText({ displayName: 'Wipe from the tree' }));
    const [sent] = await vscode.commands.executeCommand<SendFileResult[]>('intuneMao.registrations.send', target.node, undefined, file);
    assert.equal(sent?.outcome, 'created', sent?.message);
    assert.equal(sent.registrationId, ids.alexIphoneOutlook);
    assert.equal(intune.confirmations.asked.length, 0, 'one operation needs no confirmation');
    const [operation] = await view.children(target.node);
    assert.equal(operation?.label, 'Wipe from the tree');
    assert.match(operation!.description, /^pending · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    assert.ok(operation!.tooltip.includes(sent.operationId!), 'the operation id in the tooltip');
    assert.equal(operation!.item.contextValue, 'operation');

    for (let n = 0; n < 3; n++) await vscode.commands.executeCommand('intuneMao.registrations.send', target.node, undefined, file);
    const page = await view.children(target.node);
    assert.deepEqual(
      page.map((s) => s.item.contextValue),
      ['operation', 'operation', 'operation', 'loadMore'],
    );
    assert.equal((await view.loadAll(target.node)).length, 4);
    assert.equal(intune.emulator.operationsOf(ids.alexIphoneOutlook).length, 4);
  });

  it('sets a registration, or several selected, as the target of the active file (the CodeLens follows)', async () => {
    const all = await view.registrations();
    const uri = await writeWorkspaceFile('tree-target.mao.json', operationText());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const megan = byId(all, ids.meganAndroidOutlook);
    await vscode.commands.executeCommand('intuneMao.registrations.setAsTarget', megan.node);
    await waitFor(
      async () => (await codeLensTitles(uri)).some((t) => t.includes(`Target: com.microsoft.office.outlook · Megan's Pixel 8 · ${users.megan}`)),
      'the CodeLens naming the target',
    );
    const alex = byId(all, ids.alexIphoneOutlook);
    await vscode.commands.executeCommand('intuneMao.registrations.setAsTarget', alex.node, [megan.node, alex.node]);
    await waitFor(
      async () => (await codeLensTitles(uri)).some((t) => t.includes("Targets: 2 registrations (Megan's Pixel 8, iPhone (Alex Wilber))")),
      'the CodeLens with two targets',
    );

    const own = await writeWorkspaceFile('tree-own.mao.json', operationText({ $registrationId: ids.diegoIpadTeams }));
    const document = await vscode.workspace.openTextDocument(own);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('intuneMao.registrations.setAsTarget', megan.node);
    assert.equal(
      (JSON.parse(document.getText()) as Record<string, unknown>)['$registrationId'],
      ids.meganAndroidOutlook,
      'written into the file, whose own key would win',
    );
    await document.save();
  });

  it("copies a registration's id (the clipboard port)", async () => {
    const external = new ExternalRecorder(intune.api);
    try {
      const node = byId(await view.registrations(), ids.diegoIpadTeams).node;
      assert.equal(await vscode.commands.executeCommand('intuneMao.registrations.copyId', node), ids.diegoIpadTeams);
      assert.deepEqual(external.clipboard, [ids.diegoIpadTeams]);
    } finally {
      external.dispose();
    }
  });

  it('asks quietly when shown: signed out, it shows the welcome content with Sign In, and lists once the person signs in', async () => {
    let signedIn = false;
    const original = intune.signIn.answer;
    intune.signIn.answer = async (call) => (call.options?.silent && !signedIn ? undefined : ((signedIn = true), original(call)));
    try {
      await vscode.commands.executeCommand('intuneMao.registrations.refresh');
      assert.deepEqual(await view.children(), []);
      assert.equal(intune.api.registrations.state(), 'signedOut');
      assert.equal(intune.signIn.interactiveCalls.length, 0, 'no prompt');
      assert.ok(intune.signIn.calls.length > 0, 'a quiet look for a session');
      assert.equal(intune.emulator.requests.length, 0, 'nothing listed');
      assert.match(welcomeFor('signedOut'), /\[Sign In\]\(command:intuneMao\.signIn\)/);

      assert.equal(await vscode.commands.executeCommand('intuneMao.signIn'), 'admin@contoso.example');
      assert.equal(intune.signIn.interactiveCalls[0]?.options?.createIfNone, true, 'the person asked: VS Code may prompt');
      const shown = await waitFor(async () => {
        const items = await view.children();
        return items.length > 0 && items;
      }, 'the registrations after signing in');
      assert.equal(shown[0]?.item.contextValue, 'registration');
      assert.equal(intune.api.registrations.state(), 'loaded');
    } finally {
      intune.signIn.answer = original;
    }
  });

  it('says when the tenant has no registrations, and presents a listing that fails', async () => {
    intune.emulator.setRegistrations([]);
    assert.deepEqual(await view.children(), []);
    assert.equal(intune.api.registrations.state(), 'empty');
    assert.match(welcomeFor('empty'), /no managed app registrations/);
    assert.match(welcomeFor('empty'), /command:intuneMao\.registrations\.refresh/);

    intune.emulator.reset();
    intune.emulator.injectFault({ method: 'GET', path: 'managedAppRegistrations', status: 403 });
    await vscode.commands.executeCommand('intuneMao.registrations.refresh');
    assert.deepEqual(await view.children(), []);
    assert.equal(intune.api.registrations.state(), 'error');
    const message = await waitFor(() => intune.messages.last('error'), 'the error notification');
    assert.match(message.text, /Could not list the app registrations/);
    assert.match(message.text, /Missing permission/);
    assert.match(welcomeFor('error'), /command:intuneMao\.registrations\.refresh/);
  });

  it('is filled by VS Code when shown', async () => {
    await vscode.commands.executeCommand('intuneMao.registrations.focus');
    await waitFor(() => intune.api.registrations.view.visible, 'the view to show');
    await waitFor(() => intune.api.registrations.state() === 'loaded', 'VS Code to ask for the items');
    assert.ok(registrationPages(intune.emulator.requests) >= 1);
    await vscode.commands.executeCommand('workbench.view.explorer');
  });
});

/** The welcome content the view shows in a state (its when-clause evaluated like VS Code does). */
function welcomeFor(state: string): string {
  const root = vscode.extensions.getExtension(extensionId)!.extensionPath;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { viewsWelcome: Array<{ view: string; contents: string; when: string }> };
  };
  const strings = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const shown = manifest.contributes.viewsWelcome.filter(
    (w) => w.view === 'intuneMao.registrations' && evaluateWhen(w.when, { 'intuneMao.registrations.state': state }),
  );
  assert.equal(shown.length, 1, `one welcome for ${state}`);
  return strings[/^%(.+)%$/.exec(shown[0]!.contents)![1]!] ?? '';
}
